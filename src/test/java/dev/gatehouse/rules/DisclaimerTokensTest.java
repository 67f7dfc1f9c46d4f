package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class DisclaimerTokensTest {

    private static MessageFacts message(String from) throws Exception {
        byte[] content = ("From: " + from + "\r\nSubject: s\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
        return new MessageFacts(dev.gatehouse.mail.Message.parse(content), "x@example.org", InetAddress.getByName("203.0.113.5"));
    }

    @Test
    void senderTokensAreFilledFromTheHeaderFromAndEscaped() throws Exception {
        String html = "<p>Sent by %%DisplayName%% (%%UserPrincipalName%%), %%Title%% at %%Company%%; %%Unknown%%</p>";
        assertThat(DisclaimerTokens.expand(html, message("\"Joe <b>Bloggs</b>\" <joe@partner.example>")))
                .isEqualTo("<p>Sent by Joe &lt;b&gt;Bloggs&lt;/b&gt; (joe@partner.example),  at ; %%Unknown%%</p>");
    }

    @Test
    void anUnparseableFromLeavesTheSenderTokensEmpty() throws Exception {
        assertThat(DisclaimerTokens.expand("[%%DisplayName%%]", message("<<<"))).isEqualTo("[]");
    }

    @Test
    void lineBreaksInTheAdminsTextBecomeCrlf() throws Exception {
        assertThat(DisclaimerTokens.expand("<p>one</p>\n<p>two</p>\r<p>three</p>\r\n", message("a@b.example")))
                .isEqualTo("<p>one</p>\r\n<p>two</p>\r\n<p>three</p>\r\n");
    }

    @Test
    void tokenNamesIgnoreCaseAndEmailIsTheSenderAddress() throws Exception {
        assertThat(DisclaimerTokens.expand("%%displayname%%|%%EMAIL%%|%%EmailAddress%%|%%userPrincipalName%%", message("Joe <joe@partner.example>")))
                .isEqualTo("Joe|joe@partner.example|joe@partner.example|joe@partner.example");
    }

    @Test
    void anEncodedDisplayNameIsShownDecoded() throws Exception {
        assertThat(DisclaimerTokens.expand("<b>%%DisplayName%%</b>", message("=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@partner.example>")))
                .isEqualTo("<b>Jörg Müller</b>");
    }

    @Test
    void anEncodedDisplayNameCantChangeTheSendersAddressToken() throws Exception {
        assertThat(DisclaimerTokens.expand("<b>%%DisplayName%%</b> %%Email%%", message("=?UTF-8?Q?J=C3=B6rg_=3Cceo@contoso.com=3E?= <joerg@partner.example>")))
                .isEqualTo("<b>Jörg &lt;ceo@contoso.com&gt;</b> joerg@partner.example");
    }

    @Test
    void everyDirectoryOnlyTokenIsEmptyAndTextThatOnlyLooksLikeATokenStays() throws Exception {
        assertThat(DisclaimerTokens.expand("[%%FirstName%%%%LastName%%%%Department%%%%PhoneNumber%%%%Manager%%]", message("a@b.example"))).isEqualTo("[]");
        assertThat(DisclaimerTokens.expand("100%% sure, %%not a token%%, %%Custom1%%", message("a@b.example")))
                .isEqualTo("100%% sure, %%not a token%%, %%Custom1%%");
    }

    @Test
    void aMessageWithoutFromLeavesSenderTokensEmptyAndNulIsDropped() throws Exception {
        MessageFacts noFrom = new MessageFacts(dev.gatehouse.mail.Message.parse("Subject: s\r\n\r\nb\r\n".getBytes(StandardCharsets.UTF_8)), "", null);
        assertThat(DisclaimerTokens.expand("by %%DisplayName%%\0.", noFrom)).isEqualTo("by .");
    }
}
