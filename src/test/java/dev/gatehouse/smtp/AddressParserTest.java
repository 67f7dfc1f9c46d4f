// AddressParserTest: envelope paths on their own: sender versus recipient replies, Postmaster, quoted local parts,
// source routes, address literals, the 256-octet path limit and SMTPUTF8 decoding of hostile octets.
package dev.gatehouse.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressParserTest {
    static final String BAD_SENDER = "501 5.1.7 Bad sender address syntax";
    static final String BAD_RECIPIENT = "501 5.1.3 Bad recipient address syntax";

    /** The parsed address, or the reply the parser refuses it with. */
    private static String sender(String path) { return parse(path, true, false); }

    private static String recipient(String path) { return parse(path, false, false); }

    private static String parse(String path, boolean sender, boolean smtpUtf8) {
        try {
            return AddressParser.parse(path, sender, smtpUtf8);
        } catch (SmtpSyntaxException e) {
            return e.reply().toString();
        }
    }

    /** UTF-8 text as it arrives on the wire: one char per octet. */
    private static String wire(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test void theNullPathIsASenderButNeverARecipient() {
        assertThat(sender("")).isEmpty();
        assertThat(recipient("")).isEqualTo(BAD_RECIPIENT);
    }

    @Test void aSyntaxErrorNamesTheSideOfTheEnvelopeItIsOn() {
        for (String bad : new String[] {"foo", " ", "a b@example.com", "@example.com", "u@", "u@@example.com", "\"a\"b@example.com"}) {
            assertThat(sender(bad)).as(bad).isEqualTo(BAD_SENDER);
            assertThat(recipient(bad)).as(bad).isEqualTo(BAD_RECIPIENT);
        }
    }

    @Test void postmasterWithoutADomainIsARecipientInAnyCaseButNeverASender() {
        assertThat(recipient("postmaster")).isEqualTo("postmaster");
        assertThat(recipient("POSTMASTER")).isEqualTo("POSTMASTER");
        assertThat(recipient("postmaster.")).isEqualTo(BAD_RECIPIENT);
        assertThat(recipient("webmaster")).isEqualTo(BAD_RECIPIENT);
        assertThat(sender("Postmaster")).isEqualTo(BAD_SENDER);
        assertThat(AddressParser.domainOf(recipient("Postmaster"))).isEmpty();
    }

    @Test void theSourceRouteOfASenderIsDroppedWhateverItsHops() {
        assertThat(sender("@a.example,@[192.0.2.7],@[IPv6:2001:db8::7]:bounce@b.example")).isEqualTo("bounce@b.example");
        assertThat(sender("@a.example:\"quoted local\"@b.example")).isEqualTo("\"quoted local\"@b.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "@a.example u@example.com", "@a.example,u@example.com", "@a.example;@b.example:u@example.com", "@-a.example:u@example.com",
        "@a.example,:u@example.com", "@[300.1.1.1]:u@example.com", "@[tag:x]:u@example.com", "@a.example,@:u@example.com",
    })
    void aMalformedSourceRouteRefusesTheWholePath(String path) {
        assertThat(recipient(path)).isEqualTo(BAD_RECIPIENT);
    }

    @Test void quotedLocalPartsKeepTheirQuotesAndEscapes() {
        assertThat(recipient("\"\"@example.com")).isEqualTo("\"\"@example.com");
        assertThat(recipient("\"a\\\\b\"@example.com")).isEqualTo("\"a\\\\b\"@example.com");
        assertThat(recipient("\"semi;colon <angle> (paren)\"@example.com")).isEqualTo("\"semi;colon <angle> (paren)\"@example.com");
        assertThat(AddressParser.domainOf(recipient("\"x@evil.example\"@example.com"))).isEqualTo("example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"a\\\tb\"@example.com", "\"a\\\u007fb\"@example.com", "\"a\u007fb\"@example.com", "\"ab\\\"@example.com",
        "\"ab@example.com", "\"a\"\"b\"@example.com", "\"a\".b@example.com"})
    void aQuotedLocalPartWithControlCharactersOrUnbalancedQuotesIsRefused(String path) {
        assertThat(recipient(path)).isEqualTo(BAD_RECIPIENT);
    }

    @Test void addressLiteralsAreCheckedAndTheirTagIsCaseInsensitive() {
        assertThat(recipient("u@[ipv6:::1]")).isEqualTo("u@[ipv6:::1]");
        assertThat(recipient("u@[192.0.2.001]")).isEqualTo("u@[192.0.2.001]");
        for (String bad : new String[] {"u@[]", "u@[IPv6:]", "u@[192.0.2.1", "u@[192.0.2.1]x", "u@[192.0.2.1].example",
                "u@[IPv4:192.0.2.1]", "u@[ 192.0.2.1]", "u@[192.0.2.256]", "u@[IPv6:192.0.2.1]"}) {
            assertThat(recipient(bad)).as(bad).isEqualTo(BAD_RECIPIENT);
        }
    }

    @Test void thePathLimitCountsTheBracketsForSendersToo() {
        String domain = "@example.com";
        String fits = "s".repeat(254 - domain.length()) + domain;
        assertThat(fits.length() + 2).isEqualTo(AddressParser.MAX_PATH);
        assertThat(sender(fits)).isEqualTo(fits);
        assertThat(sender("s" + fits)).isEqualTo(BAD_SENDER);
        // a source route counts against the same limit, although it is dropped
        String routed = "@r.example:" + fits.substring("@r.example:".length());
        assertThat(sender(routed)).isEqualTo(fits.substring("@r.example:".length()));
        assertThat(sender("@r.example:" + fits)).isEqualTo(BAD_SENDER);
    }

    @Test void domainLabelsMayNotStartOrEndWithAHyphenButMayHoldOne() {
        assertThat(recipient("u@x-y.example")).isEqualTo("u@x-y.example");
        assertThat(recipient("u@1.example")).isEqualTo("u@1.example");
        assertThat(recipient("u@x.-y")).isEqualTo(BAD_RECIPIENT);
        assertThat(recipient("u@.example")).isEqualTo(BAD_RECIPIENT);
    }

    @Test void nonAsciiIsRefusedWith553WithoutSmtpUtf8WhereverItIs() {
        for (String text : new String[] {"jörg@example.com", "u@bücher.example", "\"jö rg\"@example.com", "@bücher.example:u@example.com"}) {
            assertThat(recipient(wire(text))).as(text).isEqualTo("553 5.6.7 Error: non-ASCII address requires SMTPUTF8");
            assertThat(sender(wire(text))).as(text).isEqualTo("553 5.6.7 Error: non-ASCII address requires SMTPUTF8");
        }
    }

    @Test void withSmtpUtf8TheAddressIsDecodedFromUtf8() {
        assertThat(parse(wire("用户@例子.example"), false, true)).isEqualTo("用户@例子.example");
        assertThat(parse(wire("\"jö rg\"@bücher.example"), true, true)).isEqualTo("\"jö rg\"@bücher.example");
        assertThat(AddressParser.domainOf(parse(wire("δοκιμή@παράδειγμα.example"), false, true))).isEqualTo("παράδειγμα.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a\u00c0\u00afb@example.com",          // overlong encoding of '/'
        "a\u00ed\u00a0\u0080@example.com",     // a UTF-16 surrogate encoded as UTF-8
        "a\u00e9@example.com",                 // ISO-8859-1 é, not UTF-8
        "a\u00f4\u0090\u0080\u0080@example.com", // above U+10FFFF
        "u@b\u00fccher.example",               // ISO-8859-1 ü in the domain
    })
    void octetsThatAreNotUtf8AreRefusedEvenWithSmtpUtf8(String path) {
        assertThat(parse(path, false, true)).isEqualTo("553 5.6.7 Error: address is not valid UTF-8");
    }

    @Test void controlCharactersAreASyntaxErrorBeforeAnyUtf8Check() {
        assertThat(parse(wire("jörg\u0001@example.com"), false, true)).isEqualTo(BAD_RECIPIENT);
        assertThat(parse(wire("jörg\u001b[31m@example.com"), false, false)).isEqualTo(BAD_RECIPIENT);
    }
}
