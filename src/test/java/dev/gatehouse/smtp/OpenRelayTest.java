// OpenRelayTest: nmap smtp-open-relay's 16 address forms (and extras) parse or fail per the rules, and none is relayed.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.Transcripts.transcript;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** D = external.example, S = mx.test.example (the server, not a tenant domain), I = 127.0.0.1; tenants own example.com. */
class OpenRelayTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "<>|<relaytest@external.example>|554 5.7.1",
        "<antispam@external.example>|<relaytest@external.example>|554 5.7.1",
        "<antispam@mx.test.example>|<relaytest@external.example>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<relaytest@external.example>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<relaytest%external.example@[127.0.0.1]>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<relaytest%external.example@mx.test.example>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<\"relaytest@external.example\">|501 5.1.3",
        "<antispam@[127.0.0.1]>|<\"relaytest%external.example\">|501 5.1.3",
        "<antispam@[127.0.0.1]>|<relaytest@external.example@[127.0.0.1]>|501 5.1.3",
        "<antispam@[127.0.0.1]>|<\"relaytest@external.example\"@[127.0.0.1]>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<relaytest@external.example@mx.test.example>|501 5.1.3",
        "<antispam@[127.0.0.1]>|<@[127.0.0.1]:relaytest@external.example>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<@mx.test.example:relaytest@external.example>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<external.example!relaytest>|501 5.1.3",
        "<antispam@[127.0.0.1]>|<external.example!relaytest@[127.0.0.1]>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<external.example!relaytest@mx.test.example>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<relaytest%external.example%mx.test.example@mx.test.example>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<mx.test.example!external.example!relaytest>|501 5.1.3",
        "<antispam@[127.0.0.1]>|<relaytest@EXTERNAL.Example>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<relaytest@external.example.>|501 5.1.3",
        "<antispam@[127.0.0.1]>|<relaytest@external.example >|501 5.1.3",
        "<antispam@[127.0.0.1]>|<\"relaytest@external.example\"@mx.test.example>|554 5.7.1",
        "<antispam@[IPv6:::1]>|<relaytest@[IPv6:::1]>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<@example.com:relaytest@external.example>|554 5.7.1",
        "<antispam@[127.0.0.1]>|<relaytest@external.example@example.com>|501 5.1.3",
    })
    void neverRelays(String from, String to, String expected) {
        List<String> lines = transcript("EHLO x\r\n", "MAIL FROM:" + from + "\r\n", "RCPT TO:" + to + "\r\n", "QUIT\r\n");
        assertThat(lines.get(lines.size() - 3)).isEqualTo("250 2.1.0 Ok");
        assertThat(lines.get(lines.size() - 2)).startsWith(expected);
    }
}
