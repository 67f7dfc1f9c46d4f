package dev.gatehouse.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

class IntakeTest {

    private final Intake intake = new Intake("mx.gatehouse.test");
    private final Intake.Hop plainHop = new Intake.Hop("client.example", "203.0.113.50", null, null, true,
            "8026f7a2-10c7-4894-75d5-08db7c3b05c4", ZonedDateTime.of(2026, 11, 28, 18, 0, 0, 0, ZoneOffset.UTC));

    private static byte[] msg(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String str(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

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
        Intake.Result r = intake.process(msg(in), plainHop);
        String out = str(r.content());
        assertThat(r.removedFields()).isEqualTo(6);
        assertThat(out).doesNotContain("forged").doesNotContain("evil").doesNotContain("CrossPremises")
                .doesNotContain("CrossTenant-Id");
        String header = out.substring(0, out.indexOf("\r\n\r\n"));
        assertThat(header).doesNotContainIgnoringCase("AuthAs").contains("Subject: hi").contains("From: alice@contoso.com");
        assertThat(out).endsWith("\r\n\r\nX-MS-Exchange-Organization-AuthAs: Internal is body text and stays\r\n");
        assertThat(header).contains("X-MS-Exchange-Organization-Network-Message-Id: 8026f7a2-10c7-4894-75d5-08db7c3b05c4");
    }

    @Test
    void receivedFieldNamesHeloIpAndTlsLikeExchange() {
        var hop = new Intake.Hop("mail.partner.example", "198.51.100.7", "TLSv1.3", "TLS_AES_256_GCM_SHA384", true,
                "id-1", ZonedDateTime.of(2026, 11, 28, 18, 0, 0, 0, ZoneOffset.UTC));
        String out = str(intake.process(msg("Subject: x\r\n\r\nbody\r\n"), hop).content());
        assertThat(out).startsWith("Received: from mail.partner.example (198.51.100.7)\r\n by mx.gatehouse.test (Gatehouse) with ESMTPS\r\n"
                + " (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id id-1;\r\n Sat, 28 Nov 2026 18:00:00 +0000\r\n");
    }

    @Test
    void heloWithControlCharactersCannotInjectAHeader() {
        var hop = new Intake.Hop("x\r\nBcc: victim@contoso.com", "203.0.113.9", null, null, false, "id-2",
                ZonedDateTime.of(2026, 11, 28, 18, 0, 0, 0, ZoneOffset.UTC));
        String out = str(intake.process(msg("Subject: x\r\n\r\nb\r\n"), hop).content());
        assertThat(out).doesNotContain("\r\nBcc:").contains("from xBcc: victim@contoso.com (203.0.113.9)").contains("with SMTP id id-2");
    }

    @Test
    void extractsDecodedSubjectMessageIdAndFrom() {
        String in = "Subject: =?utf-8?B?TmV3IE1pc3NlZCBGYXgtbXNn?=\r\nMessage-ID: <abc@x>\r\nFrom: \"Joe\" <joe@company.com>\r\n\r\n";
        Intake.Result r = intake.process(msg(in), plainHop);
        assertThat(r.subject()).isEqualTo("New Missed Fax-msg");
        assertThat(r.internetMessageId()).isEqualTo("<abc@x>");
        assertThat(r.headerFrom()).isEqualTo("\"Joe\" <joe@company.com>");
    }

    @Test
    void messageWithoutBodySeparatorOrWithNonHeaderLineKeepsEveryByte() {
        String noBlank = "Subject: only headers\r\n";
        assertThat(str(intake.process(msg(noBlank), plainHop).content())).endsWith("Subject: only headers\r\n");
        String bodyish = "Subject: s\r\nthis is not a header\r\nX-MS-Exchange-Organization-AuthAs: Internal\r\n";
        String out = str(intake.process(msg(bodyish), plainHop).content());
        assertThat(out).endsWith("Subject: s\r\nthis is not a header\r\nX-MS-Exchange-Organization-AuthAs: Internal\r\n");
    }

    @Test
    void countsHopsForLoopDetection() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Intake.MAX_HOPS; i++) sb.append("Received: from a by b; Sat, 28 Nov 2026 18:00:00 +0000\r\n");
        sb.append("\r\nbody\r\n");
        assertThat(intake.process(msg(sb.toString()), plainHop).tooManyHops()).isTrue();
        assertThat(intake.process(msg("Received: x\r\n\r\n"), plainHop).tooManyHops()).isFalse();
    }

    @Test
    void utf8HeaderValuesSurvive() {
        Intake.Result r = intake.process(msg("Subject: Grüße aus Köln\r\n\r\n"), plainHop);
        assertThat(r.subject()).isEqualTo("Grüße aus Köln");
    }
}
