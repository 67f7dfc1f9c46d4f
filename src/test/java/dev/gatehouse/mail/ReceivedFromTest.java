// The Received "from" reader on the shapes real MTAs write and on what a hostile client can make them write.
package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReceivedFromTest {

    /** The address the field's writer recorded, as text, or "-" when the field can't be read. */
    private static String ip(String value) {
        return ReceivedFrom.parse(value).map(r -> r.ip().getHostAddress()).orElse("-");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Postfix|from mail.example.com (mail.example.com [203.0.113.50]) by mx.contoso.com (Postfix) with ESMTPS id 4Xyz1; Tue, 1 Dec 2026 10:00:00 +0000|203.0.113.50
            Postfix, no reverse DNS|from helo.example (unknown [203.0.113.50]) by mx.contoso.com (Postfix) with ESMTP id 4Xyz2|203.0.113.50
            Postfix, IPv6|from mail.example.com (mail.example.com [IPv6:2001:db8::25]) by mx.contoso.com (Postfix) with ESMTPS id 4Xyz3|2001:db8:0:0:0:0:0:25
            Postfix, authenticated with a literal HELO|from [10.0.0.7] (unknown [203.0.113.50]) (Authenticated sender: a@example.com) by smtp.example.com (Postfix) with ESMTPSA id 4Xyz4|203.0.113.50
            Postfix, TLS comment after|from mail.example.com (mail.example.com [203.0.113.50]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) by mx.contoso.com (Postfix) with ESMTPS|203.0.113.50
            sendmail|from mail.example.com (mail.example.com [203.0.113.50]) by mx.contoso.com (8.17.1/8.17.1) with ESMTP id 1ABC; Tue, 1 Dec 2026 10:00:00 GMT|203.0.113.50
            sendmail, may be forged|from helo.example (host.example [203.0.113.50] (may be forged)) by mx.contoso.com (8.17.1/8.17.1) with ESMTP id 1ABD|203.0.113.50
            sendmail, ident|from mail.example.com (user@mail.example.com [203.0.113.50]) by mx.contoso.com (8.17.1/8.17.1) with ESMTP id 1ABE|203.0.113.50
            Exchange|from mail.example.com (203.0.113.50) by CO1PEPF0000ABCD.mail.protection.outlook.com (10.167.249.9) with Microsoft SMTP Server (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.8000.1 via Frontend Transport|203.0.113.50
            Exchange, IPv6 between servers|from DM6PR11MB0001.namprd11.prod.outlook.com (2603:10b6:5:1e4::12) by DM6PR11MB0002.namprd11.prod.outlook.com (2603:10b6:5:1e4::13) with Microsoft SMTP Server|2603:10b6:5:1e4:0:0:0:12
            Exchange on-premises|from EXCH01.corp.contoso.com (10.1.1.5) by EXCH02.corp.contoso.com (10.1.1.6) with Microsoft SMTP Server (TLS) id 15.2.1544.4|10.1.1.5
            Gmail|from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS id a1sor123.2026.12.01.10.00.00 for <bob@contoso.com>|209.85.220.41
            Gmail, IPv6 without tag|from mail-ej1-x62e.google.com (mail-ej1-x62e.google.com. [2a00:1450:4864:20::62e]) by mx.google.com with ESMTPS id x1si1|2a00:1450:4864:20:0:0:0:62e
            Proofpoint, inbound|from mail.example.com (mail.example.com [203.0.113.50]) by mx0a-00123401.pphosted.com (PPS) with ESMTPS id 4abc1|203.0.113.50
            Proofpoint, its filter hop|from pps.filterd (m0123401.ppops.net [127.0.0.1]) by m0123401.ppops.net (8.17.1.19/8.17.1.19) with SMTP id 5B1A|127.0.0.1
            Mimecast|from mail.example.com (mail.example.com [203.0.113.50]) by relay.mimecast.com with ESMTP with STARTTLS (version=TLSv1.2 cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id us-mta-1-abc|203.0.113.50
            Exim, verified name|from mail.example.com ([203.0.113.50]:45678 helo=mail.example.com) by mx.contoso.com with esmtps (TLS1.3) (Exim 4.96) (envelope-from <a@example.com>) id 1tAbc-000001-Ab|203.0.113.50
            Exim, verified name, other HELO|from mail.example.com ([203.0.113.50] helo=[198.51.100.1]) by mx.contoso.com with esmtp (Exim 4.96) id 1tAbc-000002-Ab|203.0.113.50
            Exim, no name|from [203.0.113.50] (port=45678 helo=[198.51.100.1]) by mx.contoso.com with esmtp (Exim 4.96) id 1tAbc-000003-Ab|203.0.113.50
            Exim, no name, no port|from [203.0.113.50] (helo=whatever) by mx.contoso.com with esmtp (Exim 4.96) id 1tAbc-000004-Ab|203.0.113.50
            Exim, bare literal|from [203.0.113.50] by mx.contoso.com with esmtp (Exim 4.96) id 1tAbc-000005-Ab|203.0.113.50
            Gatehouse itself|from mail.example.com (203.0.113.50) by mx.gatehouse.test (Gatehouse) with ESMTPS (version=TLS1_3, cipher=TLS_AES_128_GCM_SHA256) id 0f2d; Tue, 1 Dec 2026 10:00:00 +0000|203.0.113.50
            upper case keyword|FROM mail.example.com (mail.example.com [203.0.113.50]) BY mx.contoso.com|203.0.113.50
            folded with tabs|from\tmail.example.com\t(mail.example.com [203.0.113.50])\tby mx.contoso.com|203.0.113.50
            IPv4-mapped IPv6|from mail.example.com (mail.example.com [IPv6:::ffff:203.0.113.50]) by mx.contoso.com|203.0.113.50
            first comment wins|from x (unknown [203.0.113.50]) (unknown [198.51.100.1]) by mx.contoso.com|203.0.113.50
            """)
    void readsTheAddressTheWritingServerRecorded(String shape, String value, String expected) {
        assertThat(ip(value.replace("\\t", "\t"))).as(shape).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a HELO literal is the client's word: the server's comment decides|from [192.0.2.25] (unknown [203.0.113.50]) by mx.contoso.com|203.0.113.50
            an Exchange-style HELO literal|from [192.0.2.25] (203.0.113.50) by mx.contoso.com|203.0.113.50
            Exim's helo= is the client's word|from [203.0.113.50] (helo=[192.0.2.25]) by mx.contoso.com|203.0.113.50
            """)
    void neverTakesTheAddressTheClientChoseForItsHelo(String shape, String value, String expected) {
        assertThat(ip(value)).as(shape).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "by mx.contoso.com with SMTP id 123", "by 2002:a05:6a10:1234:b0:5a0:1::1 with SMTP id x1csp1",
            "(qmail 12345 invoked by uid 89); 1 Dec 2026 10:00:00 -0000",
            "from unknown (HELO mail.example.com) (203.0.113.50) by mx.contoso.com with SMTP", // qmail: the HELO comment comes first
            "from unknown (HELO [192.0.2.25]) (203.0.113.50) by mx.contoso.com with SMTP", // qmail with a literal HELO: the client's word
            "from unknown (ehlo [192.0.2.25]) (203.0.113.50) by mx.contoso.com with SMTP",
            "from root by host.example with local (Exim 4.96)", // local submission, no address
            "fromx (unknown [203.0.113.50])", "from", "from ", "from (unknown [203.0.113.50])",
            "from x(evil [198.51.100.1]) (unknown [203.0.113.50]) by mx", // parentheses in the name: a hostile HELO
            "from x (unknown [203.0.113.50] by mx", // unbalanced
            "from x (a (b (c (d (e [203.0.113.50]))))) by mx", // nested too deep
            "from x (a (b [203.0.113.50])) by mx", // the address is inside a nested comment
            "from x (unknown [203.0.113.50.7]) by mx", "from x (unknown [999.1.1.1]) by mx", "from x (unknown [203.0.113]) by mx",
            "from x (unknown [0x7f.0.0.1]) by mx", "from x (unknown [0203.0.113.50]) by mx", "from x (unknown [localhost]) by mx",
            "from x (unknown [mail.example.com]) by mx", "from x (unknown [ 203.0.113.50 ]) by mx",
            "from x (unknown [IPv6:fe80::1%eth0]) by mx", "from x (unknown [IPv6:203.0.113.50]) by mx", "from x (unknown [2001:db8::g]) by mx",
            "from x (unknown [203.0.113.50]junk) by mx", "from x (unknown [203.0.113.50]:999999) by mx",
            "from x (unknown 203.0.113.50) by mx", "from x (203.0.113.50 junk) by mx", "from x (helo=[203.0.113.50]) by mx",
            "from x (unknown) by mx", "from x by mx.contoso.com", "from [203.0.113.50 by mx",
            "from x (unknown [\u0662\u0660\u0663.0.113.50]) by mx", // Arabic-Indic digits
            "from x (unknown [\uff12\uff10\uff13.0.113.50]) by mx", // full-width digits
    })
    void aFieldItCannotReadGivesNothing(String value) {
        assertThat(ReceivedFrom.parse(value)).as(value).isEmpty();
    }

    @Test
    void theNameIsKeptOnlyWhenItIsAPlainHostName() {
        assertThat(ReceivedFrom.parse("from mail.example.com (mail.example.com [203.0.113.50]) by mx").orElseThrow().name())
                .isEqualTo("mail.example.com");
        assertThat(ReceivedFrom.parse("from User (unknown [203.0.113.50]) by mx").orElseThrow().name()).isEqualTo("User");
        assertThat(ReceivedFrom.parse("from [192.0.2.1] (unknown [203.0.113.50]) by mx").orElseThrow().name()).isNull();
        assertThat(ReceivedFrom.parse("from a;b=c (unknown [203.0.113.50]) by mx").orElseThrow().name()).isNull();
    }

    @Test
    void hugeAndDeeplyNestedFieldsAreReadQuicklyAndGiveNothing() {
        String deep = "from x " + "(".repeat(200_000) + "[203.0.113.50]" + ")".repeat(200_000);
        String longName = "from " + "a".repeat(500_000) + " (unknown [203.0.113.50])";
        String manyBackslashes = "from x (" + "\\".repeat(300_001) + "[203.0.113.50])";
        long start = System.nanoTime();
        assertThat(ReceivedFrom.parse(deep)).isEmpty();
        assertThat(ReceivedFrom.parse(longName)).isEmpty();
        assertThat(ReceivedFrom.parse(manyBackslashes)).isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(2000);   // linear; quadratic would take minutes
    }

    @Test
    void aLiteralNeverCausesALookup() {
        // a name in brackets would resolve through DNS if it reached InetAddress.getByName; it must be refused first
        assertThat(ReceivedFrom.literal("example.invalid")).isNull();
        assertThat(ReceivedFrom.literal("IPv6:example.invalid")).isNull();
        assertThat(ReceivedFrom.literal("::")).isNotNull(); // the unspecified address is read; the walk refuses to use it
    }

    @Test
    void readsTheValueAsTheParsedMessageGivesIt() {
        Message m = Message.parse(("Received: from mail.example.com (mail.example.com\r\n\t[203.0.113.50]) by mx.contoso.com;\r\n"
                + " Tue, 1 Dec 2026 10:00:00 +0000\r\nSubject: s\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII));
        Optional<ReceivedFrom> r = ReceivedFrom.parse(m.first("Received"));
        assertThat(r).map(x -> x.ip().getHostAddress()).contains("203.0.113.50");
    }
}
