package dev.gatehouse.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gatehouse.mail.Message;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.RefusalReason;

/** The header firewall stage without sockets: received bytes in, stored message out. */
class HeaderFirewallTest {

    private final HeaderFirewall firewall = new HeaderFirewall("mx.gatehouse.test");
    private final HeaderFirewall.Hop plainHop = new HeaderFirewall.Hop("client.example", "203.0.113.50", null, null, true,
            "8026f7a2-10c7-4894-75d5-08db7c3b05c4", ZonedDateTime.of(2026, 11, 28, 18, 0, 0, 0, ZoneOffset.UTC));

    private static Message msg(String s) { return Message.parse(s.getBytes(StandardCharsets.UTF_8)); }

    private String stored(String in, HeaderFirewall.Hop hop) {
        return new String(firewall.stamp(msg(in), hop).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void stripsForgedOrganizationHeadersIncludingFoldedLinesBeforeStamping() {
        String in = "From: alice@contoso.com\r\n"
                + "X-MS-Exchange-Organization-AuthAs: Internal\r\n"
                + "x-ms-exchange-organization-authsource: evil\r\n  .example\r\n"
                + "X-MS-Exchange-CrossTenant-Id: 00000000-0000-0000-0000-000000000000\r\n"
                + "X-MS-Exchange-CrossPremises-AuthAs: Internal\r\n"
                + "X-MS-Exchange-Organization-Network-Message-Id: forged\r\n"
                + "X-CrossPremisesHeadersPromoted: forged.example\r\n"
                + "Subject: hi\r\n\r\n"
                + "X-MS-Exchange-Organization-AuthAs: Internal is body text and stays\r\n";
        Message stored = firewall.stamp(msg(in), plainHop);
        String out = new String(stored.bytes(), StandardCharsets.UTF_8);
        assertThat(stored.fields()).extracting(f -> f.name())
                .containsExactly("Received", "X-MS-Exchange-Organization-Network-Message-Id", "From", "Subject");
        assertThat(out).doesNotContain("forged").doesNotContain("evil").doesNotContain("CrossPremises")
                .doesNotContain("CrossTenant-Id");
        String header = out.substring(0, out.indexOf("\r\n\r\n"));
        assertThat(header).doesNotContainIgnoringCase("AuthAs").contains("Subject: hi").contains("From: alice@contoso.com");
        assertThat(out).endsWith("\r\n\r\nX-MS-Exchange-Organization-AuthAs: Internal is body text and stays\r\n");
        assertThat(header).contains("X-MS-Exchange-Organization-Network-Message-Id: 8026f7a2-10c7-4894-75d5-08db7c3b05c4");
    }

    @Test
    void receivedFieldNamesHeloIpAndTlsLikeExchange() {
        var hop = new HeaderFirewall.Hop("mail.partner.example", "198.51.100.7", "TLSv1.3", "TLS_AES_256_GCM_SHA384", true,
                "id-1", ZonedDateTime.of(2026, 11, 28, 18, 0, 0, 0, ZoneOffset.UTC));
        assertThat(stored("Subject: x\r\n\r\nbody\r\n", hop)).startsWith("Received: from mail.partner.example (198.51.100.7)\r\n by mx.gatehouse.test (Gatehouse) with ESMTPS\r\n"
                + " (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id id-1;\r\n Sat, 28 Nov 2026 18:00:00 +0000\r\n");
    }

    @Test
    void heloWithControlCharactersCannotInjectAHeader() {
        var hop = new HeaderFirewall.Hop("x\r\nBcc: victim@contoso.com", "203.0.113.9", null, null, false, "id-2",
                ZonedDateTime.of(2026, 11, 28, 18, 0, 0, 0, ZoneOffset.UTC));
        assertThat(stored("Subject: x\r\n\r\nb\r\n", hop)).doesNotContain("Bcc:").contains("from x (203.0.113.9)")
                .contains("with SMTP id id-2");
    }

    @Test
    void onlyTheHeloNameGoesIntoReceivedSoNoFakeAddressAppearsThere() {
        ZonedDateTime at = ZonedDateTime.of(2026, 11, 28, 18, 0, 0, 0, ZoneOffset.UTC);
        var fake = new HeaderFirewall.Hop("mail.contoso.com (10.1.2.3)", "203.0.113.9", null, null, true, "id-3", at);
        assertThat(stored("Subject: x\r\n\r\nb\r\n", fake)).startsWith("Received: from mail.contoso.com (203.0.113.9)\r\n by ")
                .doesNotContain("10.1.2.3");
        assertThat(HeaderFirewall.heloName("[192.0.2.7] junk")).isEqualTo("[192.0.2.7]");
        assertThat(HeaderFirewall.heloName("[IPv6:2001:db8::1]")).isEqualTo("[IPv6:2001:db8::1]");
        assertThat(HeaderFirewall.heloName("[10.1.2.3 (x)]")).isEmpty();
        assertThat(HeaderFirewall.heloName("bücher.example x")).isEqualTo("bücher.example");
        assertThat(HeaderFirewall.heloName("(10.1.2.3)")).isEmpty();
        var empty = new HeaderFirewall.Hop("(10.1.2.3)", "203.0.113.9", null, null, true, "id-4", at);
        assertThat(stored("Subject: x\r\n\r\nb\r\n", empty)).startsWith("Received: from unknown (203.0.113.9)");
    }

    @Test
    void readsDecodedSubjectMessageIdAndFromForTrace() {
        String in = "Subject: =?utf-8?B?TmV3IE1pc3NlZCBGYXgtbXNn?=\r\nMessage-ID: <abc@x>\r\nFrom: \"Joe\" <joe@company.com>\r\n\r\n";
        Accepting m = accepting(in);
        assertThat(firewall.apply(m)).isNull();
        assertThat(m.subject()).isEqualTo("New Missed Fax-msg");
        assertThat(m.internetMessageId()).isEqualTo("<abc@x>");
        assertThat(m.headerFrom()).isEqualTo("\"Joe\" <joe@company.com>");
    }

    @Test
    void aMessageWithoutBodySeparatorKeepsEveryByteAndANonFieldLineStartsTheBodyForEveryReader() {
        assertThat(stored("Subject: only headers\r\n", plainHop)).endsWith("\r\nSubject: only headers\r\n");
        // the stray line ends the header section, and the blank line that should have been there is written,
        // so no reader can take the forged field below it for a header (decision 0011)
        String out = stored("Subject: s\r\nthis is not a header\r\nX-MS-Exchange-Organization-AuthAs: Internal\r\n", plainHop);
        assertThat(out).endsWith("\r\nSubject: s\r\n\r\nthis is not a header\r\nX-MS-Exchange-Organization-AuthAs: Internal\r\n");
    }

    @Test
    void refusesAMessageThatLoopedAndCountsOnlyHeaderFields() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < HeaderFirewall.MAX_HOPS; i++) sb.append("Received: from a by b; Sat, 28 Nov 2026 18:00:00 +0000\r\n");
        sb.append("\r\nbody\r\n");
        Refusal r = firewall.apply(accepting(sb.toString()));
        assertThat(r).isNotNull();
        assertThat(r.reason()).isEqualTo(RefusalReason.MAIL_LOOP);
        assertThat(r.reply().toString()).isEqualTo("554 5.4.6 Hop count exceeded - possible mail loop");
        assertThat(firewall.apply(accepting("Received: x\r\n\r\n" + "Received: in the body\r\n".repeat(60)))).isNull();
    }

    @Test
    void utf8HeaderValuesSurvive() {
        Accepting m = accepting("Subject: Grüße aus Köln\r\n\r\n");
        firewall.apply(m);
        assertThat(m.subject()).isEqualTo("Grüße aus Köln");
        assertThat(new String(m.stored().bytes(), StandardCharsets.UTF_8)).contains("\r\nSubject: Grüße aus Köln\r\n");
    }

    private static Accepting accepting(String content) {
        return new Accepting("8026f7a2-10c7-4894-75d5-08db7c3b05c4", Instant.parse("2026-11-28T18:00:00Z"),
                new Accepting.Client("s1", InetAddress.getLoopbackAddress(), "client.example", true, null, null), "a@example.org", List.of(),
                Message.parse(content.getBytes(StandardCharsets.UTF_8)));
    }
}
