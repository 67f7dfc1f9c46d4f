package dev.gatehouse.smtp;

import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply: a three-digit code, an optional RFC 3463 enhanced status code and one or more text
 * lines. Rendering adds the enhanced code to every line only when the client negotiated
 * ENHANCEDSTATUSCODES (the session decides; {@link #render(boolean)}).
 *
 * <p>Replies are values: handlers return them, the session writes them. Texts never contain CR or LF;
 * the constructor refuses them so no reply can be used to inject a second reply line.
 */
public record SmtpReply(int code, String enhanced, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) throw new IllegalArgumentException("SMTP code out of range: " + code);
        lines = List.copyOf(lines);
        if (lines.isEmpty()) throw new IllegalArgumentException("a reply needs at least one line");
        for (String l : lines) {
            if (l.indexOf('\r') >= 0 || l.indexOf('\n') >= 0 || l.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("reply text contains CR, LF or NUL");
            }
        }
    }

    public static SmtpReply of(int code, String enhanced, String text) {
        return new SmtpReply(code, enhanced, List.of(text));
    }

    public boolean isPositive() { return code < 400; }

    public boolean isPermanentFailure() { return code >= 500; }

    /** The wire form, each line ending in CRLF. */
    public String render(boolean withEnhanced) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (withEnhanced && enhanced != null) sb.append(enhanced).append(' ');
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString();
    }

    /** The reply as one line, for logs and tests: {@code "550 5.7.64 TenantAttribution; Relay Access Denied"}. */
    @Override public String toString() {
        return code + (enhanced == null ? "" : " " + enhanced) + " " + String.join(" / ", lines);
    }

    public SmtpReply withText(String text) { return of(code, enhanced, Objects.requireNonNull(text)); }
}
