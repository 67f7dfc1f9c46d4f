// The dkim= clauses of an Authentication-Results field (RFC 8601 §2.7.1), written as Exchange Online writes them.
package dev.gatehouse.dkim;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code dkim=pass (signature was verified) header.d=contoso.com}, one clause per signature as Exchange
 * does, or {@code dkim=none (message not signed) header.d=none} for a message without any. Safe to put in a header
 * field as it is: the reason keeps only letters, digits, spaces and {@code .,:_-} (no CR or LF, no parenthesis that
 * would end the comment, no {@code =} or {@code ;} that could read as a result), at most 120 characters; the domain
 * is written only when it is a plain DNS name ({@code none} otherwise); and at most
 * {@link DkimVerifier#MAX_SIGNATURES} clauses are written (the signatures past the cap were not verified).
 */
public final class DkimAuthResults {
    private static final int MAX_REASON = 120;

    private DkimAuthResults() {}

    /** The clauses for {@code results}, in order, joined by {@code "; "}. */
    public static String clauses(List<DkimResult> results) {
        if (results.isEmpty()) return "dkim=none (message not signed) header.d=none";
        List<String> out = new ArrayList<>(Math.min(results.size(), DkimVerifier.MAX_SIGNATURES));
        for (int i = 0; i < results.size() && i < DkimVerifier.MAX_SIGNATURES; i++) out.add(clause(results.get(i)));
        return String.join("; ", out);
    }

    /** One clause: {@code dkim=<result> (<reason>) header.d=<domain>}. */
    public static String clause(DkimResult r) {
        String reason = words(r.reason());
        if (reason.isEmpty()) reason = r.passed() ? DkimVerifier.VERIFIED : r.result().word();
        String domain = r.domain() != null && SignatureField.dnsName(r.domain()) ? r.domain() : "none";
        return "dkim=" + r.result().word() + " (" + reason + ") header.d=" + domain;
    }

    private static String words(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_REASON));
        for (int i = 0; i < s.length() && b.length() < MAX_REASON; i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || " .,:_-".indexOf(c) >= 0) b.append(c);
        }
        return b.toString().strip();
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
