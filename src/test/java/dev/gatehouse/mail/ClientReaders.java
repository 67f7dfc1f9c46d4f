// The delivered copy as common parsers read it (Jakarta/Angus Mail, mime4j), compared with what Gatehouse's model reads.
package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.field.MailboxListField;
import org.apache.james.mime4j.dom.field.UnstructuredField;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.io.MaxHeaderLengthLimitException;
import org.apache.james.mime4j.io.MaxHeaderLimitException;
import org.apache.james.mime4j.io.MaxLineLimitException;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.util.ByteSequence;
import org.apache.james.mime4j.util.ContentUtil;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

/**
 * Reads a delivered copy with the parsers mail clients and downstream tools are built on, and checks it
 * against Gatehouse's own model of the same bytes (issue 9: <em>the header set that Gatehouse's firewall and
 * rules act on is exactly the header set that common parsers read from the delivered copy</em>).
 *
 * <p>Readers: Angus Mail with and without {@code mail.mime.allowutf8} (header bytes as UTF-8, or as
 * ISO-8859-1), mime4j with {@link MimeConfig#PERMISSIVE} and with {@link MimeConfig#DEFAULT}. Each gives its
 * list of fields (name, unfolded value), its decoded Subjects and the domains of the From mailboxes it finds
 * (addresses, and display names that are themselves addresses).
 *
 * <p>What {@link #assertAgreesWithGatehouse} compares, and the harmless differences it deliberately ignores:
 * <ul>
 * <li>Field names: the same names in the same order for every reader and for {@link Message#parse}. This is
 *     what makes "a header the client reads and the firewall does not" impossible.</li>
 * <li>Field values, unfolded, by {@link #key}.</li>
 * <li>Protected fields (any name a reader would match to a protected prefix, with Java's
 *     {@code equalsIgnoreCase} folding, which Angus's {@code getHeader} uses): exactly the gateway's own
 *     fields, with the gateway's values, in order, each once.</li>
 * <li>Subjects: the same Subject fields (as written), and each decoded as the reader decodes it is what Gatehouse
 *     decoded (by {@link #key}), or every ASCII word of what the reader shows, as shown or decoded the rest of the way
 *     with Gatehouse's decoder, is a word of Gatehouse's reading (what {@code -SubjectContainsWords} matches). This
 *     lets through a reader that decodes less (Angus decodes only white-space-delimited encoded words and shows the
 *     raw value when one word names an unknown charset; mime4j, and so Gatehouse, decode words anywhere), one that
 *     decodes 8-bit garbage to nothing, and other replacement characters for raw 8-bit bytes inside an encoded word.
 *     A reader that shows a word Gatehouse's rules don't see fails.</li>
 * <li>Subjects and field values are compared by {@link #key}: white space removed and non-ASCII characters
 *     dropped. White space: Angus drops the space between a non-encoded word glued to an encoded word and
 *     the next encoded word ({@code =?utf-8?q?se?=cret =?utf-8?q?a?=} is {@code secreta} for Angus, {@code
 *     secret a} for mime4j and Gatehouse) and unfolds differently. Non-ASCII: raw 8-bit header bytes are
 *     ISO-8859-1 for Angus without allowutf8, UTF-8 (or U+FFFD) with it, UTF-8-when-valid for Gatehouse; a
 *     charset choice, not a different header.</li>
 * <li>From: every domain a reader finds that could be an accepted domain ({@link #hostName}: letters, digits,
 *     hyphens, after lower-casing and removing white space around dots, a trailing dot and empty labels) is in
 *     {@link HeaderFrom#domains()}; mailboxes in display names that are themselves addresses count. Strings a
 *     reader calls a domain that are no host name (a reader's leftover {@code contoso.com)}, a space inside a
 *     label, a domain literal) can't match an accepted domain and are ignored. Known gaps can be tolerated
 *     ({@link Gap}) so that fuzzing goes on past them.</li>
 * </ul>
 * mime4j with {@link MimeConfig#DEFAULT} refuses a header line over 1,000 bytes, a header over 10,000 bytes or
 * over 1,000 fields (it throws: it reads nothing); that reader is then skipped.
 */
public final class ClientReaders {
    private ClientReaders() {}

    /**
     * Known gaps an assertion may be told to tolerate, so that fuzzing can go on looking for new ones while the
     * fix is pending. Each has a disabled regression test that does not tolerate it.
     */
    public enum Gap {
        /**
         * A From mailbox whose local part Gatehouse's {@link Addresses} can't read as one: it takes the domain after an
         * {@code @} only when a word (or dot-separated words) stands right before it. Angus ({@code parseHeader},
         * non-strict) and mime4j ({@code getFrom()}, both address parsers) take whatever stands there, so for
         * {@code From: @contoso.com}, {@code From: CEO <ceo.@contoso.com>}, {@code .@contoso.com},
         * {@code "".@contoso.com}, {@code [x]@contoso.com}, {@code ceo@@contoso.com}, {@code c\0.@contoso.com} they read a
         * mailbox in contoso.com (Angus also for {@code <@contoso.com>} and {@code <@a.example,@contoso.com>}) and
         * Gatehouse's header From has no address at all (or none at that {@code @}: {@code ceo@c <@contoso.com>}).
         * Tolerated: a reader's mailbox whose local part, put before {@code @gap.invalid}, gives Gatehouse no address in
         * gap.invalid.
         */
        LOCAL_PART_GATEHOUSE_CANNOT_READ,
        /**
         * Encoded words Gatehouse's decoding ({@link Text#decodeWords}: mime4j's {@code DecoderUtil}, one pattern over
         * the whole value) leaves raw and Angus's {@code getSubject()} decodes: after a stray {@code =?} token
         * ({@code =? =?utf-8?b?c2VjcmV0?=} shows as {@code =? secret} in Angus; Gatehouse and mime4j read the raw text),
         * and with an RFC 2231 language tag ({@code =?utf-8*en?b?c2VjcmV0?=} is {@code secret} for Angus). A
         * {@code -SubjectContainsWords secret} rule doesn't fire on what the client shows as "secret". Tolerated: a
         * Subject for which Gatehouse's decoder gives another text when run on each white-space-delimited token alone
         * with language tags removed (the two mechanisms above) than on the whole value.
         */
        ENCODED_WORDS_GATEHOUSE_LEAVES_RAW,
        /**
         * mime4j reads a parenthesised comment in a field name as white space and removes it, and drops a field whose
         * name has an unbalanced {@code (}; RFC 5322's {@code ftext} allows both parentheses, so Gatehouse (and Angus)
         * keep the name as written. {@code X-MS-Exchange-(x)Organization-AuthAs: Internal} and
         * {@code (c)X-MS-Exchange-CrossTenant-AuthAs: Internal} pass the firewall (no protected prefix) and mime4j
         * reads a forged AuthAs; {@code From(c): CEO <ceo@contoso.com>} and {@code Subject(x): secret} are a From and a
         * Subject for mime4j that the header-From check and the rules never see. Tolerated: mime4j reads the copy
         * without the fields whose name has a parenthesis.
         */
        COMMENT_IN_FIELD_NAME,
        /**
         * mime4j's lenient address parser ({@code getFrom()}, the From field of its DOM) joins the atoms of a domain
         * across white space and comments: {@code ceo@cont oso.com}, {@code ceo@con(x)toso.com} and
         * {@code CEO <ceo@contoso.c om>} are ceo@contoso.com for it, while Gatehouse reads {@code ceo@cont},
         * {@code ceo@con}, {@code ceo@contoso.c} (Angus: {@code cont oso.com}, {@code con}). The header-From check
         * accepts them and the rules don't see contoso.com. Tolerated: a domain Gatehouse finds once white space and
         * comments are squeezed out of the From values ({@link #domainsWithGapsFixed}).
         */
        DOMAIN_ATOMS_JOINED_ACROSS_WHITE_SPACE,
        /**
         * Gatehouse's {@link Addresses} takes a {@code [} anywhere as the start of a domain literal that runs to the next
         * {@code ]} or to the end of the value; Angus and mime4j read on. {@code From: x@example.org, [ ceo@contoso.com}
         * is x@example.org only for Gatehouse (the header-From check accepts it) and x@example.org plus ceo@contoso.com
         * for both readers; {@code From: CEO [ <ceo@contoso.com>} has no address for Gatehouse and ceo@contoso.com for
         * both. Tolerated: a domain Gatehouse finds once every bracket in the From values is a space ({@link #domainsWithGapsFixed}).
         */
        UNCLOSED_BRACKET,
        /**
         * A From line that holds valid UTF-8 and also bytes that are not: Gatehouse ({@link Text#decode}) reads the whole
         * line as ISO-8859-1, Angus with {@code mail.mime.allowutf8} decodes each valid UTF-8 sequence (U+FFFD for the
         * rest). {@code From: \xff <ceo@bücher.example>} is ceo@bücher.example for Angus and ceo@bã¼cher.example for
         * Gatehouse, so for a tenant whose accepted domain is an IDN (bücher.example, stored as xn--bcher-kva.example)
         * the header-From check and the rules miss it. Tolerated: a reader's domain with non-ASCII characters when the
         * bytes of some From field are not valid UTF-8.
         */
        MIXED_UTF8_LINE,
        /**
         * Angus ends a domain at a comment and drops what follows ({@code parseHeader}, strict or not, and
         * {@code getFrom()}): {@code From: ceo@contoso.com (c).evil} and {@code ceo@contoso.com(x).example} are
         * ceo@contoso.com for Angus, while Gatehouse (and mime4j) continue the domain across the comment as the obsolete
         * syntax allows and read ceo@contoso.com.evil, ceo@contoso.com.example: the header-From check accepts them and
         * the rules don't see contoso.com. Tolerated: a reader's domain that some domain Gatehouse read starts with,
         * followed by a dot, when the From values hold a comment.
         */
        COMMENT_ENDS_THE_DOMAIN_FOR_ANGUS,
        /**
         * Gatehouse's {@link Addresses} scans the text of comments and quoted strings only 8 levels deep.
         * {@code From: x@example.org (((((((((ceo@contoso.com)))))))))} (9 levels) is x@example.org for Gatehouse, so the
         * header-From check accepts it; Angus's {@code getPersonal()} is {@code ((((((((ceo@contoso.com))))))))}, a
         * display name that shows an address in contoso.com (the issue counts those). Tolerated: From values whose
         * comments nest 8 or more levels deep.
         */
        NESTING_DEPTH,
        /**
         * A raw byte outside printable ASCII inside the text of a "B" encoded word: Angus (without allowutf8, the
         * default) reads the byte 0xFF as a base64 digit, mime4j's decoder (Gatehouse's) skips it, so the two decode
         * different bytes. {@code Subject: =?iso-8859-1?b?<0xFF>CBzZWNyZXQ=?=} is "  secret" in Angus's
         * {@code getSubject()} and "ÙXÜ]" for Gatehouse: a {@code -SubjectContainsWords secret} rule doesn't fire.
         * Tolerated: a Subject with such a byte (or a control) inside a "B" encoded word.
         */
        RAW_BYTE_IN_BASE64_WORD
    }

    /** A "B" encoded word (up to the first {@code ?=} after its encoding) with a character outside printable ASCII in its text. */
    private static final Pattern RAW_BYTE_IN_B_WORD = Pattern.compile("=\\?[^?]*\\?[bB]\\?(?:(?!\\?=).)*?[^\\x20-\\x7e](?:(?!\\?=).)*\\?=");

    /** The deepest nesting of parentheses in the From values. */
    static int commentDepth(Message gatehouse) {
        int max = 0;
        for (String v : gatehouse.values("From")) {
            int d = 0;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '\\') i++;
                else if (c == '(') max = Math.max(max, ++d);
                else if (c == ')' && d > 0) d--;
            }
        }
        return max;
    }

    /** Some From field's bytes are not valid UTF-8 (Gatehouse then reads that line as ISO-8859-1). */
    static boolean fromBytesNotUtf8(Message gatehouse) {
        for (HeaderField f : gatehouse.all("From")) {
            try {
                java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(f.raw()));
            } catch (java.nio.charset.CharacterCodingException e) {
                return true;
            }
        }
        return false;
    }

    private static final Pattern COMMENT = Pattern.compile("\\([^()]*\\)");

    /**
     * The domains Gatehouse would find in the From values if the tolerated gaps were fixed, as far as they can be
     * simulated on the values, alone and in combination: every square bracket a space (UNCLOSED_BRACKET), every comment
     * and all white space squeezed out (DOMAIN_ATOMS_JOINED_ACROSS_WHITE_SPACE), encoded words decoded token by token
     * (ENCODED_WORDS_GATEHOUSE_LEAVES_RAW: an encoded display name after a stray {@code =?}); only the domains these
     * add to a plain {@link Addresses#scan} of the values.
     */
    static Set<String> domainsWithGapsFixed(Message gatehouse, Set<Gap> tolerated) {
        List<String> values = gatehouse.values("From");
        Set<String> plain = new LinkedHashSet<>();
        for (String a : Addresses.scan(values)) plain.add(Addresses.domainOf(a));
        List<String> variants = new ArrayList<>(values);
        if (tolerated.contains(Gap.ENCODED_WORDS_GATEHOUSE_LEAVES_RAW)) {
            for (String v : List.copyOf(variants)) variants.add(decodeTokenByToken(v));
        }
        if (tolerated.contains(Gap.UNCLOSED_BRACKET)) {
            for (String v : List.copyOf(variants)) variants.add(v.replace('[', ' ').replace(']', ' '));
        }
        if (tolerated.contains(Gap.DOMAIN_ATOMS_JOINED_ACROSS_WHITE_SPACE)) {
            for (String v : List.copyOf(variants)) {
                String t = v;
                for (String prev = null; !t.equals(prev);) {
                    prev = t;
                    t = COMMENT.matcher(t).replaceAll("");
                }
                variants.add(WSP.matcher(t).replaceAll(""));
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String a : Addresses.scan(variants)) out.add(Addresses.domainOf(a));
        // only what the simulated fixes add: a domain the plain scan of the values finds but HeaderFrom doesn't is a new bug
        out.removeAll(plain);
        return out;
    }

    private static final Pattern LANGUAGE_TAG = Pattern.compile("=\\?([^?*]*)\\*[^?]*\\?");
    private static final Pattern WSP = Pattern.compile("[ \\t]+");

    /** Gatehouse's word decoder run as Angus runs its own: token by token, RFC 2231 language tags removed. */
    static String decodeTokenByToken(String raw) {
        StringBuilder sb = new StringBuilder();
        for (String t : WSP.split(raw)) sb.append(Text.decodeWords(LANGUAGE_TAG.matcher(t).replaceAll("=?$1?"))).append(' ');
        return sb.toString();
    }

    /** A From mailbox a reader found: where (for failure messages), its local part ("" for none) and its domain. */
    public record FromMailbox(String source, String localPart, String domain) {}

    /** One reader's view of the delivered copy. */
    public record View(String reader, List<Map.Entry<String, String>> fields, List<String> rawSubjects, List<String> subjects,
                       List<FromMailbox> fromMailboxes, int fromFields) {
        public List<String> names() { return fields.stream().map(Map.Entry::getKey).toList(); }

        /** The protected fields as name: value. */
        public List<String> protectedFields() {
            return fields.stream().filter(e -> looksProtected(e.getKey())).map(e -> e.getKey() + ": " + e.getValue().strip()).toList();
        }
    }

    private static final Session PLAIN = Session.getInstance(new Properties());
    private static final Session UTF8 = Session.getInstance(utf8());

    private static Properties utf8() {
        Properties p = new Properties();
        p.setProperty("mail.mime.allowutf8", "true");
        return p;
    }

    // --- Angus ------------------------------------------------------------------------------------------

    /** {@code new MimeMessage(session, in)}, {@code getAllHeaders()}, {@code getHeader}, {@code getSubject()}, {@code getFrom()}. */
    public static View angus(byte[] delivered, boolean allowUtf8) {
        String reader = "Angus allowutf8=" + allowUtf8;
        try {
            MimeMessage m = new MimeMessage(allowUtf8 ? UTF8 : PLAIN, new ByteArrayInputStream(delivered));
            List<Map.Entry<String, String>> fields = new ArrayList<>();
            for (Enumeration<Header> e = m.getAllHeaders(); e.hasMoreElements();) {
                Header h = e.nextElement();
                fields.add(Map.entry(h.getName(), MimeUtility.unfold(h.getValue() == null ? "" : h.getValue())));
            }
            List<String> rawSubjects = new ArrayList<>();
            List<String> subjects = new ArrayList<>();
            String[] raw = m.getHeader("Subject");
            if (raw != null) {
                for (String s : raw) {
                    rawSubjects.add(MimeUtility.unfold(s));
                    subjects.add(angusDecode(MimeUtility.unfold(s)));
                }
            }
            // the first Subject, decoded as angusDecode does (on an unknown charset getSubject() returns the value still folded)
            String first = m.getSubject();
            if ((first == null) != subjects.isEmpty() || (first != null && !key(first).equals(key(subjects.getFirst())))) {
                throw new AssertionError(reader + ": getSubject() '" + first + "' is not the first Subject of " + subjects);
            }
            List<FromMailbox> from = new ArrayList<>();
            String[] froms = m.getHeader("From");
            if (froms != null) {
                for (String f : froms) angusMailboxes("parseHeader(From)", f, from);
                angusMailboxes("parseHeader(getHeader(\"From\", \",\"))", m.getHeader("From", ","), from);
                try {
                    jakarta.mail.Address[] addresses = m.getFrom();
                    if (addresses != null) for (jakarta.mail.Address a : addresses) angusMailbox("getFrom()", (InternetAddress) a, from);
                } catch (AddressException ignored) {
                    // getFrom() found no address: a client shows the raw text
                }
            }
            return new View(reader, fields, rawSubjects, subjects, from, froms == null ? 0 : froms.length);
        } catch (MessagingException e) {
            throw new AssertionError(reader + " cannot read the delivered copy", e);
        }
    }

    /** As {@link MimeMessage#getSubject()} decodes: one word in an unknown charset leaves the whole value raw. */
    private static String angusDecode(String s) {
        try {
            return MimeUtility.decodeText(s);
        } catch (UnsupportedEncodingException e) {
            return s;
        }
    }

    private static void angusMailboxes(String how, String header, List<FromMailbox> out) {
        if (header == null) return;
        for (boolean strict : new boolean[] {false, true}) {
            try {
                for (InternetAddress a : InternetAddress.parseHeader(header, strict)) angusMailbox(how + (strict ? " strict" : ""), a, out);
            } catch (AddressException | RuntimeException ignored) {
                // unparseable in this mode
            }
        }
    }

    private static void angusMailbox(String how, InternetAddress a, List<FromMailbox> out) {
        if (a.isGroup()) {
            try {
                InternetAddress[] members = a.getGroup(false);
                if (members != null) for (InternetAddress m : members) angusMailbox(how + " group member", m, out);
            } catch (AddressException | RuntimeException ignored) {
                // a group whose member list does not parse
            }
            return;
        }
        addAddress(how + " address '" + a.getAddress() + "'", a.getAddress(), out);
        displayNameAddresses(how + " display name '" + a.getPersonal() + "'", a.getPersonal(), out);
    }

    // --- mime4j -----------------------------------------------------------------------------------------

    /** {@code DefaultMessageBuilder} with this config, {@code getHeader().getFields()}, {@code getFrom()}; null when its limits refuse the message. */
    public static View mime4j(byte[] delivered, MimeConfig config, String reader) {
        DefaultMessageBuilder b = new DefaultMessageBuilder();
        b.setMimeEntityConfig(config);
        org.apache.james.mime4j.dom.Message m;
        try {
            m = b.parseMessage(new ByteArrayInputStream(delivered));
        } catch (IOException e) {
            if (limit(e)) return null;
            throw new AssertionError(reader + " cannot read the delivered copy", e);
        }
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        List<String> rawSubjects = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        List<FromMailbox> from = new ArrayList<>();
        int fromFields = 0;
        for (Field f : m.getHeader().getFields()) {
            String body = f.getBody() == null ? "" : f.getBody();
            fields.add(Map.entry(f.getName(), body));
            if (f.getName().equalsIgnoreCase("Subject")) {
                rawSubjects.add(body);
                subjects.add(f instanceof UnstructuredField u ? u.getValue() : DecoderUtil.decodeEncodedWords(body, DecodeMonitor.SILENT));
            } else if (f.getName().equalsIgnoreCase("From")) {
                fromFields++;
                if (f instanceof MailboxListField mbl && mbl.getMailboxList() != null) {
                    for (Mailbox mb : mbl.getMailboxList()) mime4jMailbox("MailboxListField", mb, from);
                }
                mime4jMailboxes(body, from);
            }
        }
        if (m.getFrom() != null) for (Mailbox mb : m.getFrom()) mime4jMailbox("getFrom()", mb, from);
        return new View(reader, fields, rawSubjects, subjects, from, fromFields);
    }

    private static boolean limit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MaxLineLimitException || t instanceof MaxHeaderLimitException || t instanceof MaxHeaderLengthLimitException) return true;
        }
        return false;
    }

    private static void mime4jMailboxes(String body, List<FromMailbox> out) {
        // the byte API: parseAddressList(CharSequence) counts the cursor in characters but reads UTF-8 bytes, so every
        // non-ASCII character cuts one character off the end ("jörg@contoso.com" gives contoso.co), a mime4j bug
        // the DOM itself doesn't have (it parses the field's bytes)
        ByteSequence bytes = ContentUtil.encode(body);
        AddressList lenient = LenientAddressParser.DEFAULT.parseAddressList(bytes, new ParserCursor(0, bytes.length()));
        if (lenient != null) for (Mailbox mb : lenient.flatten()) mime4jMailbox("LenientAddressParser", mb, out);
        try {
            AddressList strict = DefaultAddressParser.DEFAULT.parseAddressList(body);
            if (strict != null) for (Mailbox mb : strict.flatten()) mime4jMailbox("DefaultAddressParser", mb, out);
        } catch (org.apache.james.mime4j.field.address.ParseException | RuntimeException | Error ignored) {
            // the strict (JavaCC) parser refuses it, or its token manager gives up (TokenMgrError)
        }
    }

    private static void mime4jMailbox(String how, Mailbox mb, List<FromMailbox> out) {
        if (mb == null) return;
        if (mb.getDomain() != null) out.add(new FromMailbox(how + " mailbox '" + mb.getAddress() + "'", mb.getLocalPart() == null ? "" : mb.getLocalPart(), mb.getDomain()));
        displayNameAddresses(how + " display name '" + mb.getName() + "'", mb.getName(), out);
    }

    // --- shared -----------------------------------------------------------------------------------------

    /** An Angus address: the domain after the last {@code @}; the local part after a route ({@code @a,@b:}), "" when none. */
    private static void addAddress(String how, String address, List<FromMailbox> out) {
        if (address == null) return;
        int at = address.lastIndexOf('@');
        if (at < 0) return;
        String local = address.substring(0, at);
        int colon = local.lastIndexOf(':');
        if (colon >= 0) local = local.substring(colon + 1);
        else if (local.startsWith("@")) local = ""; // "@a.example,@contoso.com": a route and no mailbox
        out.add(new FromMailbox(how, local, address.substring(at + 1)));
    }

    /**
     * A display name that is itself an address ({@code "ceo@contoso.com" <x@example.org>}): what a client shows. Read as
     * written and without the parentheses around it (Angus's display name from a nested comment keeps the inner ones:
     * {@code ((ceo@contoso.com))}, which a reader sees as an address).
     */
    private static void displayNameAddresses(String how, String personal, List<FromMailbox> out) {
        if (personal == null || personal.indexOf('@') < 0) return;
        String inner = personal.strip();
        while (inner.length() >= 2 && inner.startsWith("(") && inner.endsWith(")")) inner = inner.substring(1, inner.length() - 1).strip();
        for (String text : new String[] {personal, inner}) {
            try {
                for (InternetAddress a : InternetAddress.parseHeader(text, false)) addAddress(how, a.getAddress(), out);
            } catch (AddressException | RuntimeException ignored) {
                // not an address
            }
        }
    }

    private static final Pattern HOST = Pattern.compile("[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?(?:\\.[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?)*");

    /**
     * The domain as an accepted-domain comparison would see it (lower case; no white space around a dot, as the
     * obsolete syntax allows: {@code contoso . com}; no trailing dot, no empty labels), or null when it is no host
     * name at all and so can't be one of a tenant's domains: white space inside a label (Angus's non-strict
     * parser returns {@code cont oso.com} for {@code ceo@cont oso.com}, which no one reads as contoso.com), a domain
     * literal, leftover specials, a single label (an accepted domain has two or more).
     */
    public static String hostName(String domain) {
        if (domain == null) return null;
        String t = domain.strip();
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c)) {
                int j = i;
                while (j < t.length() && Character.isWhitespace(t.charAt(j))) j++;
                boolean nearDot = (!sb.isEmpty() && sb.charAt(sb.length() - 1) == '.') || (j < t.length() && t.charAt(j) == '.');
                if (!nearDot) return null;
                i = j - 1;
                continue;
            }
            if (c == '.' && (sb.isEmpty() || sb.charAt(sb.length() - 1) == '.')) continue; // leading dot, empty label
            sb.append(c);
        }
        while (!sb.isEmpty() && sb.charAt(sb.length() - 1) == '.') sb.setLength(sb.length() - 1);
        String d = sb.toString().toLowerCase(Locale.ROOT);
        // an accepted domain has at least two labels (directory.Names): "com" alone is no tenant's domain
        return HOST.matcher(d).matches() && d.indexOf('.') > 0 ? d : null;
    }

    /** Java's equalsIgnoreCase folding of a name (what Angus's getHeader(name) matches with), then the protected prefixes. */
    public static boolean looksProtected(String name) {
        StringBuilder folded = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) folded.append(Character.toLowerCase(Character.toUpperCase(name.charAt(i))));
        String f = folded.toString().strip();
        for (String p : ProtectedHeaders.PREFIXES) if (f.startsWith(p)) return true;
        return ProtectedHeaders.isProtected(name.strip());
    }

    /** The comparison key of a value: ASCII only, no white space or controls (see the class comment). */
    public static String key(String v) {
        if (v == null) return null;
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c > ' ' && c < 0x7f) sb.append(c);
        }
        return sb.toString();
    }

    private static final Pattern NOT_A_WORD = Pattern.compile("[^A-Za-z0-9]+");

    /** The ASCII letter-and-digit words of a text, lower case. */
    static Set<String> words(String s) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : NOT_A_WORD.split(s.toLowerCase(Locale.ROOT))) if (!w.isEmpty()) out.add(w);
        return out;
    }

    /** The field names Gatehouse reads, as a list. */
    public static List<String> names(Message m) { return m.fields().stream().map(HeaderField::name).toList(); }

    /** {@link #assertAgreesWithGatehouse(byte[], List, Set)} tolerating no gap. */
    public static void assertAgreesWithGatehouse(byte[] delivered, List<String> expectedProtected) {
        assertAgreesWithGatehouse(delivered, expectedProtected, Set.of());
    }

    /**
     * Asserts everything the class comment lists, for every reader, against {@link Message#parse} of the same
     * bytes; {@code expectedProtected} is the gateway's own protected fields, as {@code Name: value}, in order.
     * Comparisons run in plain Java and AssertJ is called only to report a difference (fuzzing speed).
     */
    public static void assertAgreesWithGatehouse(byte[] delivered, List<String> expectedProtected, Set<Gap> tolerated) {
        Message gatehouse = Message.parse(delivered);
        List<String> gatehouseProtected = gatehouse.fields().stream().filter(f -> looksProtected(f.name()))
                .map(f -> f.name() + ": " + f.value()).toList();
        if (!gatehouseProtected.equals(expectedProtected)) {
            assertThat(gatehouseProtected).as("the protected fields Gatehouse reads from\n" + printable(delivered))
                    .containsExactlyElementsOf(expectedProtected);
        }
        compare(angus(delivered, false), gatehouse, delivered, expectedProtected, tolerated);
        compare(angus(delivered, true), gatehouse, delivered, expectedProtected, tolerated);
        // a tolerated COMMENT_IN_FIELD_NAME: mime4j reads the copy without the fields whose name has a parenthesis
        boolean skip = tolerated.contains(Gap.COMMENT_IN_FIELD_NAME) && gatehouse.fields().stream().anyMatch(ClientReaders::parenthesis);
        Message forMime4j = skip ? gatehouse.without(ClientReaders::parenthesis) : gatehouse;
        byte[] mime4jBytes = skip ? forMime4j.bytes() : delivered;
        compare(mime4j(mime4jBytes, MimeConfig.PERMISSIVE, "mime4j PERMISSIVE"), forMime4j, mime4jBytes, expectedProtected, tolerated);
        View strictLimits = mime4j(mime4jBytes, MimeConfig.DEFAULT, "mime4j DEFAULT");
        if (strictLimits != null) compare(strictLimits, forMime4j, mime4jBytes, expectedProtected, tolerated);
    }

    private static boolean parenthesis(HeaderField f) { return f.name().indexOf('(') >= 0 || f.name().indexOf(')') >= 0; }

    /** One reader's view of {@code read} against Gatehouse's reading of the same bytes. */
    private static void compare(View v, Message gatehouse, byte[] read, List<String> expectedProtected, Set<Gap> tolerated) {
        List<String> gatehouseNames = names(gatehouse);
        List<String> gatehouseValues = gatehouse.fields().stream().map(f -> key(f.value())).toList();
        List<String> gatehouseRawSubjects = gatehouse.values("Subject").stream().map(ClientReaders::key).toList();
        List<String> gatehouseSubjects = gatehouse.subjects();
        HeaderFrom gatehouseFrom = gatehouse.headerFrom();
        Set<String> gatehouseDomains = gatehouseFrom.domains();
        java.util.function.Supplier<String> who = () -> v.reader() + " on\n" + printable(read);
        if (!v.names().equals(gatehouseNames)) {
            assertThat(v.names()).as(who.get() + "\nfield names").containsExactlyElementsOf(gatehouseNames);
        }
        List<String> readerValues = v.fields().stream().map(e -> key(e.getValue())).toList();
        if (!readerValues.equals(gatehouseValues)) {
            assertThat(readerValues).as(who.get() + "\nfield values (ASCII, no white space)").containsExactlyElementsOf(gatehouseValues);
        }
        List<String> readerProtected = v.protectedFields();
        if (!readerProtected.equals(expectedProtected)) {
            assertThat(readerProtected).as(who.get() + "\nprotected fields").containsExactlyElementsOf(expectedProtected);
        }
        for (String p : readerProtected) {
            if (p.contains("Internal") || p.toLowerCase(Locale.ROOT).contains("evil")) {
                throw new AssertionError(who.get() + "\nattacker text in a protected field: " + p);
            }
        }
        List<String> readerRawSubjects = v.rawSubjects().stream().map(ClientReaders::key).toList();
        if (!readerRawSubjects.equals(gatehouseRawSubjects)) {
            assertThat(readerRawSubjects).as(who.get() + "\nSubjects as written (ASCII, no white space)")
                    .containsExactlyElementsOf(gatehouseRawSubjects);
        }
        for (int i = 0; i < v.subjects().size(); i++) {
            String shown = v.subjects().get(i);
            String gatehouseSubject = gatehouseSubjects.get(i);
            if (key(shown).equals(key(gatehouseSubject))) continue;
            // the reader decoded less than Gatehouse (Angus: only whole white-space-delimited encoded words, and nothing
            // at all once one word names a charset it doesn't know), or more but to nothing Gatehouse misses (Angus decodes
            // =?iso-8859+1?b?<8-bit bytes>?= to nothing, Gatehouse leaves it raw), or the same with other replacement
            // characters for raw 8-bit bytes inside an encoded word: every word of what it shows, decoded the rest of the
            // way, is a word Gatehouse's rules see. A reader that shows a word the rules don't see fails.
            if (tolerated.contains(Gap.ENCODED_WORDS_GATEHOUSE_LEAVES_RAW)) {
                String raw = gatehouse.values("Subject").get(i);
                if (!key(decodeTokenByToken(raw)).equals(key(Text.decodeWords(raw)))) continue;
            }
            if (tolerated.contains(Gap.RAW_BYTE_IN_BASE64_WORD) && RAW_BYTE_IN_B_WORD.matcher(gatehouse.values("Subject").get(i)).find()) continue;
            Set<String> seenByRules = new LinkedHashSet<>();
            for (String reading : gatehouse.all("Subject").get(i).shownReadings()) seenByRules.addAll(words(reading));
            if (seenByRules.containsAll(words(shown)) || seenByRules.containsAll(words(Text.decodeWords(shown)))) continue;
            assertThat(words(shown)).as(who.get() + "\nSubject " + i + " as the reader shows it: '" + shown
                    + "', as Gatehouse reads it: '" + gatehouseSubject + "': words the rules don't see").isSubsetOf(seenByRules);
        }
        if (v.fromFields() != gatehouseFrom.fields()) {
            assertThat(v.fromFields()).as(who.get() + "\nnumber of From fields").isEqualTo(gatehouseFrom.fields());
        }
        for (FromMailbox mb : v.fromMailboxes()) {
            String host = hostName(mb.domain());
            if (host == null || gatehouseDomains.contains(host)) continue;
            if (tolerated.contains(Gap.LOCAL_PART_GATEHOUSE_CANNOT_READ)
                    && Addresses.scan(mb.localPart() + "@gap.invalid").stream().noneMatch(a -> a.endsWith("@gap.invalid"))) continue;
            if (!tolerated.isEmpty() && domainsWithGapsFixed(gatehouse, tolerated).contains(host)) continue;
            if (tolerated.contains(Gap.NESTING_DEPTH) && commentDepth(gatehouse) >= 8) continue;
            if (tolerated.contains(Gap.COMMENT_ENDS_THE_DOMAIN_FOR_ANGUS) && String.join(",", gatehouse.values("From")).indexOf('(') >= 0
                    && gatehouseDomains.stream().anyMatch(d -> d.startsWith(host + "."))) continue;
            if (tolerated.contains(Gap.MIXED_UTF8_LINE) && !key(host).equals(host) && fromBytesNotUtf8(gatehouse)) continue;
            throw new AssertionError(who.get() + "\nthe reader finds a From mailbox in " + host + " (" + mb.source()
                    + ", local part '" + mb.localPart() + "') but Gatehouse's header From is " + gatehouseFrom);
        }
    }

    /** The bytes with CR, LF, TAB and other controls made visible, for failure messages. */
    public static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            if (c == '\r') sb.append("\\r");
            else if (c == '\n') sb.append("\\n\n");
            else if (c == '\t') sb.append("\\t");
            else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", c));
            else sb.append((char) c);
        }
        return sb.toString();
    }
}
