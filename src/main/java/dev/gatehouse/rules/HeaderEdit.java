// A change a rule makes to the content of a message for some of its recipients.
package dev.gatehouse.rules;

/** Applied in order by {@link ContentEditor}; equal lists of edits give equal content (recipients share it). */
public sealed interface HeaderEdit {
    record Set(String header, String value) implements HeaderEdit {}

    record Remove(String header) implements HeaderEdit {}

    record PrependSubject(String prefix) implements HeaderEdit {}

    /** Adds an address to To or Cc (AddToRecipients, CopyTo). */
    record AppendAddress(String header, String address) implements HeaderEdit {}

    record Disclaimer(String html, boolean prepend, String fallback) implements HeaderEdit {}
}
