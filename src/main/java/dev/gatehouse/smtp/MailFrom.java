package dev.gatehouse.smtp;

/**
 * A parsed MAIL FROM command.
 *
 * @param address  the reverse-path without angle brackets and without any source route; empty for the
 *                 null sender {@code <>}
 * @param declaredSize the SIZE= parameter, or -1 when absent
 * @param body     the BODY= parameter ({@code 7BIT}, {@code 8BITMIME}, {@code BINARYMIME}), or null
 * @param smtpUtf8 true when the SMTPUTF8 parameter was given
 */
public record MailFrom(String address, long declaredSize, String body, boolean smtpUtf8) {
    public boolean isNullSender() { return address.isEmpty(); }

    /** The domain part in lower case, or "" for the null sender or an address without a domain. */
    public String domain() {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
