// A DMARC policy record (RFC 7489 §6.3, §6.4) and its parser: pure, total, and safe on any TXT data.
package dev.gatehouse.dmarc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.gatehouse.dmarc.DmarcResult.Policy;

/**
 * What a domain owner published at {@code _dmarc.<domain>}, reduced to what evaluation needs plus the reporting
 * tags for a later reporter. {@link #parse} never throws: a TXT string is {@link Parsed.NotDmarc} (it does not
 * start with {@code v=DMARC1}, so policy discovery ignores it, RFC 7489 §6.6.3 step 2), {@link Parsed.Invalid} (a
 * DMARC record with a syntax error: the result is {@code permerror}) or {@link Parsed.Valid}.
 *
 * <p>Syntax, per §6.4 and the DKIM tag-list it builds on (RFC 6376 §3.2): tags separated by {@code ;}, white space
 * around names and values allowed, a trailing {@code ;} allowed, and {@code v=DMARC1} first with the value exactly
 * {@code DMARC1}. Tag names and keyword values ({@code p=Reject}) are read case-insensitively, as ABNF literals are.
 * A repeated tag, a name that is not {@code ALPHA *(ALPHA / DIGIT / "_")}, a value with a character outside
 * printable ASCII, or a bad {@code pct}, {@code adkim}, {@code aspf}, {@code fo}, {@code rf} or {@code ri} makes
 * the record invalid. Unknown tags are ignored. Two leniencies, as deployed receivers have them: an empty segment
 * ({@code p=none;;}) is skipped, and a {@code rua}/{@code ruf} URI that does not parse is dropped instead of
 * voiding the record (reporting addresses do not change the verdict). A record whose {@code p} is missing or bad,
 * or whose {@code sp} is bad, is {@code p=none} when its {@code rua} has a valid URI, else invalid (§6.6.3 step 6).
 *
 * @param policy          {@code p=}
 * @param subdomainPolicy {@code sp=}, or null when absent (then {@code p} applies to subdomains too)
 * @param pct             {@code pct=}, 0-100 (100 when absent)
 * @param dkimAlignment   {@code adkim=} (relaxed when absent)
 * @param spfAlignment    {@code aspf=} (relaxed when absent)
 * @param failureOptions  {@code fo=} values ({@code 0} when absent)
 * @param aggregateUris   {@code rua=} URIs that parse
 * @param failureUris     {@code ruf=} URIs that parse
 * @param reportInterval  {@code ri=} seconds (86400 when absent; saturated at {@link Long#MAX_VALUE})
 * @param policyFromRua   the record had no usable {@code p}/{@code sp} and is read as {@code p=none} because of its {@code rua}
 */
public record DmarcRecord(Policy policy, Policy subdomainPolicy, int pct, Alignment dkimAlignment, Alignment spfAlignment,
                          List<String> failureOptions, List<String> aggregateUris, List<String> failureUris, long reportInterval,
                          boolean policyFromRua) {

    /** {@code r} or {@code s} (RFC 7489 §3.1). */
    public enum Alignment { RELAXED, STRICT }

    /** What a TXT string is to DMARC. */
    public sealed interface Parsed permits Parsed.Valid, Parsed.Invalid, Parsed.NotDmarc {
        record Valid(DmarcRecord record) implements Parsed {}

        /** A {@code v=DMARC1} record that cannot be used; {@code problem} says why, quoting the tag. */
        record Invalid(String problem) implements Parsed {}

        /** Not a DMARC record at all (another TXT record at the same name). */
        record NotDmarc() implements Parsed {}
    }

    public DmarcRecord {
        failureOptions = List.copyOf(failureOptions);
        aggregateUris = List.copyOf(aggregateUris);
        failureUris = List.copyOf(failureUris);
    }

    /** The policy for the From domain: {@code sp} (when present) for a subdomain of the domain the record was found at. */
    public Policy policyFor(boolean subdomain) { return subdomain && subdomainPolicy != null ? subdomainPolicy : policy; }

    private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern PCT = Pattern.compile("[0-9]{1,3}");
    private static final Pattern FO = Pattern.compile("[01dsDS]");
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]");
    private static final Pattern RI = Pattern.compile("[0-9]{1,32}");
    private static final Pattern URI_SIZE = Pattern.compile("![0-9]+[kmgtKMGT]?$");

    /** Reads one TXT string (its character-strings already joined). Never throws. */
    public static Parsed parse(String txt) {
        if (txt == null) return new Parsed.NotDmarc();
        String[] segments = txt.split(";", -1);
        String[] first = tagOf(segments[0]);
        if (first == null || !first[0].equalsIgnoreCase("v") || !first[1].equals("DMARC1")) return new Parsed.NotDmarc();
        Map<String, String> tags = new HashMap<>();
        tags.put("v", "DMARC1");
        for (int i = 1; i < segments.length; i++) {
            if (segments[i].isBlank()) continue;
            String[] tag = tagOf(segments[i]);
            if (tag == null) return invalid("'" + shown(segments[i].strip()) + "' is not tag=value");
            if (!TAG_NAME.matcher(tag[0]).matches()) return invalid("'" + shown(tag[0]) + "' is not a tag name");
            if (!printableValue(tag[1])) return invalid("the value of " + shown(tag[0]) + "= has a character outside printable ASCII");
            String name = tag[0].toLowerCase(Locale.ROOT);
            if (tags.putIfAbsent(name, tag[1]) != null) return invalid(name + "= appears twice");
        }
        return interpret(tags);
    }

    private static Parsed interpret(Map<String, String> tags) {
        Policy p = policy(tags.get("p"));
        String sp = tags.get("sp");
        Policy subdomain = sp == null ? null : policy(sp);
        List<String> rua = uris(tags.get("rua"));
        List<String> ruf = uris(tags.get("ruf"));
        if (p == null || (sp != null && subdomain == null)) {
            String why = tags.get("p") == null ? "p= is missing" : p == null ? "p=" + shown(tags.get("p")) + " is not none, quarantine or reject"
                    : "sp=" + shown(sp) + " is not none, quarantine or reject";
            if (rua.isEmpty()) return invalid(why);
            // RFC 7489 §6.6.3 step 6: as if the record were "v=DMARC1; p=none", so its reports still flow
            return new Parsed.Valid(new DmarcRecord(Policy.NONE, null, 100, Alignment.RELAXED, Alignment.RELAXED, List.of("0"),
                    rua, ruf, 86400, true));
        }
        String pct = tags.getOrDefault("pct", "100");
        if (!PCT.matcher(pct).matches() || Integer.parseInt(pct) > 100) return invalid("pct=" + shown(pct) + " is not a whole number from 0 to 100");
        Alignment adkim = alignment(tags.get("adkim"));
        if (adkim == null) return invalid("adkim=" + shown(tags.get("adkim")) + " is not r or s");
        Alignment aspf = alignment(tags.get("aspf"));
        if (aspf == null) return invalid("aspf=" + shown(tags.get("aspf")) + " is not r or s");
        String fo = tags.getOrDefault("fo", "0");
        if (!listOf(fo, FO)) return invalid("fo=" + shown(fo) + " is not a list of 0, 1, d and s");
        String rf = tags.get("rf");
        if (rf != null && !listOf(rf, KEYWORD)) return invalid("rf=" + shown(rf) + " is not a list of report formats");
        String ri = tags.getOrDefault("ri", "86400");
        if (!RI.matcher(ri).matches()) return invalid("ri=" + shown(ri) + " is not a number of seconds");
        long interval = ri.length() > 18 ? Long.MAX_VALUE : Long.parseLong(ri);
        List<String> options = List.of(fo.replaceAll("[ \\t\\r\\n]", "").toLowerCase(Locale.ROOT).split(":"));
        return new Parsed.Valid(new DmarcRecord(p, subdomain, Integer.parseInt(pct), adkim, aspf, options, rua, ruf, interval, false));
    }

    /** {@code name = value} with the white space around both removed, or null without an {@code =}. */
    private static String[] tagOf(String segment) {
        int eq = segment.indexOf('=');
        if (eq < 0) return null;
        return new String[] {strip(segment.substring(0, eq)), strip(segment.substring(eq + 1))};
    }

    /** White space as FWS knows it (SP, HTAB, CR, LF); {@link String#strip} would also remove Unicode spaces. */
    private static String strip(String s) {
        int a = 0, b = s.length();
        while (a < b && " \t\r\n".indexOf(s.charAt(a)) >= 0) a++;
        while (b > a && " \t\r\n".indexOf(s.charAt(b - 1)) >= 0) b--;
        return s.substring(a, b);
    }

    /**
     * RFC 6376 {@code tag-value}: printable ASCII but {@code ;}, with white space only between characters (the
     * ends are already stripped). Checked by a loop, not a regular expression whose repetition recurses per group
     * and could overflow the stack on a 64 KB TXT record.
     */
    private static boolean printableValue(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(c >= 0x21 && c <= 0x7e || c == ' ' || c == '\t' || c == '\r' || c == '\n')) return false;
        }
        return true;
    }

    /** A colon-separated list (white space around the colons allowed) whose every item matches {@code item}. */
    private static boolean listOf(String value, Pattern item) {
        for (String part : value.split(":", -1)) if (!item.matcher(strip(part)).matches()) return false;
        return true;
    }

    private static Policy policy(String value) {
        if (value == null) return null;
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> Policy.NONE;
            case "quarantine" -> Policy.QUARANTINE;
            case "reject" -> Policy.REJECT;
            default -> null;
        };
    }

    private static Alignment alignment(String value) {
        if (value == null) return Alignment.RELAXED;
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "r" -> Alignment.RELAXED;
            case "s" -> Alignment.STRICT;
            default -> null;
        };
    }

    /** The {@code dmarc-uri}s of a {@code rua}/{@code ruf} value that parse as absolute URIs (size suffix {@code !10m} allowed). */
    private static List<String> uris(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) return out;
        for (String part : value.split(",")) {
            String u = strip(part);
            String bare = URI_SIZE.matcher(u).replaceFirst("");
            try {
                URI uri = new URI(bare);
                if (uri.isAbsolute() && uri.getSchemeSpecificPart() != null && !uri.getSchemeSpecificPart().isEmpty()) out.add(u);
            } catch (URISyntaxException e) {
                // a reporting address that does not parse is dropped: it does not change the verdict
            }
        }
        return out;
    }

    private static Parsed invalid(String why) { return new Parsed.Invalid(why); }

    /** Hostile text made fit for a log or a header comment: printable ASCII only, at most 64 characters. */
    static String shown(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && sb.length() < 64; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 64 ? sb + "..." : sb.toString();
    }
}
