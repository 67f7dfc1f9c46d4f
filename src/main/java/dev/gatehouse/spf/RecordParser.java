// Reads the terms of an SPF record per the ABNF of RFC 7208 §4.6.1, §5, §6 and §12.
package dev.gatehouse.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Term by term: a term that starts with a modifier name and '=' is a modifier ({@code redirect}, {@code exp}, or
 * unknown and ignored, but its value must still be a valid macro-string); anything else is a mechanism with an
 * optional qualifier. Known modifier names are never taken as unknown ones, so {@code redirect=-all} is an error,
 * not an ignored modifier (the suite's "redirect-syntax-error"). Terms are separated by one or more spaces and
 * nothing else: a CR, LF or tab is part of the term and makes it invalid.
 */
final class RecordParser {

    private static final Pattern MODIFIER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9\\-_.]*");
    private static final Pattern MECHANISM_NAME = Pattern.compile("[A-Za-z0-9]+");
    /** The dual-cidr-length at the end of an a/mx term: {@code /n}, {@code //n} or {@code /n//m}. */
    private static final Pattern DUAL_CIDR = Pattern.compile("(?:/([0-9]+))?(?://([0-9]+))?\\z");

    private RecordParser() {}

    static SpfRecord parse(String text) throws SyntaxError.Failure {
        List<Mechanism> mechanisms = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        MacroString redirect = null;
        MacroString exp = null;
        int i = 6;
        while (i < text.length()) {
            if (text.charAt(i) == ' ') {
                i++;
                continue;
            }
            int end = text.indexOf(' ', i);
            if (end < 0) end = text.length();
            String term = text.substring(i, end);
            Matcher name = MODIFIER_NAME.matcher(term);
            if (name.lookingAt() && name.end() < term.length() && term.charAt(name.end()) == '=') {
                String modifier = name.group().toLowerCase(Locale.ROOT);
                String value = term.substring(name.end() + 1);
                int at = i + name.end() + 1;
                switch (modifier) {
                    case "redirect" -> {
                        if (redirect != null) throw new SyntaxError.Failure(i, "redirect= appears twice");
                        redirect = domainSpec(value, at, "redirect=");
                    }
                    case "exp" -> {
                        if (exp != null) throw new SyntaxError.Failure(i, "exp= appears twice");
                        exp = domainSpec(value, at, "exp=");
                    }
                    default -> {
                        MacroParser.parse(value, at, MacroParser.Kind.MODIFIER);
                        unknown.add(modifier);
                    }
                }
            } else {
                mechanisms.add(mechanism(term, i));
            }
            i = end;
        }
        return new SpfRecord(mechanisms, redirect, exp, unknown);
    }

    private static Mechanism mechanism(String term, int at) throws SyntaxError.Failure {
        Qualifier q = Qualifier.of(term.charAt(0));
        int start = q == null ? 0 : 1;
        if (q == null) q = Qualifier.PASS;
        Matcher m = MECHANISM_NAME.matcher(term).region(start, term.length());
        if (!m.lookingAt()) throw new SyntaxError.Failure(at, "unknown term \"" + SpfHeaders.printable(term, 80) + "\"");
        String name = m.group().toLowerCase(Locale.ROOT);
        String rest = term.substring(m.end());
        int restAt = at + m.end();
        if (!rest.isEmpty() && rest.charAt(0) != ':' && rest.charAt(0) != '/') {
            throw new SyntaxError.Failure(at, "unknown mechanism \"" + SpfHeaders.printable(term, 80) + "\"");
        }
        return switch (name) {
            case "all" -> {
                if (!rest.isEmpty()) throw new SyntaxError.Failure(restAt, "\"all\" takes no argument: \"" + SpfHeaders.printable(term, 80) + "\"");
                yield new Mechanism.All(q, term);
            }
            case "include" -> new Mechanism.Include(q, term, required(rest, restAt, term));
            case "exists" -> new Mechanism.Exists(q, term, required(rest, restAt, term));
            case "ptr" -> {
                if (rest.startsWith("/")) throw new SyntaxError.Failure(restAt, "\"ptr\" takes no CIDR length: \"" + SpfHeaders.printable(term, 80) + "\"");
                yield new Mechanism.Ptr(q, term, rest.isEmpty() ? null : required(rest, restAt, term));
            }
            case "a", "mx" -> addressMechanism(name, q, term, rest, restAt);
            case "ip4" -> new Mechanism.Ip4(q, term, network(rest, restAt, term, false));
            case "ip6" -> new Mechanism.Ip6(q, term, network(rest, restAt, term, true));
            default -> throw new SyntaxError.Failure(at, "unknown mechanism \"" + SpfHeaders.printable(term, 80) + "\"");
        };
    }

    /** {@code ":" domain-spec} with nothing after it. */
    private static MacroString required(String rest, int at, String term) throws SyntaxError.Failure {
        if (!rest.startsWith(":")) throw new SyntaxError.Failure(at, "missing ':' and domain in \"" + SpfHeaders.printable(term, 80) + "\"");
        return domainSpec(rest.substring(1), at + 1, term);
    }

    private static Mechanism addressMechanism(String name, Qualifier q, String term, String rest, int at) throws SyntaxError.Failure {
        MacroString domain = null;
        String cidrs = rest;
        int cidrAt = at;
        if (rest.startsWith(":")) {
            Matcher c = DUAL_CIDR.matcher(rest);
            c.find(1);
            cidrs = rest.substring(c.start());
            cidrAt = at + c.start();
            domain = domainSpec(rest.substring(1, c.start()), at + 1, term);
        }
        Matcher c = DUAL_CIDR.matcher(cidrs);
        if (!c.matches()) throw new SyntaxError.Failure(cidrAt, "malformed CIDR length in \"" + SpfHeaders.printable(term, 80) + "\"");
        int cidr4 = c.group(1) == null ? 32 : length(c.group(1), 32, cidrAt, term);
        int cidr6 = c.group(2) == null ? 128 : length(c.group(2), 128, cidrAt, term);
        return name.equals("a") ? new Mechanism.A(q, term, domain, cidr4, cidr6) : new Mechanism.Mx(q, term, domain, cidr4, cidr6);
    }

    /** A CIDR length: "0" or no leading zero, at most {@code max}. */
    private static int length(String digits, int max, int at, String term) throws SyntaxError.Failure {
        if (digits.length() > 3 || (digits.length() > 1 && digits.charAt(0) == '0') || Integer.parseInt(digits) > max) {
            throw new SyntaxError.Failure(at, "invalid CIDR length /" + digits + " in \"" + SpfHeaders.printable(term, 80) + "\"");
        }
        return Integer.parseInt(digits);
    }

    private static Network network(String rest, int at, String term, boolean six) throws SyntaxError.Failure {
        if (!rest.startsWith(":")) throw new SyntaxError.Failure(at, "missing ':' and address in \"" + SpfHeaders.printable(term, 80) + "\"");
        String value = rest.substring(1);
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        byte[] bytes = six ? Network.parseIp6(address) : Network.parseIp4(address);
        if (bytes == null) {
            throw new SyntaxError.Failure(at + 1, "invalid " + (six ? "IPv6" : "IPv4") + " address in \"" + SpfHeaders.printable(term, 80) + "\"");
        }
        int max = six ? 128 : 32;
        if (slash < 0) return new Network(bytes, max);
        String digits = value.substring(slash + 1);
        if (digits.isEmpty() || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new SyntaxError.Failure(at + 1 + slash, "malformed CIDR length in \"" + SpfHeaders.printable(term, 80) + "\"");
        }
        return new Network(bytes, length(digits, max, at + 1 + slash, term));
    }

    /**
     * A domain-spec (§7.1): a macro-string ending in a macro or in "." and a toplabel, optionally followed by ".".
     * The toplabel rule is what refuses {@code a:1.2.3.4}, {@code a:museum} and {@code a:example.-com}.
     */
    static MacroString domainSpec(String value, int at, String term) throws SyntaxError.Failure {
        if (value.isEmpty()) throw new SyntaxError.Failure(at, "empty domain in \"" + SpfHeaders.printable(term, 80) + "\"");
        MacroString spec = MacroParser.parse(value, at, MacroParser.Kind.DOMAIN);
        if (spec.endsWithMacro()) return spec;
        String tail = spec.trailingLiteral();
        if (tail.endsWith(".")) tail = tail.substring(0, tail.length() - 1);
        int dot = tail.lastIndexOf('.');
        if (dot < 0 || !isTopLabel(tail.substring(dot + 1))) {
            throw new SyntaxError.Failure(at, "invalid domain \"" + SpfHeaders.printable(value, 80) + "\" (must end in a macro or '.' and a top label)");
        }
        return spec;
    }

    /** RFC 7208 toplabel: letters, digits and inner dashes, not all digits unless it has a dash. */
    static boolean isTopLabel(String s) {
        if (s.isEmpty() || s.charAt(0) == '-' || s.charAt(s.length() - 1) == '-') return false;
        boolean alpha = false;
        boolean dash = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) alpha = true;
            else if (c == '-') dash = true;
            else if (c < '0' || c > '9') return false;
        }
        return alpha || dash;
    }
}
