// Text produced by Format-List, Format-Table and Get-Help: printed as-is by the default output.
package dev.gatehouse.cmdlet;

/** Already formatted output; the default formatter prints {@code text} unchanged. */
public record FormattedText(String text) {
    @Override public String toString() { return text; }
}
