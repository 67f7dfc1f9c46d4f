// The closed set of rule actions (spec §5.3) as compiled values.
package dev.gatehouse.rules;

import java.util.List;

/** Immutable; the evaluator interprets them, so an action never touches I/O. */
public sealed interface RuleAction {
    /** Short name recorded in the trace's custom data ({@code action=...}). */
    String name();

    record Quarantine() implements RuleAction { public String name() { return "Quarantine"; } }

    record Redirect(List<String> addresses) implements RuleAction { public String name() { return "RedirectMessage"; } }

    record Reject(String code, String text) implements RuleAction { public String name() { return "RejectMessage"; } }

    record Delete() implements RuleAction { public String name() { return "DeleteMessage"; } }

    record SetHeader(String header, String value) implements RuleAction { public String name() { return "SetHeader"; } }

    record RemoveHeader(String header) implements RuleAction { public String name() { return "RemoveHeader"; } }

    record PrependSubject(String prefix) implements RuleAction { public String name() { return "PrependSubject"; } }

    /** AddToRecipients (To), CopyTo (Cc), BlindCopyTo (Bcc: no header). */
    record AddRecipients(String kind, List<String> addresses) implements RuleAction {
        public String name() { return switch (kind) { case "To" -> "AddToRecipients"; case "Cc" -> "CopyTo"; default -> "BlindCopyTo"; }; }
    }

    record SetScl(int scl) implements RuleAction { public String name() { return "SetSCL"; } }

    record Disclaimer(String html, String location, String fallback) implements RuleAction {
        public String name() { return "ApplyHtmlDisclaimer"; }
    }

    record GenerateNotification(String text) implements RuleAction { public String name() { return "GenerateNotification"; } }
}
