// The Public Suffix List: which names are public suffixes, and so each domain's organizational domain (RFC 7489 §3.2).
package dev.gatehouse.dmarc;

import dev.gatehouse.mail.DomainNames;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * DMARC relaxed alignment asks whether two domains have the same organizational domain, and RFC 7489 §3.2 defines
 * that with a public suffix list: the longest listed suffix of the domain plus one label. This reads the list in
 * its published format (https://publicsuffix.org/list/) and applies its algorithm: normal rules, wildcards
 * ({@code *.ck}), exceptions ({@code !www.ck}) that beat every other rule, and the implicit {@code *} rule for a
 * top-level domain that is not listed.
 *
 * <p><b>Both sections count.</b> The list has an ICANN section (registries' suffixes: {@code co.uk}) and a PRIVATE
 * section (suffixes under which a company hands out names to others: {@code blogspot.com}, {@code github.io}).
 * Every rule of both is used, as libpsl, OpenDMARC and the browsers do: {@code alice.github.io} and
 * {@code mallory.github.io} belong to different people, and treating {@code github.io} as their common
 * organizational domain would let one pass relaxed alignment for the other. The section of each rule is kept
 * only for {@link #describe()}.
 *
 * <p>Names and rules are compared in A-label form ({@link DomainNames#toAscii}). The list comes packaged
 * ({@link #packaged()}, see {@code README.md} beside the data file) or from a newer copy an operator gives with
 * {@code --public-suffix-list} ({@link #read(Path)}). Thread-safety: immutable.
 */
public final class PublicSuffixList {
    /** The list's two sections. */
    public enum Section { ICANN, PRIVATE }

    /** The outcome of reading a list: the list, or what is wrong with it, naming the file and line. */
    public sealed interface Loaded permits Loaded.Ok, Loaded.Invalid {
        record Ok(PublicSuffixList list) implements Loaded {}

        record Invalid(String message) implements Loaded {}
    }

    static final String RESOURCE = "public_suffix_list.dat";
    private static final long MAX_BYTES = 16L << 20;
    private static final String ICANN_BEGIN = "===BEGIN ICANN DOMAINS===";
    private static final String PRIVATE_BEGIN = "===BEGIN PRIVATE DOMAINS===";

    private final Map<String, Section> rules;
    private final Map<String, Section> wildcards;
    private final Map<String, Section> exceptions;
    private final String source;

    private PublicSuffixList(Map<String, Section> rules, Map<String, Section> wildcards, Map<String, Section> exceptions, String source) {
        this.rules = Map.copyOf(rules);
        this.wildcards = Map.copyOf(wildcards);
        this.exceptions = Map.copyOf(exceptions);
        this.source = source;
    }

    /** The copy packaged with Gatehouse (loaded once). */
    public static PublicSuffixList packaged() { return Packaged.LIST; }

    private static final class Packaged {
        static final PublicSuffixList LIST = load();

        private static PublicSuffixList load() {
            try (InputStream in = PublicSuffixList.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("the packaged " + RESOURCE + " is missing from the build");
                return switch (parse(in.readAllBytes(), "packaged " + RESOURCE)) {
                    case Loaded.Ok ok -> ok.list();
                    case Loaded.Invalid bad -> throw new IllegalStateException(bad.message());
                };
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the packaged " + RESOURCE, e);
            }
        }
    }

    /** Reads a list from a file: what {@code --public-suffix-list FILE} loads instead of the packaged copy. */
    public static Loaded read(Path file) {
        try {
            if (!Files.isRegularFile(file)) return new Loaded.Invalid("public suffix list '" + file + "' does not exist or is not a file");
            if (Files.size(file) > MAX_BYTES) {
                return new Loaded.Invalid("public suffix list '" + file + "' is larger than " + (MAX_BYTES >> 20) + " MiB: not a public suffix list");
            }
            return parse(Files.readAllBytes(file), "public suffix list '" + file + "'");
        } catch (IOException e) {
            return new Loaded.Invalid("public suffix list '" + file + "' cannot be read: " + e.getMessage());
        }
    }

    /** Parses the list's text; {@code source} names it in the messages ({@code public suffix list '/x.dat'}). */
    static Loaded parse(byte[] bytes, String source) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new Loaded.Invalid(source + " is not UTF-8 text");
        }
        Map<String, Section> rules = new HashMap<>();
        Map<String, Section> wildcards = new HashMap<>();
        Map<String, Section> exceptions = new HashMap<>();
        Section section = Section.ICANN;
        boolean icannSeen = false;
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.startsWith("//")) {
                if (line.contains(ICANN_BEGIN)) { section = Section.ICANN; icannSeen = true; }
                else if (line.contains(PRIVATE_BEGIN)) section = Section.PRIVATE;
                continue;
            }
            String rule = line.split("\\s", 2)[0];   // a line is read up to its first white space
            if (rule.isEmpty() || rule.equals("*")) continue;   // "*" is the implicit rule
            String problem = addRule(rule, section, rules, wildcards, exceptions);
            if (problem != null) {
                return new Loaded.Invalid(source + " line " + (n + 1) + ": '" + printable(rule) + "' is not a rule (" + problem + ")");
            }
        }
        if (!icannSeen) return new Loaded.Invalid(source + " has no '// " + ICANN_BEGIN + "' line: not a public suffix list");
        if (rules.size() + wildcards.size() == 0) return new Loaded.Invalid(source + " has no rules");
        return new Loaded.Ok(new PublicSuffixList(rules, wildcards, exceptions, source));
    }

    /** Adds one rule; returns why it is not one, or null. */
    private static String addRule(String rule, Section section, Map<String, Section> rules, Map<String, Section> wildcards,
                                  Map<String, Section> exceptions) {
        Map<String, Section> into = rules;
        String name = rule;
        if (rule.startsWith("!")) { into = exceptions; name = rule.substring(1); }
        else if (rule.startsWith("*.")) { into = wildcards; name = rule.substring(2); }
        if (name.contains("*")) return "a wildcard must be the whole leftmost label";
        String ascii = DomainNames.toAscii(name);
        if (ascii == null || name.endsWith(".")) return "not a domain name";
        if (into == exceptions && ascii.indexOf('.') < 0) return "an exception needs at least two labels";
        into.putIfAbsent(ascii, section);
        return null;
    }

    /**
     * The public suffix of {@code domain} (in A-label form), or null when {@code domain} is not a domain name.
     * Algorithm of publicsuffix.org: an exception rule prevails and its leftmost label is dropped; otherwise the
     * matching rule with the most labels; otherwise {@code *}, the top-level label.
     */
    public String publicSuffix(String domain) {
        String d = DomainNames.toAscii(domain);
        return d == null ? null : suffixOf(d);
    }

    /**
     * The registrable domain: the public suffix plus one label, in A-label form; null when {@code domain} is itself a
     * public suffix ({@code co.uk}) or not a domain name. What the PSL's own test vectors check.
     */
    public String registrableDomain(String domain) {
        String d = DomainNames.toAscii(domain);
        if (d == null) return null;
        String suffix = suffixOf(d);
        if (suffix.length() == d.length()) return null;
        int end = d.length() - suffix.length() - 1;   // the dot before the suffix
        return d.substring(d.lastIndexOf('.', end - 1) + 1);
    }

    /**
     * RFC 7489 §3.2's organizational domain, in A-label form: the registrable domain; a domain that is itself a public
     * suffix ({@code co.uk}, an unlisted top-level name) is its own organizational domain (there is no label to add, and
     * only the name itself can speak for it). Null when {@code domain} is not a domain name.
     */
    public String organizationalDomain(String domain) {
        String d = DomainNames.toAscii(domain);
        if (d == null) return null;
        String r = registrableDomain(d);
        return r == null ? d : r;
    }

    private String suffixOf(String d) {
        // the start of each suffix: 0, then the character after each dot
        int[] starts = new int[d.length() / 2 + 2];
        int count = 0;
        starts[count++] = 0;
        for (int i = 0; i < d.length(); i++) if (d.charAt(i) == '.') starts[count++] = i + 1;
        for (int k = 0; k < count - 1; k++) {
            if (exceptions.containsKey(d.substring(starts[k]))) return d.substring(starts[k + 1]);
        }
        for (int k = 0; k < count; k++) {
            if (rules.containsKey(d.substring(starts[k]))) return d.substring(starts[k]);
            if (k + 1 < count && wildcards.containsKey(d.substring(starts[k + 1]))) return d.substring(starts[k]);
        }
        return d.substring(starts[count - 1]);
    }

    /** Where this list came from and how many rules of each section it has, for the startup log. */
    public String describe() {
        long icann = 0, priv = 0;
        for (Map<String, Section> m : java.util.List.of(rules, wildcards, exceptions)) {
            for (Section s : m.values()) if (s == Section.ICANN) icann++; else priv++;
        }
        return "source=" + source.replace(' ', '_') + " icann_rules=" + icann + " private_rules=" + priv;
    }

    /** Number of rules (normal, wildcard and exception). */
    public int size() { return rules.size() + wildcards.size() + exceptions.size(); }

    /** The section a rule (as written in the list, e.g. {@code *.ck}, {@code !www.ck}) came from, or null when it is not listed. */
    public Section sectionOf(String rule) {
        if (rule.startsWith("!")) return exceptions.get(DomainNames.toAscii(rule.substring(1)));
        if (rule.startsWith("*.")) return wildcards.get(DomainNames.toAscii(rule.substring(2)));
        String a = DomainNames.toAscii(rule);
        return a == null ? null : rules.get(a);
    }

    /** A rule as text fit for a message: controls shown as '?', at most 80 characters. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 80));
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > 80 ? sb + "..." : sb.toString();
    }
}
