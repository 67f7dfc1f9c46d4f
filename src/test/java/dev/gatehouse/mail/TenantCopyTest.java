package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TenantCopyTest {

    private static String copy(String stamp, String stored) {
        return new String(TenantCopy.assemble(stamp, stored.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
    }

    @Test
    void tenantStampGoesBelowReceivedAndNetworkMessageId() {
        String stored = "Received: from a (1.2.3.4)\r\n by mx (Gatehouse) with ESMTP id x;\r\n Sat, 28 Nov 2026 18:00:00 +0000\r\n"
                + "X-MS-Exchange-Organization-Network-Message-Id: x\r\nSubject: s\r\n\r\nbody\r\n";
        assertThat(copy("X-MS-Exchange-Organization-AuthAs: Anonymous\r\n", stored)).isEqualTo(
                "Received: from a (1.2.3.4)\r\n by mx (Gatehouse) with ESMTP id x;\r\n Sat, 28 Nov 2026 18:00:00 +0000\r\n"
                        + "X-MS-Exchange-Organization-Network-Message-Id: x\r\n"
                        + "X-MS-Exchange-Organization-AuthAs: Anonymous\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void withoutTraceFieldsTheStampGoesFirstAndNoStampChangesNothing() {
        assertThat(copy("A: b\r\n", "Subject: s\r\n\r\nx\r\n")).isEqualTo("A: b\r\nSubject: s\r\n\r\nx\r\n");
        assertThat(copy(null, "Subject: s\r\n")).isEqualTo("Subject: s\r\n");
        assertThat(copy("A: b\r\n", "Received: x")).isEqualTo("Received: xA: b\r\n");
    }
}
