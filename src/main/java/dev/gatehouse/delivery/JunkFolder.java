// Which copies the mailbox files under Junk Email: Exchange's SCL junk threshold, read from the copy's stamp.
package dev.gatehouse.delivery;

import java.nio.charset.StandardCharsets;

/**
 * Exchange delivers a message whose {@code X-MS-Exchange-Organization-SCL} is above the mailbox's junk
 * threshold (4 by default) to the Junk Email folder; Gatehouse does the same with the Maildir++ folder
 * {@code .Junk} (what Dovecot and Courier show as "Junk"). The first SCL field of the copy decides: the
 * tenant's stamp, written by the gateway below its trace fields, comes before anything from the message,
 * and the header firewall removed any SCL field that came from outside.
 */
final class JunkFolder {
    static final String FOLDER = ".Junk";
    static final int THRESHOLD = 4;
    private static final byte[] NAME = "x-ms-exchange-organization-scl:".getBytes(StandardCharsets.US_ASCII);

    private JunkFolder() {}

    /** Whether this copy goes to Junk: its first SCL field is above {@link #THRESHOLD}. */
    static boolean applies(byte[] copy) {
        int scl = firstScl(copy);
        return scl > THRESHOLD;
    }

    /** The value of the first {@code X-MS-Exchange-Organization-SCL} field of the header section, or -1 without one. */
    static int firstScl(byte[] m) {
        int lineStart = 0;
        while (lineStart < m.length) {
            if (m[lineStart] == '\r' || m[lineStart] == '\n') return -1; // end of the header section
            if (startsWithIgnoreCase(m, lineStart, NAME)) return value(m, lineStart + NAME.length);
            int nl = lineStart;
            while (nl < m.length && m[nl] != '\n') nl++;
            lineStart = nl + 1;
        }
        return -1;
    }

    private static boolean startsWithIgnoreCase(byte[] m, int at, byte[] lower) {
        if (at + lower.length > m.length) return false;
        for (int i = 0; i < lower.length; i++) {
            int c = m[at + i];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != lower[i]) return false;
        }
        return true;
    }

    private static int value(byte[] m, int at) {
        while (at < m.length && (m[at] == ' ' || m[at] == '\t')) at++;
        boolean negative = at < m.length && m[at] == '-';
        if (negative) at++;
        int v = 0;
        int digits = 0;
        while (at < m.length && m[at] >= '0' && m[at] <= '9' && digits < 2) {
            v = v * 10 + (m[at++] - '0');
            digits++;
        }
        return digits == 0 ? -1 : negative ? -v : v;
    }
}
