// Domain names as DMARC compares them: A-labels, lower case, no trailing dot (RFC 7489 §6.6.1, RFC 3492).
package dev.gatehouse.dmarc;

import java.text.Normalizer;
import java.util.Locale;

/**
 * One canonical form for every domain DMARC compares: the From domain, the SPF and DKIM domains, and the
 * Public Suffix List's rules. RFC 7489 §6.6.1 says a U-label is converted to an A-label before anything else,
 * and the PSL asks the same of its rules, so two spellings of one name ({@code 食狮.公司.cn},
 * {@code XN--85X722F.xn--55qx5d.CN}) compare equal and a lookup is always asked in ASCII.
 *
 * <p>A Unicode label is lower-cased, NFC-normalised and Punycode-encoded (RFC 3492) as IDNA2008 does; we don't
 * use {@link java.net.IDN}, which implements IDNA2003 and would turn {@code straße.de} into {@code strasse.de},
 * another registrant's domain. Full IDNA2008 code point validation is not attempted: a label may hold letters,
 * marks, digits and hyphens; anything else (symbols, spaces, controls) means the name is not a domain. Ideographic
 * full stops ({@code 。．｡}) separate labels, as UTS #46 maps them.
 */
final class DomainNames {
    private DomainNames() {}

    static final int MAX_NAME = 253;
    static final int MAX_LABEL = 63;

    /**
     * The name in A-label form (lower case, one trailing dot dropped), or null when it is not a domain name: an
     * empty label (leading dot, {@code a..b}), a label over 63 octets or a name over 253, a character no host name
     * has (ASCII labels: letters, digits, hyphen and underscore, no hyphen at either end).
     */
    static String toAscii(String name) {
        if (name == null || name.isEmpty() || name.length() > 4 * MAX_NAME) return null;
        String s = name.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.');
        if (s.endsWith(".")) s = s.substring(0, s.length() - 1);
        if (s.isEmpty()) return null;
        StringBuilder out = new StringBuilder(s.length());
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i < s.length() && s.charAt(i) != '.') continue;
            String label = label(s.substring(start, i));
            if (label == null) return null;
            if (!out.isEmpty()) out.append('.');
            out.append(label);
            start = i + 1;
        }
        return out.length() > MAX_NAME ? null : out.toString();
    }

    private static String label(String l) {
        if (l.isEmpty()) return null;
        boolean ascii = l.chars().allMatch(c -> c < 0x80);
        String a;
        if (ascii) {
            a = l.toLowerCase(Locale.ROOT);
        } else {
            String u = Normalizer.normalize(l.toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
            if (!unicodeLabel(u)) return null;
            a = Punycode.encode(u.codePoints().toArray());
            if (a == null) return null;
            a = "xn--" + a;
        }
        if (a.length() > MAX_LABEL || a.startsWith("-") || a.endsWith("-")) return null;
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) return null;
        }
        return a;
    }

    /** Letters, marks, decimal digits and hyphens; at most 63 code points (its encoding is at least as long). */
    private static boolean unicodeLabel(String u) {
        if (u.codePointCount(0, u.length()) > MAX_LABEL) return false;
        return u.codePoints().allMatch(cp -> cp == '-' || cp == '_' || Character.isLetter(cp) || Character.isDigit(cp)
                || switch (Character.getType(cp)) {
                    case Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK -> true;
                    default -> false;
                });
    }

    /** Whether {@code domain} is {@code parent} or a name under it (both in A-label form). */
    static boolean isAtOrUnder(String domain, String parent) {
        return domain.equals(parent) || domain.endsWith("." + parent);
    }

    /** RFC 3492 Punycode encoding of one label's code points (the part after {@code xn--}). */
    static final class Punycode {
        private Punycode() {}

        private static final int BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700, INITIAL_BIAS = 72, INITIAL_N = 128;

        /** The encoding, or null should the arithmetic overflow (impossible for a label of at most 63 code points). */
        static String encode(int[] input) {
            StringBuilder out = new StringBuilder(input.length + 8);
            for (int cp : input) if (cp < 0x80) out.append((char) cp);
            int basic = out.length();
            int handled = basic;
            if (basic > 0) out.append('-');
            int n = INITIAL_N;
            long delta = 0;
            int bias = INITIAL_BIAS;
            while (handled < input.length) {
                int m = Integer.MAX_VALUE;
                for (int cp : input) if (cp >= n && cp < m) m = cp;
                delta += (long) (m - n) * (handled + 1);
                if (delta > Integer.MAX_VALUE) return null;
                n = m;
                for (int cp : input) {
                    if (cp < n) delta++;
                    if (cp != n) continue;
                    long q = delta;
                    for (int k = BASE; ; k += BASE) {
                        int t = k <= bias ? TMIN : Math.min(k - bias, TMAX);
                        if (q < t) break;
                        out.append(digit(t + (int) ((q - t) % (BASE - t))));
                        q = (q - t) / (BASE - t);
                    }
                    out.append(digit((int) q));
                    bias = adapt(delta, handled + 1, handled == basic);
                    delta = 0;
                    handled++;
                }
                delta++;
                n++;
            }
            return out.toString();
        }

        private static int adapt(long delta, int points, boolean first) {
            delta = first ? delta / DAMP : delta / 2;
            delta += delta / points;
            int k = 0;
            while (delta > ((BASE - TMIN) * TMAX) / 2) {
                delta /= BASE - TMIN;
                k += BASE;
            }
            return (int) (k + (BASE - TMIN + 1) * delta / (delta + SKEW));
        }

        private static char digit(int d) { return (char) (d < 26 ? 'a' + d : '0' + d - 26); }
    }
}
