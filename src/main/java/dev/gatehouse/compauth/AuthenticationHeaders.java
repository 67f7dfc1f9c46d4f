// The header fields Exchange stamps from sender authentication: Authentication-Results and the antispam report.
package dev.gatehouse.compauth;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

import dev.gatehouse.dkim.DkimAuthResults;
import dev.gatehouse.dkim.DkimResult;
import dev.gatehouse.dmarc.DmarcResult;
import dev.gatehouse.spf.SpfResult;

/**
 * Writes the fields in Exchange's shape (spec §4.2): no authserv-id, {@code spf=} with {@code (sender IP is
 * <ip>)}, one {@code dkim=} per signature, {@code dmarc=} with Exchange's {@code action=} word, and
 * {@code compauth=} with its reason. Every value that came from outside (domains from the message, the HELO,
 * words from DNS) is reduced to the characters a domain or a reason may have and clipped, so no field can
 * end early, start another, or carry a comment that reads as a result. Lines are folded before 78 columns.
 */
public final class AuthenticationHeaders {
    private AuthenticationHeaders() {}

    /** The value of {@code Authentication-Results:} (without the name), folded, without the final CRLF. */
    public static String authenticationResults(InetAddress client, SpfResult spf, List<DkimResult> dkim, DmarcResult dmarc,
                                               String dmarcAction, CompAuth compauth) {
        StringBuilder v = new StringBuilder();
        v.append("spf=").append(spf.result().word()).append(" (sender IP is ").append(ip(client)).append(") ");
        v.append("mailfrom".equals(spf.identity()) ? "smtp.mailfrom=" : "smtp.helo=").append(domain(spf.domain())).append(';');
        // one clause per signature, at most the ten the verifier checks: a message with 1,000 signatures can't grow the field
        v.append(' ').append(DkimAuthResults.clauses(dkim)).append(';');
        v.append(" dmarc=").append(dmarc.result().word()).append(" action=").append(dmarcAction).append(" header.from=")
                .append(domain(dmarc.fromDomain())).append(';');
        v.append(" compauth=").append(compauth.result().word()).append(" reason=").append(compauth.reason());
        return fold("Authentication-Results: ".length(), v.toString());
    }

    /** The fields of {@code X-Forefront-Antispam-Report} that Gatehouse knows, in Exchange's order. */
    public record AntispamReport(InetAddress client, String helo, String ptr, int scl, String sfv, String cat, String sfty, String dir) {}

    public static String antispamReport(AntispamReport a) {
        StringBuilder v = new StringBuilder();
        v.append("CIP:").append(ip(a.client())).append(";CTRY:;LANG:;SCL:").append(a.scl()).append(";SRV:;IPV:NLI;SFV:").append(a.sfv())
                .append(";H:").append(domain(a.helo())).append(";PTR:").append(a.ptr() == null ? "" : domain(a.ptr())).append(";CAT:").append(a.cat())
                .append(';');
        if (a.sfty() != null) v.append("SFTY:").append(a.sfty()).append(';');
        v.append("SFS:;DIR:").append(a.dir()).append(';');
        return v.toString();
    }

    /** A domain or host name as it may appear in a field: letters, digits, {@code .-_}, at most 253; "none" when empty. */
    static String domain(String d) {
        if (d == null) return "none";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.length() && sb.length() < 253; i++) {
            char c = d.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_') sb.append(c);
        }
        return sb.isEmpty() ? "none" : sb.toString().toLowerCase(Locale.ROOT);
    }

    private static String ip(InetAddress a) { return a == null ? "unknown" : a.getHostAddress(); }

    /** Folds at spaces so that no line passes 78 columns (the first line starts after the field name). */
    public static String fold(int firstLineUsed, String value) {
        StringBuilder out = new StringBuilder();
        int col = firstLineUsed;
        for (String word : value.split(" ")) {
            if (out.length() > 0) {
                if (col + 1 + word.length() > 78) {
                    out.append("\r\n ");
                    col = 1;
                } else {
                    out.append(' ');
                    col++;
                }
            }
            out.append(word);
            col += word.length();
        }
        return out.toString();
    }
}
