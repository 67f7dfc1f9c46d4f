// The RFC5322.From domains DMARC evaluates (RFC 7489 §6.6.1): strictly parsed, or read suspiciously when malformed.
package dev.gatehouse.dmarc;

import dev.gatehouse.mail.DomainNames;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.gatehouse.mail.HeaderFrom;
import dev.gatehouse.mail.Message;

/**
 * Which Author Domains a message has. RFC 7489 §6.6.1 expects exactly one From field with one domain, leaves
 * messages without one "outside the scope", and for a From with several mailboxes says to check each domain and
 * apply the strictest policy among the failures. Here:
 *
 * <ul>
 * <li>No From field, or a From in which no address can be found → {@link Unusable} (the result is
 *     {@code permerror}: nothing can be authenticated, and nothing passes).</li>
 * <li>Each From field is parsed strictly as an RFC 5322 {@code mailbox-list} (no obsolete syntax but a
 *     {@code .} in an unquoted display name; UTF-8 allowed as RFC 6532 allows it). When every field parses, the
 *     Author Domains are the domains of the mailboxes' addr-specs: a display name {@code "bob@gmail.com via x"}
 *     is a name, not a domain, as in every DMARC implementation.</li>
 * <li>When a field does not parse strictly, readers disagree about what it says ({@code ceo@contoso.com(c).evil.example}
 *     is {@code contoso.com} to one and {@code contoso.com.evil.example} to another), so the domains are those of
 *     {@link Message#headerFrom()}, every address any reader could find, and each must pass: an attacker gains
 *     nothing from malformed syntax. A scan that could not finish is {@link Unusable}.</li>
 * <li>Several From fields (forbidden by RFC 5322) are treated like one field with several mailboxes.</li>
 * <li>A domain that is not a domain name (an address literal {@code [192.0.2.1]}, a label with symbols) makes the
 *     message {@link Unusable}; more than {@link #MAX_DOMAINS} distinct domains too (bounds the DNS work).</li>
 * </ul>
 */
final class AuthorDomains {
    private AuthorDomains() {}

    /** Distinct Author Domains evaluated at most; a From naming more is {@code permerror}. */
    static final int MAX_DOMAINS = 10;

    sealed interface Found permits Domains, Unusable {}

    /** The distinct Author Domains, A-label form, in order of appearance. */
    record Domains(List<String> domains) implements Found {}

    /** No domain DMARC can evaluate; {@code problem} says why. */
    record Unusable(String problem) implements Found {}

    static Found of(Message message) {
        List<String> values = message.values("From");
        if (values.isEmpty()) return new Unusable("the message has no From field");
        Set<String> raw = new LinkedHashSet<>();
        boolean strict = true;
        for (String v : values) {
            List<String> domains = new MailboxListParser(v).domains();
            if (domains == null) { strict = false; break; }
            raw.addAll(domains);
        }
        if (!strict) {
            HeaderFrom from = message.headerFrom();
            if (from.unparseable()) return new Unusable("no address can be read from the From field");
            raw = from.domains();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String d : raw) {
            String a = DomainNames.toAsciiAsShown(d);   // ceo@pay<ZWJ>pal.com is paypal.com's to judge: a client shows it so
            if (a == null) return new Unusable("From domain '" + DmarcRecord.shown(d) + "' is not a domain name");
            out.add(a);
        }
        if (out.isEmpty()) return new Unusable("no address can be read from the From field");
        if (out.size() > MAX_DOMAINS) return new Unusable("the From field names " + out.size() + " domains (at most " + MAX_DOMAINS + " are evaluated)");
        return new Domains(List.copyOf(out));
    }

    /**
     * A strict reader of one {@code mailbox-list} (RFC 5322 §3.4, RFC 6532): {@code addr-spec} or
     * {@code [display-name] "<" addr-spec ">"}, separated by commas, with comments and white space where the
     * grammar allows them and nowhere inside a dot-atom.
     */
    static final class MailboxListParser {
        private static final int MAX_COMMENT_DEPTH = 16;
        private final String s;
        private int i;

        MailboxListParser(String s) { this.s = s; }

        /** The domain of each mailbox (a domain literal with its brackets), or null when the value is not strictly a mailbox-list. */
        List<String> domains() {
            List<String> out = new ArrayList<>();
            while (true) {
                String d = mailbox();
                if (d == null) return null;
                out.add(d);
                if (peek() != ',') break;
                i++;
            }
            return i == s.length() ? out : null;
        }

        /** One mailbox, ending after its trailing CFWS; its domain or null. */
        private String mailbox() {
            if (!cfws()) return null;
            int start = i;
            if (peek() == '<') return angleAddr();
            // a display name followed by "<", or else an addr-spec
            while (i < s.length()) {
                if (!cfws()) return null;
                char c = peek();
                if (c == '<') return angleAddr();
                if (c == '"') { if (!quoted()) return null; }
                else if (c == '.') i++;
                else if (atext(c)) while (i < s.length() && atext(s.charAt(i))) i++;
                else break;
            }
            i = start;
            return addrSpec();
        }

        private String angleAddr() {
            i++;   // '<'
            String d = addrSpec();
            if (d == null || peek() != '>') return null;
            i++;
            return cfws() ? d : null;
        }

        /** {@code local-part "@" domain} with optional CFWS around each; the domain or null. */
        private String addrSpec() {
            if (!cfws()) return null;
            if (peek() == '"') { if (!quoted()) return null; }
            else if (!dotAtom()) return null;
            if (!cfws() || peek() != '@') return null;
            i++;
            if (!cfws()) return null;
            int start = i;
            if (peek() == '[') {
                i++;
                while (i < s.length() && s.charAt(i) != ']') {
                    char c = s.charAt(i++);
                    if (c == '[' || c == '\\' || !(c >= 0x21 && c <= 0x7e || c == ' ' || c == '\t')) return null;
                }
                if (i == s.length()) return null;
                i++;
            } else if (!dotAtom()) {
                return null;
            }
            String domain = s.substring(start, i);
            return cfws() ? domain : null;
        }

        private boolean dotAtom() {
            int start = i;
            while (true) {
                int label = i;
                while (i < s.length() && atext(s.charAt(i))) i++;
                if (i == label) return false;
                if (peek() != '.') return i > start;
                i++;
            }
        }

        private boolean quoted() {
            i++;   // '"'
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') return true;
                if (c == '\\') {
                    if (i == s.length() || !visibleOrSpace(s.charAt(i))) return false;
                    i++;
                } else if (!visibleOrSpace(c)) {
                    return false;
                }
            }
            return false;
        }

        /** Optional comments and white space; false when a comment is not closed (or nested too deeply) or a control appears. */
        private boolean cfws() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t') i++;
                else if (c == '(') { if (!comment(0)) return false; }
                else break;
            }
            return true;
        }

        private boolean comment(int depth) {
            if (depth > MAX_COMMENT_DEPTH) return false;
            i++;   // '('
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == ')') return true;
                if (c == '(') { i--; if (!comment(depth + 1)) return false; }
                else if (c == '\\') {
                    if (i == s.length() || !visibleOrSpace(s.charAt(i))) return false;
                    i++;
                } else if (!visibleOrSpace(c)) {
                    return false;
                }
            }
            return false;
        }

        private char peek() { return i < s.length() ? s.charAt(i) : '\0'; }

        /** RFC 5322 atext, and (RFC 6532) any non-ASCII character that is not a control or white space. */
        private static boolean atext(char c) {
            if (c < 0x80) return Character.isLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
            return nonAsciiText(c);
        }

        private static boolean visibleOrSpace(char c) {
            return c >= 0x21 && c <= 0x7e || c == ' ' || c == '\t' || c >= 0x80 && nonAsciiText(c);
        }

        private static boolean nonAsciiText(char c) {
            return !(c <= 0x9f) && !Character.isWhitespace(c) && !Character.isSpaceChar(c) && c != '\uFEFF' && !(c >= '\u2028' && c <= '\u202F');
        }
    }
}
