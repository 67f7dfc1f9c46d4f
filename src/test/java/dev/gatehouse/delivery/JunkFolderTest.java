// Which copies go to Junk Email: the first SCL field of the header section, above 4.
package dev.gatehouse.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class JunkFolderTest {
    private static boolean junk(String m) { return JunkFolder.applies(m.getBytes(StandardCharsets.US_ASCII)); }

    @Test
    void aStampOfFiveOrMoreGoesToJunk() {
        assertThat(junk("Received: x\r\nX-MS-Exchange-Organization-SCL: 5\r\nSubject: s\r\n\r\nbody")).isTrue();
        assertThat(junk("Received: x\r\nx-ms-exchange-organization-scl:9\r\n\r\nbody")).isTrue();
    }

    @Test
    void lowOrTrustedOrMissingStaysInTheInbox() {
        assertThat(junk("X-MS-Exchange-Organization-SCL: 4\r\n\r\n")).isFalse();
        assertThat(junk("X-MS-Exchange-Organization-SCL: -1\r\n\r\n")).isFalse();
        assertThat(junk("Subject: x\r\n\r\n")).isFalse();
        assertThat(junk("")).isFalse();
    }

    @Test
    void theFirstFieldDecidesAndTheBodyIsNeverRead() {
        assertThat(junk("X-MS-Exchange-Organization-SCL: -1\r\nX-MS-Exchange-Organization-SCL: 9\r\n\r\n")).isFalse();
        assertThat(junk("Subject: x\r\n\r\nX-MS-Exchange-Organization-SCL: 9\r\n")).isFalse();
    }
}
