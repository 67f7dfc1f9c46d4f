// Domain names as mail clients and the DNS read them: A-labels, lower case, no trailing dot (RFC 5891, UTS #46, RFC 3492).
package dev.gatehouse.mail;

import java.text.Normalizer;
import java.util.Locale;

/**
 * One canonical form for every domain Gatehouse compares: accepted domains, recipients and senders, the From
 * domain, the SPF and DKIM domains DMARC aligns, and the Public Suffix List's rules. RFC 7489 §6.6.1 says a
 * U-label is converted to an A-label before anything else, and the PSL asks the same of its rules, so two
 * spellings of one name ({@code 食狮.公司.cn}, {@code XN--85X722F.xn--55qx5d.CN}) compare equal and a lookup is
 * always asked in ASCII.
 *
 * <p>A Unicode label is mapped as UTS #46's non-transitional processing does (what registries, browsers and mail
 * clients use): compatibility forms folded (NFKC: {@code ｅｘａｍｐｌｅ} is {@code example}), lower-cased code point
 * by code point (so {@code Σ} is always {@code σ}, never the final {@code ς} a word-aware lower-casing picks),
 * NFC-normalised, then Punycode-encoded (RFC 3492). The deviation letters stay themselves: {@code ß} and {@code ς}
 * are letters of IDNA2008, so {@code straße.de} is {@code xn--strae-oqa.de}. We don't use {@link java.net.IDN}: it
 * implements IDNA2003, which turns {@code straße.de} into {@code strasse.de}, another registrant's domain, and an
 * accepted domain stored that way would make a stranger one of the tenant's own and the tenant's real domain a
 * stranger. Full IDNA2008 code point validation is not attempted: a label may hold letters, marks, digits, hyphens
 * and underscores; anything else (symbols, spaces, controls, the joiners ZWJ and ZWNJ) means the name is not a
 * domain. Ideographic full stops ({@code 。．｡}) separate labels, as UTS #46 maps them.
 */
public final class DomainNames {
    private DomainNames() {}

    static final int MAX_NAME = 253;
    static final int MAX_LABEL = 63;

    /**
     * The name in A-label form (lower case, one trailing dot dropped), or null when it is not a domain name: an
     * empty label (leading dot, {@code a..b}), a label over 63 octets or a name over 253, a character no host name
     * has (ASCII labels: letters, digits, hyphen and underscore, no hyphen at either end).
     */
    public static String toAscii(String name) {
        if (name == null || name.isEmpty() || name.length() > 4 * MAX_NAME) return null;
        String s = name.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.');
        if (endsWithDot(s)) s = s.substring(0, s.length() - 1);
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

    /** Whether the name ends with a label separator: a full stop, or one UTS #46 maps to it ({@code 。．｡}). */
    public static boolean endsWithDot(String name) {
        if (name.isEmpty()) return false;
        char c = name.charAt(name.length() - 1);
        return c == '.' || c == '\u3002' || c == '\uFF0E' || c == '\uFF61';
    }

    /**
     * {@link #toAscii} of a name as a mail client shows it: a name that is no domain only because of format characters
     * (a joiner or a direction mark, which no client shows: {@code con\u200Dtoso.com} looks like contoso.com) is read
     * without them. For questions about a name a message shows (is it ours, does a rule name it, whose DMARC policy
     * applies), never for storing one. Null when it is no domain either way.
     */
    public static String toAsciiAsShown(String name) {
        String a = toAscii(name);
        return a != null || name == null ? a : toAscii(withoutFormatCharacters(name));
    }

    /**
     * {@code s} without its format characters (Unicode category Cf: joiners, direction marks) and the other code points
     * no reader shows ({@link #invisible}: Hangul fillers, Khmer inherent vowels): for a question asked about the name
     * as a mail client displays it ({@code con\u200Dtoso.com} and {@code con\u3164toso.com} look like contoso.com),
     * never for storing it.
     */
    public static String withoutFormatCharacters(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().filter(cp -> Character.getType(cp) != Character.FORMAT && !invisible(cp)).forEach(b::appendCodePoint);
        return b.toString();
    }

    /**
     * Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): what a renderer shows as nothing, or as a
     * blank. IDNA2008 disallows all of them in a label (RFC 5892 §2.7) but the joiners, which its CONTEXTJ rule may
     * allow; most are format characters (Cf), but the Hangul fillers are letters and the Khmer inherent vowels marks,
     * which {@link #unicodeLabel} would otherwise take: {@code con\u3164toso.com} was a domain of its own, not
     * contoso.com's, though a reader sees contoso.com.
     */
    static boolean invisible(int cp) {
        return cp == 0xAD || cp == 0x34F || cp == 0x61C || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5
                || cp >= 0x180B && cp <= 0x180F || cp >= 0x200B && cp <= 0x200F || cp >= 0x202A && cp <= 0x202E
                || cp >= 0x2060 && cp <= 0x206F || cp == 0x3164 || cp >= 0xFE00 && cp <= 0xFE0F || cp == 0xFEFF
                || cp == 0xFFA0 || cp >= 0xFFF0 && cp <= 0xFFF8 || cp >= 0x1BCA0 && cp <= 0x1BCA3
                || cp >= 0x1D173 && cp <= 0x1D17A || cp >= 0xE0000 && cp <= 0xE0FFF;
    }

    private static String label(String l) {
        if (l.isEmpty()) return null;
        String a;
        if (isAscii(l)) {
            a = l.toLowerCase(Locale.ROOT);
        } else if (!isAscii(a = mapped(l))) { // the mapping may fold it to ASCII (ｅｘａｍｐｌｅ)
            if (!unicodeLabel(a)) return null;
            String encoded = Punycode.encode(a.codePoints().toArray());
            if (encoded == null) return null;
            a = "xn--" + encoded;
        }
        if (a.length() > MAX_LABEL || a.startsWith("-") || a.endsWith("-")) return null;
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) return null;
        }
        return a;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    /**
     * UTS #46's mapping of a non-ASCII label, near enough: NFKC, then each code point lower-cased on its own
     * ({@code İ} becomes {@code i̇} as case folding has it; {@code Σ} is {@code σ} wherever it stands), then NFC.
     */
    static String mapped(String label) {
        String k = Normalizer.normalize(label, Normalizer.Form.NFKC);
        StringBuilder b = new StringBuilder(k.length() + 4);
        k.codePoints().filter(cp -> !ignored(cp)).forEach(cp -> b.append(Character.toString(cp).toLowerCase(Locale.ROOT)));
        return Normalizer.normalize(b, Normalizer.Form.NFC);
    }

    /**
     * Code points both UTS #46 and IDNA2003 map to nothing (soft hyphen, zero width space, word joiner, byte order
     * mark, combining grapheme joiner, variation selectors): {@code con\u00ADtoso.com} is contoso.com for the DNS
     * and looks like it on screen. The joiners ZWJ and ZWNJ are not among them: IDNA2008 keeps them.
     */
    private static boolean ignored(int cp) {
        return cp == 0xAD || cp == 0x34F || cp == 0x1806 || cp >= 0x180B && cp <= 0x180F || cp == 0x200B || cp == 0x2060
                || cp == 0xFEFF || cp >= 0xFE00 && cp <= 0xFE0F || cp >= 0xE0100 && cp <= 0xE01EF;
    }

    /**
     * Letters, marks, decimal digits and hyphens, none of them {@link #invisible}; at most 63 code points (its encoding
     * is at least as long).
     */
    private static boolean unicodeLabel(String u) {
        if (u.codePointCount(0, u.length()) > MAX_LABEL) return false;
        return u.codePoints().allMatch(cp -> cp == '-' || cp == '_' || (Character.isLetter(cp) || Character.isDigit(cp)
                || switch (Character.getType(cp)) {
                    case Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK -> true;
                    default -> false;
                }) && !invisible(cp));
    }

    /** Whether {@code domain} is {@code parent} or a name under it (both in A-label form). */
    public static boolean isAtOrUnder(String domain, String parent) {
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
