// JSON output (ConvertTo-Json, --json mode and the REST API's JsonValues): PowerShell 7's indentation, values
// that stay valid JSON (NaN, quotes, control characters), Exchange's value forms, and the depth limit.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonOutputTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    record Chain(String name, Chain next) {}

    record Rule(String name, List<Condition> conditions) {}

    record Condition(String property, List<String> words) {}

    static Chain chain(int length) {
        Chain c = null;
        for (int i = length; i >= 1; i--) c = new Chain("level" + i, c);
        return c;
    }

    @Test void prettyOutputIndentsLikePowerShell7() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", "contoso.com");
        m.put("Priority", 1);
        m.put("Domains", List.of("a.contoso.com", "b.contoso.com"));
        m.put("Settings", Map.of());
        assertThat(JsonOutput.render(List.of(m), 2, false, false)).isEqualTo("""
                {
                  "Name": "contoso.com",
                  "Priority": 1,
                  "Domains": [
                    "a.contoso.com",
                    "b.contoso.com"
                  ],
                  "Settings": {}
                }""");
    }

    @Test void textThatIsHostileToJsonStaysAStringThatReadsBack() throws Exception {
        String hostile = "Fab \"the\" rikam\\\n\t\u0001 </script> \u00e9\u4e2d \ud83d\udce7";
        JsonNode node = MAPPER.readTree(JsonOutput.render(List.of(Map.of("Name", hostile)), 2, true, false));
        assertThat(node.get("Name").asText()).isEqualTo(hostile);
    }

    @Test void numbersThatJsonCannotHoldAreWrittenAsStrings() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Ratio", Double.NaN);
        m.put("Limit", Double.POSITIVE_INFINITY);
        m.put("Score", Float.NEGATIVE_INFINITY);
        m.put("Spam", 0.5);
        String json = JsonOutput.render(List.of(m), 2, true, false);
        assertThat(json).isEqualTo("{\"Ratio\":\"NaN\",\"Limit\":\"Infinity\",\"Score\":\"-Infinity\",\"Spam\":0.5}");
        assertThat(MAPPER.readTree(json).size()).isEqualTo(4);
    }

    @Test void valuesAreWrittenInTheirExchangeForms() throws Exception {
        UUID id = UUID.fromString("c14401cf-aa9a-465b-cfd5-08d0f0ca37c5");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Identity", id);
        m.put("DomainType", SampleOrg.DomainType.InternalRelay);
        m.put("Received", Instant.parse("2025-07-01T13:05:09Z"));
        m.put("Expires", LocalDate.of(2025, 7, 31));
        m.put("Size", new ByteQuantifiedSize(1536));
        m.put("Note", Optional.empty());
        m.put("Ports", new Object[] {25, 587});
        m.put("Help", new FormattedText("NAME\n    Get-Help\n"));
        JsonNode node = MAPPER.readTree(JsonOutput.render(List.of(m), 2, true, false));
        assertThat(node.get("Identity").asText()).isEqualTo("c14401cf-aa9a-465b-cfd5-08d0f0ca37c5");
        assertThat(node.get("DomainType").asText()).isEqualTo("InternalRelay");
        assertThat(node.get("Received").asText()).isEqualTo("2025-07-01T13:05:09Z");
        assertThat(node.get("Expires").asText()).startsWith("2025-07-31");
        assertThat(node.get("Size").asText()).isEqualTo("1.5 KB (1,536 bytes)");
        assertThat(node.get("Note").isNull()).isTrue();
        assertThat(node.get("Ports").toString()).isEqualTo("[25,587]");
        assertThat(node.get("Help").asText()).isEqualTo("NAME\n    Get-Help\n");
    }

    @Test void objectsDeeperThanTheDepthBecomeTheirTextButListsDoNotCountAsALevel() {
        assertThat(JsonOutput.render(List.of(chain(3)), 1, true, false)).isEqualTo(
                "{\"Name\":\"level1\",\"Next\":{\"Name\":\"level2\",\"Next\":\"Chain[name=level3, next=null]\"}}");
        Rule rule = new Rule("Block", List.of(new Condition("Subject", List.of("invoice"))));
        assertThat(JsonOutput.render(List.of(rule), 1, true, false))
                .isEqualTo("{\"Name\":\"Block\",\"Conditions\":[{\"Property\":\"Subject\",\"Words\":[\"invoice\"]}]}");
        assertThat(JsonOutput.render(List.of(Map.of("Settings", Map.of("Inner", Map.of("A", 1)))), 1, true, false))
                .isEqualTo("{\"Settings\":{\"Inner\":\"System.Collections.Hashtable\"}}");
    }

    @Test void theRestApiGetsTheSameTreeWithTenLevels() {
        JsonNode one = JsonValues.of(SampleOrg.CONTOSO);
        assertThat(one.toString()).isEqualTo(JsonOutput.render(List.of(SampleOrg.CONTOSO), 10, true, false));
        assertThat(JsonValues.array(List.of(SampleOrg.CONTOSO, SampleOrg.FABRIKAM)).size()).isEqualTo(2);
        JsonNode deep = JsonValues.of(chain(13));
        for (int i = 0; i < 11; i++) deep = deep.get("Next");
        assertThat(deep.isTextual()).isTrue();
        assertThat(deep.asText()).startsWith("Chain[name=level12");
    }

    @Test void jsonModeWritesOneArrayPerScriptAtItsConfiguredDepth() throws Exception {
        SampleOrg org = new SampleOrg();
        PipelineRunner.Options json = PipelineRunner.Options.defaults().withJson(true);
        RunResult r = org.run("Get-AcceptedDomain contoso.com\nGet-AcceptedDomain fabrikam.com | select Identity", json);
        JsonNode node = MAPPER.readTree(r.output());
        assertThat(node.size()).isEqualTo(2);
        assertThat(node.get(0).get("MaxMessageSize").asText()).isEqualTo("35 MB (36,700,160 bytes)");
        assertThat(node.get(1).toString()).isEqualTo("{\"Identity\":\"fabrikam.com\"}");
        assertThat(org.run("Get-AcceptedDomain | select -First 0", json).output()).isEqualTo("[]\n");
        RunResult shallow = org.run("Get-AcceptedDomain contoso.com",
                new PipelineRunner.Options(true, false, OutputFiles.denied(), 0));
        assertThat(MAPPER.readTree(shallow.output()).get(0).get("Identity").asText()).isEqualTo("contoso.com");
    }
}
