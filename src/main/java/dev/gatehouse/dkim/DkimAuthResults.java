// The dkim= clauses of an Authentication-Results field (RFC 8601 §2.7.1), written as Exchange Online writes them.
package dev.gatehouse.dkim;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code dkim=pass (signature was verified) header.d=contoso.com}, one clause per signature as Exchange
 * does, or {@code dkim=none (message not signed)} for a message without any. Safe to put in a header field as it
 * is: printable US-ASCII only, no CR or LF, no parenthesis inside the comment, the domain written only when it is
 * a plain DNS name, each clause bounded, and at most {@link DkimVerifier#MAX_SIGNATURES} clauses (the signatures
 * past the cap were not verified and add nothing).
 */
public final class DkimAuthResults {
    private static final int MAX_REASON = 100;

    private DkimAuthResults() {}

    /** The clauses for {@code results}, in order, joined by {@code "; "}; {@code dkim=none (message not signed)} for none. */
    public static String clauses(List<DkimResult> results) {
        if (results.isEmpty()) return "dkim=none (message not signed)";
        List<String> out = new ArrayList<>(Math.min(results.size(), DkimVerifier.MAX_SIGNATURES));
        for (int i = 0; i < results.size() && i < DkimVerifier.MAX_SIGNATURES; i++) out.add(clause(results.get(i)));
        return String.join("; ", out);
    }

    /** One clause: {@code dkim=<result> (<reason>) header.d=<domain>}. */
    public static String clause(DkimResult r) {
        StringBuilder b = new StringBuilder(64).append("dkim=").append(r.result().word());
        String reason = r.reason() == null ? (r.passed() ? DkimVerifier.VERIFIED : null) : r.reason();
        if (reason != null) b.append(" (").append(printable(reason, MAX_REASON).replace('(', '[').replace(')', ']').replace('\\', '/')).append(')');
        if (r.domain() != null && SignatureField.dnsName(r.domain())) b.append(" header.d=").append(r.domain());
        return b.toString();
    }

    /** {@code s} with every character outside printable US-ASCII replaced by '?', cut to {@code max} characters. */
    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c <= 0x7e ? c : '?');
        }
        return b.toString();
    }
}
