// The Received-SPF: and Authentication-Results spf= texts in Exchange Online's shape, made safe to put in a header.
package dev.gatehouse.spf;

import java.net.InetAddress;

/**
 * Exchange writes {@code Received-SPF: Pass (protection.outlook.com: domain of microsoft.com designates
 * 20.88.157.186 as permitted sender) receiver=protection.outlook.com; client-ip=20.88.157.186; helo=...; pr=C}
 * and {@code spf=pass (sender IP is 20.88.157.186) smtp.mailfrom=microsoft.com}; the wording per result follows
 * Exchange and RFC 7208 §9.1. Everything that came from the client or from DNS (HELO, domains, exp= text) is cut
 * to printable ASCII and a bounded length here, so no value can fold, end or forge a header field.
 */
final class SpfHeaders {

    /** The longest explanation kept (RFC 7208 §6.2 text for an SMTP reply or a header comment). */
    static final int MAX_EXPLANATION = 512;
    private static final int MAX_VALUE = 255;

    private SpfHeaders() {}

    /** {@code s} with every character outside printable ASCII (0x20-0x7E) replaced by '?', cut to {@code max} ("..." when cut). */
    static String printable(String s, int max) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c <= 0x7e ? c : '?');
        }
        if (s.length() > max) sb.replace(Math.max(0, max - 3), sb.length(), "...");
        return sb.toString();
    }

    /** Text fit for inside a header comment: printable, with '(', ')' and '\' quoted (RFC 5322 ccontent). */
    static String commentText(String s) {
        String p = printable(s, MAX_VALUE);
        StringBuilder sb = new StringBuilder(p.length());
        for (char c : p.toCharArray()) {
            if (c == '(' || c == ')' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }

    /** A value as an RFC 5322 dot-atom when it is one, else a quoted-string. */
    static String value(String s) {
        String p = printable(s, MAX_VALUE);
        if (isDotAtom(p)) return p;
        StringBuilder sb = new StringBuilder("\"");
        for (char c : p.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static boolean isDotAtom(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) return false;
        for (char c : s.toCharArray()) {
            if (!(Character.isLetterOrDigit(c) && c < 0x80) && "!#$%&'*+-/=?^_`{|}~.".indexOf(c) < 0) return false;
        }
        return true;
    }

    /** The Received-SPF field value (without the name), for {@code r} as seen by {@code receiver}. */
    static String receivedSpf(SpfResult r, InetAddress ip, String helo, String receiver) {
        String host = commentText(receiver);
        String domain = commentText(r.domain());
        String client = Network.text(ip);
        String words = switch (r.result()) {
            case PASS -> "Pass (" + host + ": domain of " + domain + " designates " + client + " as permitted sender)";
            case FAIL -> "Fail (" + host + ": domain of " + domain + " does not designate " + client + " as permitted sender)";
            case SOFTFAIL -> "SoftFail (" + host + ": domain of transitioning " + domain + " discourages use of " + client + " as permitted sender)";
            case NEUTRAL -> "Neutral (" + host + ": " + client + " is neither permitted nor denied by domain of " + domain + ")";
            case NONE -> "None (" + host + ": " + domain + " does not designate permitted sender hosts)";
            case TEMPERROR -> "TempError (" + host + ": error in processing during lookup of " + domain + ": DNS Timeout)";
            case PERMERROR -> "PermError (" + host + ": domain of " + domain + " used an invalid SPF mechanism)";
        };
        return words + " receiver=" + value(receiver) + "; client-ip=" + client + "; helo=" + value(helo == null ? "" : helo) + "; pr=C";
    }

    /**
     * The {@code spf=} clause of Authentication-Results: {@code spf=softfail (sender IP is 203.0.113.50)
     * smtp.mailfrom=contoso.com}, or {@code smtp.helo=} for the null sender (as Exchange writes it).
     */
    static String authenticationResults(SpfResult r, InetAddress ip, boolean nullSender, String helo) {
        String property = nullSender ? "smtp.helo=" + value(helo == null ? "" : helo) : "smtp.mailfrom=" + value(r.domain());
        return "spf=" + r.result().word() + " (sender IP is " + Network.text(ip) + ") " + property;
    }
}
