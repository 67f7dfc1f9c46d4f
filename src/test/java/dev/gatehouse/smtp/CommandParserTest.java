// CommandParserTest: MAIL/RCPT/BDAT argument and envelope address parsing, including hostile and open-relay forms.
package dev.gatehouse.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

    private static String rcpt(String arg) throws SmtpSyntaxException { return CommandParser.rcptTo(arg, false); }

    private static String replyOf(ThrowingCall call) {
        try {
            call.run();
            return "accepted";
        } catch (SmtpSyntaxException e) {
            return e.reply().toString();
        }
    }

    interface ThrowingCall { void run() throws SmtpSyntaxException; }

    @Test void splitsVerbCaseInsensitivelyAndStripsTrailingBlanks() {
        assertThat(CommandParser.split("mail FROM:<a@b>  \t")).isEqualTo(new CommandParser.Command("MAIL", "FROM:<a@b>"));
        assertThat(CommandParser.split("NOOP")).isEqualTo(new CommandParser.Command("NOOP", ""));
    }

    @Test void parsesMailFromWithParameters() throws Exception {
        MailFrom m = CommandParser.mailFrom("FROM:<a@example.org> SIZE=1000 BODY=8bitmime SMTPUTF8");
        assertThat(m).isEqualTo(new MailFrom("a@example.org", 1000, "8BITMIME", true));
        assertThat(CommandParser.mailFrom("FROM:<>")).isEqualTo(new MailFrom("", -1, null, false));
        assertThat(CommandParser.mailFrom("from: <a@example.org>").address()).isEqualTo("a@example.org");
        assertThat(CommandParser.mailFrom("FROM:<a@b.example> SIZE=999999999999999999999").declaredSize()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FROM:a@example.org|501 5.5.2 Syntax: MAIL FROM:<address> (angle brackets required)",
        "FROM:<a@example.org|501 5.5.2 Syntax: MAIL FROM:<address> (angle brackets required)",
        "TO:<a@example.org>|501 5.5.4 Syntax: MAIL FROM:<address>",
        "FROM:<a@example.org> FOO=BAR|555 5.5.4 Unsupported option: FOO=BAR",
        "FROM:<a@example.org> BODY=BINARYMIME|555 5.5.4 Unsupported option: BODY=BINARYMIME",
        "FROM:<a@example.org> BODY=9BIT|501 5.5.4 Syntax: BODY=7BIT/8BITMIME",
        "FROM:<a@example.org> SIZE=12x|501 5.5.4 Syntax: SIZE=octets",
        "FROM:<a\u0000b@example.org>|501 5.1.7 Bad sender address syntax",
        "FROM:<jörg@example.org>|553 5.6.7 Error: non-ASCII address requires SMTPUTF8",
        "FROM:<a@example.org>junk|501 5.5.4 Syntax: MAIL FROM:<address>",
    })
    void refusesBadMailFrom(String arg, String reply) {
        assertThat(replyOf(() -> CommandParser.mailFrom(arg))).isEqualTo(reply);
    }

    @Test void acceptsUtf8AddressOnlyWithSmtpUtf8() throws Exception {
        String wire = new String("jörg@bücher.example".getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(CommandParser.mailFrom("FROM:<" + wire + "> SMTPUTF8").address()).isEqualTo("jörg@bücher.example");
        assertThat(CommandParser.rcptTo("TO:<" + wire + ">", true)).isEqualTo("jörg@bücher.example");
        assertThat(replyOf(() -> CommandParser.rcptTo("TO:<" + wire + ">", false))).startsWith("553 5.6.7");
        assertThat(replyOf(() -> CommandParser.rcptTo("TO:<j\u00f6rg@example.com>", true))).isEqualTo("553 5.6.7 Error: address is not valid UTF-8");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "TO:<user@example.com>|user@example.com",
        "TO:<@relay.example:user@example.com>|user@example.com",
        "TO:<@a.example,@b.example:user@example.com>|user@example.com",
        "TO:<@[127.0.0.1]:user@example.com>|user@example.com",
        "TO:<\"john doe\"@example.com>|\"john doe\"@example.com",
        "TO:<\"a@b\"@example.com>|\"a@b\"@example.com",
        "TO:<\"a\\\"b\"@example.com>|\"a\\\"b\"@example.com",
        "TO:<\"a>b\"@example.com>|\"a>b\"@example.com",
        "TO:<relaytest%external.example@example.com>|relaytest%external.example@example.com",
        "TO:<external.example!relaytest@example.com>|external.example!relaytest@example.com",
        "TO:<u@[127.0.0.1]>|u@[127.0.0.1]",
        "TO:<u@[IPv6:::1]>|u@[IPv6:::1]",
        "TO:<u@[IPv6:2001:db8::1]>|u@[IPv6:2001:db8::1]",
        "TO:<u@[IPv6:::ffff:192.0.2.1]>|u@[IPv6:::ffff:192.0.2.1]",
        "TO:<u@[IPv6:1:2:3:4:5:6:7:8]>|u@[IPv6:1:2:3:4:5:6:7:8]",
        "TO:<foo@foo>|foo@foo",
        "TO:<Postmaster>|Postmaster",
        "TO:<first..last.@example.com>|first..last.@example.com",
        "TO:<User@EXAMPLE.Com>|User@EXAMPLE.Com",
    })
    void acceptsValidRecipients(String arg, String address) throws Exception {
        assertThat(rcpt(arg)).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "TO:<>", "TO:<foo>", "TO:<\"relaytest@ext.example\">", "TO:<\"relaytest%ext.example\">", "TO:<ext.example!relaytest>",
        "TO:<relaytest@ext.example@example.com>", "TO:<relaytest@ext.example@[127.0.0.1]>", "TO:<foo@foo.bar.>",
        "TO:<u@[321.255.255.255]>", "TO:<u@[1..2.3.4]>", "TO:<u@[.1.2.3.4]>", "TO:<u@[1.2.3.4.5]>", "TO:<u@[1.2.3]>",
        "TO:<u@[IPv6:1::2::3]>", "TO:<u@[IPv6:12345::]>", "TO:<u@[IPv6:1:2:3:4:5:6:7:8:9]>", "TO:<u@[tag:anything]>",
        "TO:<u@-example.com>", "TO:<u@example-.com>", "TO:<u@exa_mple.com>", "TO:<u@ex..ample.com>",
        "TO:<relaytest@ext.example >", "TO:<(any@legitimate.example>", "TO:<any@legitimate.example(a.attack.example>",
        "TO:<any@legitimate.example'@any.attack.example>", "TO:<@legitimate.example,@any.example:'any@attack.example>x",
        "TO:<\"user\rRCPT TO:<evil@x>\"@example.com>", "TO:<a\tb@example.com>", "TO:<\"unterminated@example.com>",
        "TO:<;sleep 66;>", "TO:<@a.example:>", "TO:<@:u@example.com>",
    })
    void refusesMalformedRecipientsWith501(String arg) {
        assertThat(replyOf(() -> rcpt(arg))).startsWith("501 ");
    }

    @Test void domainOfIsTheTextAfterTheLastAtSign() {
        assertThat(AddressParser.domainOf("\"a@b\"@example.com")).isEqualTo("example.com");
        assertThat(AddressParser.domainOf("Postmaster")).isEmpty();
    }

    @Test void enforcesLengthLimits() {
        String label63 = "a".repeat(63);
        assertThat(replyOf(() -> rcpt("TO:<u@" + label63 + ".example>"))).isEqualTo("accepted");
        assertThat(replyOf(() -> rcpt("TO:<u@" + label63 + "a.example>"))).startsWith("501 5.1.3");
        String local100 = "l".repeat(100);   // lenient: over RFC's 64, within 255
        assertThat(replyOf(() -> rcpt("TO:<" + local100 + "@example.com>"))).isEqualTo("accepted");
        String path254 = "x".repeat(254 - "@example.com".length()) + "@example.com";   // 256 with brackets
        assertThat(replyOf(() -> rcpt("TO:<" + path254 + ">"))).isEqualTo("accepted");
        assertThat(replyOf(() -> rcpt("TO:<x" + path254 + ">"))).startsWith("501 5.1.3");
        String longDomain = ("a".repeat(60) + ".").repeat(5) + "example";
        assertThat(replyOf(() -> rcpt("TO:<@" + longDomain + ":u@example.com>"))).startsWith("501");
    }

    @Test void refusesRcptParameters() {
        assertThat(replyOf(() -> rcpt("TO:<u@example.com> NOTIFY=NEVER"))).isEqualTo("555 5.5.4 Unsupported option: NOTIFY=NEVER");
    }

    @Test void parsesBdat() throws Exception {
        assertThat(CommandParser.bdat("100")).isEqualTo(new CommandParser.Bdat(100, false));
        assertThat(CommandParser.bdat("0 last")).isEqualTo(new CommandParser.Bdat(0, true));
        for (String bad : new String[] {"", "x", "-1", "10 FIRST", "1 LAST x", "1234567890123456789", "0x10"}) {
            assertThatThrownBy(() -> CommandParser.bdat(bad)).as(bad).isInstanceOf(SmtpSyntaxException.class);
        }
    }
}
