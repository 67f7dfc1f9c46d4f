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
}
