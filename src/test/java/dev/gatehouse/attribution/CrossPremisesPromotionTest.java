package dev.gatehouse.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.pipeline.Attribution;

class CrossPremisesPromotionTest {

    private static final List<Map.Entry<String, String>> FROM_ON_PREMISES = List.of(
            Map.entry("AuthSource", "exch01.corp.contoso.com"),
            Map.entry("AuthAs", "Anonymous"),
            Map.entry("Network-Message-Id", "forged-id"),
            Map.entry("Evil", "x\r\nBcc: victim@contoso.com"));

    @Test
    void aHybridConnectorPromotesCrossPremisesFieldsOverTheGatewaysOwn() {
        Attribution hybrid = new Attribution("CO-HYB", "Certificate", Directionality.Originating, AuthAs.Internal, "10", "HybridOnPrem", false, false);
        String stamp = Stamps.of(hybrid, "tid", "mx.gatehouse.test", FROM_ON_PREMISES);
        assertThat(stamp).contains("X-MS-Exchange-Organization-AuthSource: exch01.corp.contoso.com\r\n")
                .doesNotContain("X-MS-Exchange-Organization-AuthSource: mx.gatehouse.test")
                // internet mail relayed through the on-premises server keeps its Anonymous verdict (spec §4.1)
                .contains("X-MS-Exchange-Organization-AuthAs: Anonymous\r\n")
                .contains("X-CrossPremisesHeadersPromoted: mx.gatehouse.test\r\n")
                .doesNotContain("forged-id")
                .contains("X-MS-Exchange-Organization-Evil: xBcc: victim@contoso.com\r\n")
                .doesNotContain("\r\nBcc:");
    }

    @Test
    void noOtherPathPromotesAnything() {
        Attribution partner = new Attribution("CP-IP", "IP", Directionality.Incoming, AuthAs.Anonymous, null, "Internet", false, false);
        String stamp = Stamps.of(partner, "tid", "mx.gatehouse.test", FROM_ON_PREMISES);
        assertThat(stamp).isEqualTo(Stamps.of(partner, "tid", "mx.gatehouse.test"))
                .contains("X-MS-Exchange-Organization-AuthSource: mx.gatehouse.test").doesNotContain("CrossPremisesHeaders");
    }

    /** Only a token can become a field name, a promoted value is one bounded line, and a field is replaced where it stood. */
    @Test
    void promotedNamesMustBeTokensAndValuesAreOneBoundedLine() {
        Attribution hybrid = new Attribution("CO-HYB", "Certificate", Directionality.Originating, AuthAs.Internal, "10", "HybridOnPrem", false, false);
        String stamp = Stamps.of(hybrid, "tid", "mx.gatehouse.test", List.of(
                Map.entry("Auth Source", "spaced"), Map.entry("Bcc:x", "colon"), Map.entry("A".repeat(65), "long name"),
                Map.entry("network-message-id", "forged"), Map.entry("authas", "Partner"), Map.entry("Note", "\tv\u0000a\u007fl " + "z".repeat(5000))));
        assertThat(stamp).doesNotContain("spaced", "colon", "long name", "forged");
        List<String> lines = List.of(stamp.split("\r\n"));
        // the gateway's AuthAs line is replaced in place, under the name as received
        assertThat(lines.get(4)).isEqualTo("X-MS-Exchange-Organization-authas: Partner");
        assertThat(lines).filteredOn(l -> l.toLowerCase().startsWith("x-ms-exchange-organization-authas:")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.startsWith("X-MS-Exchange-Organization-Note: ")).singleElement()
                .satisfies(l -> assertThat(l).startsWith("X-MS-Exchange-Organization-Note: val zzz")
                        .hasSize("X-MS-Exchange-Organization-Note: ".length() + 998));
    }
}
