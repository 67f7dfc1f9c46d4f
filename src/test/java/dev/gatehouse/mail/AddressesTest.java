// The address scanner and the header From: every mailbox a suspicious reader could see, checked by example and
// against what Angus Mail and mime4j report for generated From values.
package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

class AddressesTest {

    private static Message msg(String header) { return Message.parse((header + "\r\n").getBytes(StandardCharsets.UTF_8)); }

    private static HeaderFrom from(String value) { return msg("From: " + value + "\r\n").headerFrom(); }

    // --- by example ------------------------------------------------------------------------------------

    @Test
    void aPlainAddress() {
        assertThat(Addresses.scan("ceo@contoso.com")).containsExactly("ceo@contoso.com");
        assertThat(from("ceo@contoso.com").domains()).containsExactly("contoso.com");
    }

    @Test
    void rawUtf8InADisplayNameDoesNotCutTheEndOffTheLastAddress() {
        // mime4j's String parser counts chars but reads bytes: "Jörg" once made "alice@contoso.co" a reading
        assertThat(Addresses.scan("\"Jörg\" <joerg@contoso.com>, alice@contoso.com"))
                .containsExactlyInAnyOrder("joerg@contoso.com", "alice@contoso.com");
        assertThat(Addresses.scan("\"Jörg\" <jörg@bücher.example>")).containsExactly("jörg@bücher.example");
    }

    @Test
    void aNameAndAnAngleAddress() {
        assertThat(Addresses.scan("Chief Executive <ceo@contoso.com>")).containsExactly("ceo@contoso.com");
        assertThat(Addresses.scan("\"Chief, Executive\" <ceo@contoso.com>")).containsExactly("ceo@contoso.com");
        assertThat(Addresses.scan("<ceo@contoso.com>")).containsExactly("ceo@contoso.com");
    }

    @Test
    void aQuotedDisplayNameThatIsAnAddressIsFoundBesideTheRealAddress() {
        assertThat(Addresses.scan("\"ceo@contoso.com\" <x@example.org>")).containsExactlyInAnyOrder("ceo@contoso.com", "x@example.org");
        assertThat(Addresses.scan("\"CEO ceo\\@contoso.com\" <x@example.org>")).containsExactlyInAnyOrder("ceo@contoso.com", "x@example.org");
    }

    @Test
    void anUnquotedDisplayNameThatIsAnAddressIsFoundBesideTheRealAddress() {
        assertThat(Addresses.scan("ceo@contoso.com <x@example.org>")).containsExactlyInAnyOrder("ceo@contoso.com", "x@example.org");
    }

    @Test
    void anAddressInACommentIsFoundBesideTheRealAddress() {
        assertThat(Addresses.scan("ceo@contoso.com (x@example.org)")).containsExactlyInAnyOrder("ceo@contoso.com", "x@example.org");
        assertThat(Addresses.scan("x@example.org (ceo@contoso.com)")).containsExactlyInAnyOrder("ceo@contoso.com", "x@example.org");
    }

    @Test
    void everyAddressOfAListIsFound() {
        assertThat(Addresses.scan("x@example.org, ceo@contoso.com")).containsExactly("x@example.org", "ceo@contoso.com");
        assertThat(Addresses.scan("x@example.org,ceo@contoso.com,,")).containsExactly("x@example.org", "ceo@contoso.com");
        // mime4j reads one address here, its domain running on across the space ("example.orgceo"): a harmless extra reading
        assertThat(Addresses.scan("x@example.org ceo@contoso.com")).contains("x@example.org", "ceo@contoso.com");
    }

    @Test
    void everyFromFieldIsRead() {
        HeaderFrom f = msg("From: x@example.org\r\nSubject: s\r\nfrom: ceo@contoso.com").headerFrom();
        assertThat(f.fields()).isEqualTo(2);
        assertThat(f.present()).isTrue();
        assertThat(f.addresses()).containsExactlyInAnyOrder("x@example.org", "ceo@contoso.com");
        assertThat(f.domains()).containsExactlyInAnyOrder("example.org", "contoso.com");
    }

    @Test
    void groupMembersAreFound() {
        assertThat(Addresses.scan("grp: ceo@contoso.com;")).containsExactly("ceo@contoso.com");
        assertThat(Addresses.scan("grp: x@example.org, CEO <ceo@contoso.com>;, y@example.net"))
                .containsExactly("x@example.org", "ceo@contoso.com", "y@example.net");
        assertThat(Addresses.scan("undisclosed-recipients:;")).isEmpty();
    }

    @Test
    void aRouteAddressYieldsTheMailboxNotTheRoute() {
        // the route's domains are read too (an '@' with a domain after it is a claim), which only errs toward refusing
        assertThat(Addresses.scan("<@route.example:ceo@contoso.com>")).containsExactlyInAnyOrder("ceo@contoso.com", "@route.example");
        assertThat(Addresses.scan("CEO <@a.example,@b.example:ceo@contoso.com>")).contains("ceo@contoso.com")
                .allMatch(a -> a.equals("ceo@contoso.com") || a.startsWith("@"));
    }

    @Test
    void whiteSpaceAndCommentsAroundTheAtAndTheDotsAreObsoleteSyntaxAndStillAnAddress() {
        assertThat(Addresses.scan("ceo @ contoso . com")).containsExactly("ceo@contoso.com");
        assertThat(Addresses.scan("ceo\t@\tcontoso\t.\tcom")).containsExactly("ceo@contoso.com");
        // a comment ends the address for Angus (ceo@contoso), the obsolete syntax reads on: both are readings
        assertThat(Addresses.scan("ceo(a)@(b)contoso(c).(d)com")).contains("ceo@contoso.com");
        assertThat(Addresses.scan("first . last @ contoso.com")).containsExactly("first.last@contoso.com");
        assertThat(Addresses.scan("\"ceo\"@contoso.com")).containsExactly("ceo@contoso.com");
        assertThat(Addresses.scan("\"c e o\".x@contoso.com")).containsExactly("c e o.x@contoso.com");
    }

    @Test
    void aTrailingDotAndEmptyLabelsAreDroppedFromTheDomain() {
        assertThat(Addresses.scan("ceo@contoso.com.")).containsExactly("ceo@contoso.com");
        assertThat(Addresses.scan("<ceo@contoso.com.>")).containsExactly("ceo@contoso.com");
        assertThat(Addresses.scan("ceo@contoso..com")).containsExactly("ceo@contoso.com");
        assertThat(Addresses.scan("ceo@.contoso.com")).containsExactly("ceo@contoso.com");
        assertThat(from("ceo@contoso.com.").domains()).containsExactly("contoso.com");
    }

    @Test
    void addressesAreLowerCased() {
        assertThat(Addresses.scan("CEO@CONTOSO.COM")).containsExactly("ceo@contoso.com");
        assertThat(from("CEO <CEO@Contoso.COM.>").domains()).containsExactly("contoso.com");
    }

    @Test
    void aDomainLiteralIsKeptAsWritten() {
        assertThat(Addresses.scan("ceo@[192.0.2.1]")).containsExactly("ceo@[192.0.2.1]");
        assertThat(from("CEO <ceo@[192.0.2.1]>").domains()).containsExactly("[192.0.2.1]");
        assertThat(Addresses.scan("ceo@[IPv6:2001:DB8::1]")).containsExactly("ceo@[ipv6:2001:db8::1]");
    }

    @Test
    void anEncodedDisplayNameThatIsAnAddressIsFound() {
        assertThat(Addresses.scan("=?utf-8?q?ceo=40contoso.com?= <x@example.org>")).containsExactlyInAnyOrder("x@example.org", "ceo@contoso.com");
        assertThat(Addresses.scan("=?utf-8?b?Y2VvQGNvbnRvc28uY29t?= <x@example.org>")).containsExactlyInAnyOrder("x@example.org", "ceo@contoso.com");
        assertThat(from("=?utf-8?q?ceo=40contoso.com?=").domains()).containsExactly("contoso.com");
    }

    @Test
    void addressesInNestedCommentsAreFound() {
        assertThat(Addresses.scan("x@example.org (a (ceo@contoso.com) b)")).containsExactlyInAnyOrder("x@example.org", "ceo@contoso.com");
        assertThat(Addresses.scan("x@example.org (a (b \"ceo@contoso.com\") c)")).containsExactlyInAnyOrder("x@example.org", "ceo@contoso.com");
        assertThat(Addresses.scan("x@example.org (a \\) ceo@contoso.com)")).containsExactlyInAnyOrder("x@example.org", "ceo@contoso.com");
        String eight = "(".repeat(8) + "ceo@contoso.com" + ")".repeat(8);
        assertThat(Addresses.scan("x@example.org " + eight)).containsExactlyInAnyOrder("x@example.org", "ceo@contoso.com");
    }

    @Test
    void anAddressNineCommentsDeepIsFound() {
        String nine = "(".repeat(9) + "ceo@contoso.com" + ")".repeat(9);
        assertThat(Addresses.scan("x@example.org " + nine)).containsExactlyInAnyOrder("x@example.org", "ceo@contoso.com");
    }

    @Test
    void unterminatedCommentsAndQuotesAreScannedToTheEnd() {
        assertThat(Addresses.scan("x@example.org (ceo@contoso.com")).containsExactlyInAnyOrder("x@example.org", "ceo@contoso.com");
        assertThat(Addresses.scan("\"ceo@contoso.com")).containsExactly("ceo@contoso.com");
    }

    @Test
    void controlCharactersIncludingNulSeparateTokens() {
        assertThat(Addresses.scan("ceo\0@\0contoso\0.\0com")).containsExactly("ceo@contoso.com");
        assertThat(Addresses.scan("x@example.org\0ceo@contoso.com")).containsExactly("x@example.org", "ceo@contoso.com");
        assertThat(Addresses.scan("\u0001ceo@contoso.com\u007f")).containsExactly("ceo@contoso.com");
        // a C1 control (NEL) separates too: a client that breaks the line there shows ceo@contoso.com on its own
        assertThat(from("x@example.org\u0085ceo@contoso.com").domains()).contains("example.org", "contoso.com");
    }

    @Test
    void aFromWithNoAddressIsPresentAndUnparseable() {
        HeaderFrom f = from("CEO");
        assertThat(f.present()).isTrue();
        assertThat(f.unparseable()).isTrue();
        assertThat(f.addresses()).isEmpty();
        assertThat(f.domains()).isEmpty();
        assertThat(from("").unparseable()).isTrue();
        assertThat(from("ceo@").unparseable()).isTrue();
    }

    @Test
    void noFromFieldIsNotPresentAndNotUnparseable() {
        HeaderFrom f = msg("Subject: s\r\nSender: ceo@contoso.com").headerFrom();
        assertThat(f.fields()).isZero();
        assertThat(f.present()).isFalse();
        assertThat(f.unparseable()).isFalse();
        assertThat(f.addresses()).isEmpty();
    }

    @Test
    void aFromAfterALineThatEndsTheHeaderSectionIsBodyAndNotRead() {
        HeaderFrom f = msg("Subject: s\r\nnot a field\r\nFrom: ceo@contoso.com").headerFrom();
        assertThat(f.present()).isFalse();
    }

    @Test
    void domainsStripsTheTrailingDotLowerCasesAndHasNoDuplicates() {
        HeaderFrom f = new HeaderFrom(1, Set.of("a@contoso.com", "b@contoso.com", "c@example.org"));
        assertThat(f.domains()).containsExactlyInAnyOrder("contoso.com", "example.org");
        assertThat(from("a@Contoso.COM., b@contoso.com").domains()).containsExactly("contoso.com");
        assertThat(Addresses.domainOf("a@b.example")).isEqualTo("b.example");
        assertThat(Addresses.domainOf("\"a@x\"@b.example")).isEqualTo("b.example");
        assertThat(Addresses.domainOf("nobody")).isEmpty();
    }

    @Test
    void addressesOfOtherFieldsAreReadTheSameWay() {
        Message m = msg("To: a@example.org, \"b@contoso.com\" <c@example.net>\r\nTo: d@example.com");
        assertThat(m.addresses("to")).containsExactlyInAnyOrder("a@example.org", "b@contoso.com", "c@example.net", "d@example.com");
        assertThat(m.addresses("Cc")).isEmpty();
    }

    @Test
    void aFoldedFromIsUnfoldedBeforeScanning() {
        HeaderFrom f = msg("From: CEO\r\n <ceo@contoso\r\n .com>").headerFrom();
        assertThat(f.addresses()).containsExactly("ceo@contoso.com");
    }

    @Test
    void theScanNeverThrowsOnLongOrOddInput() {
        assertThat(Addresses.scan("(".repeat(100_000))).isEmpty();
        assertThat(Addresses.scan("\"".repeat(100_001))).isEmpty();
        assertThat(Addresses.scan("@".repeat(10_000))).isEmpty();
        assertThat(Addresses.scan("[".repeat(10_000))).isEmpty();
        assertThat(Addresses.scan("\\")).isEmpty();
        assertThat(Addresses.scan("=?")).isEmpty();
        assertThat(Addresses.scan("a@b".repeat(10_000))).isNotEmpty();
    }

    // --- what Angus and mime4j report -------------------------------------------------------------------

    /** The domains of the mailboxes Angus Mail (non-strict) and mime4j (lenient) read, group members included. */
    static Set<String> libraryDomains(String value) {
        Set<String> out = new LinkedHashSet<>();
        try {
            for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
                if (a.isGroup()) {
                    try {
                        for (InternetAddress member : a.getGroup(false)) addDomainOf(out, member.getAddress());
                    } catch (AddressException e) {
                        // Angus can't list the members either
                    }
                } else {
                    addDomainOf(out, a.getAddress());
                }
            }
        } catch (AddressException e) {
            // Angus reads no address
        }
        // mime4j's String entry point mangles non-ASCII text (it reads "\u00e9@example" as domain "exampl"), so it is
        // asked only about ASCII values; a mime4j-based client parses the field's bytes instead
        if (value.chars().allMatch(c -> c < 128)) {
            for (org.apache.james.mime4j.dom.address.Address a : LenientAddressParser.DEFAULT.parseAddressList(value)) {
                if (a instanceof Mailbox mb) addDomain(out, mb.getDomain());
                else if (a instanceof Group g) for (Mailbox mb : g.getMailboxes()) addDomain(out, mb.getDomain());
            }
        }
        return out;
    }

    /** Angus gives the address; one without an @ (Angus reads a lone word as an address) has no domain. */
    private static void addDomainOf(Set<String> out, String address) {
        if (address != null && address.indexOf('@') >= 0) addDomain(out, address.substring(address.lastIndexOf('@') + 1));
    }

    private static void addDomain(Set<String> out, String domain) {
        if (domain == null) return;
        String d = domain.toLowerCase(Locale.ROOT);
        while (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        if (!d.isEmpty()) out.add(d);
    }

    /**
     * A domain a check could compare with an accepted domain: a host name (labels of letters, digits, '-' and '_'; no empty
     * label) or an address literal. The libraries also report "domains" such as {@code contoso.com>} or {@code "contoso.com"}
     * or {@code contoso.com\0x} for malformed input; no accepted domain can equal those, so they are not a gap.
     */
    static boolean comparable(String domain) {
        return domain.matches("[\\p{L}\\p{N}_-]+(\\.[\\p{L}\\p{N}_-]+)*") || domain.matches("\\[[^\\[\\]]*\\]");
    }

    /** The first domain a library reports that the scanner does not, or null. */
    static String missed(String value) {
        Set<String> ours = from(value).domains();
        for (String d : libraryDomains(value)) if (comparable(d) && !ours.contains(d)) return d;
        return null;
    }

    private static String shrunk(List<String> pieces) {
        List<String> p = new ArrayList<>(pieces);
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int i = 0; i < p.size() && !changed; i++) {
                List<String> fewer = new ArrayList<>(p);
                fewer.remove(i);
                if (missed(String.join("", fewer)) != null) {
                    p = fewer;
                    changed = true;
                }
            }
        }
        return String.join("", p);
    }

    private static void assertSuperset(List<String> pieces, String label) {
        String value = String.join("", pieces);
        String d = missed(value);
        if (d != null) {
            String min = shrunk(pieces);
            throw new AssertionError(label + ": the libraries read domain '" + d + "' in From: " + printable(value) + " which the scanner "
                    + "misses (scanner: " + from(value).domains() + "); minimal: " + printable(min) + " -> libraries " + libraryDomains(min)
                    + ", scanner " + from(min).domains());
        }
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) b.append(c < 0x20 || c >= 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        return b.append('"').toString();
    }

    // Generated From values of RFC 5322 syntax, the obsolete syntax included: every piece sits where the grammar allows it.

    private static final String[] LABELS = {"contoso", "example", "com", "org", "CONTOSO", "sub-1", "xn--bcher-kva", "a_b"};
    private static final String[] CFWS = {" ", "\t", "(c)", " (x@example.org) ", "(a (b) c)", "(\"ceo@contoso.com\")", "  ", "\0"};

    private static String pick(Random r, String[] a) { return a[r.nextInt(a.length)]; }

    private static String cfws(Random r) { return r.nextInt(3) == 0 ? pick(r, CFWS) : ""; }

    private static String word(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "\"ceo\"";
            case 1 -> "\"c e.o\"";
            case 2 -> "first_last";
            case 3 -> "CEO";
            default -> pick(r, new String[] {"ceo", "x", "a+tag", "o'brien"});
        };
    }

    /** White space and comments inside the addr-spec, around its dots and its @: the obsolete syntax (RFC 5322 section 4.4). */
    private static String obs(Random r, boolean obsolete) { return obsolete ? cfws(r) : ""; }

    private static String addrSpec(Random r, boolean obsolete) {
        StringBuilder b = new StringBuilder(word(r));
        for (int i = r.nextInt(3); i > 0; i--) b.append(obs(r, obsolete)).append('.').append(obs(r, obsolete)).append(word(r));
        b.append(obs(r, obsolete)).append('@').append(obs(r, obsolete));
        if (r.nextInt(8) == 0) return b.append(r.nextBoolean() ? "[192.0.2.1]" : "[IPv6:2001:db8::1]").toString();
        b.append(pick(r, LABELS));
        for (int i = r.nextInt(3); i > 0; i--) b.append(obs(r, obsolete)).append('.').append(obs(r, obsolete)).append(pick(r, LABELS));
        if (r.nextInt(5) == 0) b.append('.'); // the trailing dot
        return b.toString();
    }

    private static String displayName(Random r, boolean obsolete) {
        return switch (r.nextInt(5)) {
            case 0 -> "Chief Executive";
            case 1 -> "\"" + addrSpec(r, obsolete).replace("\"", "") + "\"";
            case 2 -> "=?utf-8?q?ceo=40contoso.com?=";
            case 3 -> "\"Executive, Chief\"";
            default -> "CEO";
        };
    }

    private static String mailbox(Random r, boolean obsolete) {
        return switch (r.nextInt(4)) {
            case 0 -> addrSpec(r, obsolete) + cfws(r);
            case 1 -> displayName(r, obsolete) + cfws(r) + "<" + (r.nextInt(4) == 0 ? "@route.example:" : "") + addrSpec(r, obsolete) + ">" + cfws(r);
            case 2 -> "<" + addrSpec(r, obsolete) + ">";
            default -> addrSpec(r, obsolete) + " (" + displayName(r, obsolete).replace("(", "").replace(")", "") + ")";
        };
    }

    private static List<String> addressList(Random r, boolean obsolete) {
        List<String> pieces = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            if (i > 0) pieces.add("," + cfws(r));
            if (r.nextInt(5) == 0) {
                pieces.add("grp:" + cfws(r));
                pieces.add(mailbox(r, obsolete));
                if (r.nextBoolean()) pieces.add(", " + mailbox(r, obsolete));
                pieces.add(";");
            } else {
                pieces.add(mailbox(r, obsolete));
            }
        }
        return pieces;
    }

    @Test
    void everyDomainAngusOrMime4jReadsInAGeneratedWellFormedFromIsAmongTheDomains() {
        int compared = 0;
        for (long seed = 0; seed < 4000; seed++) {
            List<String> pieces = addressList(new Random(seed), false);
            assertSuperset(pieces, "seed " + seed);
            if (libraryDomains(String.join("", pieces)).stream().anyMatch(AddressesTest::comparable)) compared++;
        }
        assertThat(compared).as("values the libraries read a domain in").isGreaterThan(3900);
    }

    @Test
    void everyDomainAngusOrMime4jReadsInAGeneratedObsoleteSyntaxFromIsAmongTheDomains() {
        for (long seed = 0; seed < 4000; seed++) {
            assertSuperset(addressList(new Random(seed), true), "seed " + seed);
        }
    }

    @Test
    void aCommentInsideTheDomainDoesNotHideTheShorterDomainAngusReads() {
        assertThat(libraryDomains("ceo@contoso.com(c).evil.example")).contains("contoso.com");
        assertThat(from("ceo@contoso.com(c).evil.example").domains()).contains("contoso.com");
    }

    /** Risky pieces in any order: specials, quotes, comments, controls, encoded words, Unicode spaces. */
    static final String[] RISKY = {"ceo", "x", "@", "@", "contoso", "example", ".", "com", "org", " ", "\t", ",", ";", ":", "<", ">",
            "(", ")", "\"", "\\", "[", "]", "192.0.2.1", "=?utf-8?q?", "=40", "?=", "\0", "\u007f", "\u00e9", "grp", "CONTOSO",
            "@route.example", "\u00a0", "\u3000"};

    @Test
    void everyDomainAngusOrMime4jReadsInAGeneratedRiskyFromIsAmongTheDomains() {
        for (long seed = 0; seed < 4000; seed++) {
            Random r = new Random(seed);
            List<String> pieces = new ArrayList<>();
            for (int i = 1 + r.nextInt(12); i > 0; i--) pieces.add(RISKY[r.nextInt(RISKY.length)]);
            assertSuperset(pieces, "seed " + seed);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ceo@contoso.com",
            "\"ceo\"@contoso.com",
            "ceo @ contoso . com",
            "<@route.example:ceo@contoso.com>",
            "grp: ceo@contoso.com;",
            "ceo@contoso.com.",
            "ceo(x)@contoso.com",
            "CEO <ceo@contoso.com> (x@example.org)",
    })
    void theLibrariesAndTheScannerAgreeOnTheExamples(String value) {
        assertThat(libraryDomains(value)).contains("contoso.com");
        assertThat(from(value).domains()).contains("contoso.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ceo]@contoso.com",
            "ceo>@contoso.com",
            "ceo.@contoso.com",
            "ceo\"\"@contoso.com",
            "[ceo@contoso.com",
            "ceo[x]@contoso.com",
            "@contoso.com",
            "ceo@@contoso.com",
            "ceo@conto so.com",
            "<ceo>contoso.com",
    })
    void theMailboxesTheLibrariesReadInMalformedFromValuesAreFound(String value) {
        String list = "x@example.org, " + value;
        assertThat(libraryDomains(list)).contains("contoso.com");
        assertThat(from(list).domains()).contains("contoso.com");
    }
}
