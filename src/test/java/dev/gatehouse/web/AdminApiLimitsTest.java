// AdminApiLimitsTest: the JSON limits of an admin request at their exact edges (nesting, value count, string and name
// length), each refusal naming the limit, and a tree far deeper than any stack checked without recursion.
package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

class AdminApiLimitsTest {
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** A value inside {@code levels} nested arrays: the value itself is at depth levels + 1. */
    private static JsonNode nested(int levels) {
        JsonNode n = F.numberNode(1);
        for (int i = 0; i < levels; i++) {
            ArrayNode a = F.arrayNode();
            a.add(n);
            n = a;
        }
        return n;
    }

    private static ArrayNode values(int n) {
        ArrayNode a = F.arrayNode();
        for (int i = 0; i < n; i++) a.add(i);
        return a;
    }

    @Test void thirtyTwoLevelsPassAndTheThirtyThirdIsRefusedNamingBoth() {
        assertThat(AdminApi.limits(nested(AdminApi.MAX_DEPTH - 1))).isNull();
        assertThat(AdminApi.limits(nested(AdminApi.MAX_DEPTH))).isEqualTo("The request nests arrays or objects 33 levels deep; the limit is 32.");
        ObjectNode objects = F.objectNode();
        ObjectNode inner = objects;
        for (int i = 1; i < AdminApi.MAX_DEPTH; i++) inner = inner.putObject("k");
        assertThat(AdminApi.limits(objects)).as("32 nested objects").isNull();
        inner.putObject("k");
        assertThat(AdminApi.limits(objects)).contains("33 levels deep");
    }

    @Test void tenThousandValuesPassCountingTheContainersAndOneMoreIsRefused() {
        // the array itself is one value, so it may hold 9,999 elements
        assertThat(AdminApi.limits(values(AdminApi.MAX_ELEMENTS - 1))).isNull();
        assertThat(AdminApi.limits(values(AdminApi.MAX_ELEMENTS))).isEqualTo("The request has more than 10000 JSON values (the limit).");
        ObjectNode spread = F.objectNode();
        for (int i = 0; i < 100; i++) spread.set("p" + i, values(100));
        assertThat(AdminApi.limits(spread)).as("1 + 100 arrays + 10,000 numbers").contains("more than 10000 JSON values");
    }

    @Test void stringsOf64KiBPassAndOneCharacterMoreIsRefusedWithItsLength() {
        assertThat(AdminApi.limits(F.textNode("a".repeat(AdminApi.MAX_STRING)))).isNull();
        assertThat(AdminApi.limits(F.textNode("a".repeat(AdminApi.MAX_STRING + 1))))
                .isEqualTo("The request has a string of 65537 characters; the limit is 65536.");
        ArrayNode deepInside = F.arrayNode();
        deepInside.addObject().putArray("x").add("b".repeat(100_000));
        assertThat(AdminApi.limits(deepInside)).isEqualTo("The request has a string of 100000 characters; the limit is 65536.");
    }

    @Test void propertyNamesHaveTheStringLimitToo() {
        ObjectNode fits = F.objectNode();
        fits.put("n".repeat(AdminApi.MAX_STRING), 1);
        assertThat(AdminApi.limits(fits)).isNull();
        ObjectNode tooLong = F.objectNode();
        tooLong.put("n".repeat(AdminApi.MAX_STRING + 1), 1);
        assertThat(AdminApi.limits(tooLong)).isEqualTo("The request has a property name longer than 65536 characters.");
    }

    @Test void aTreeFarDeeperThanAnyStackIsRefusedWithoutOverflowingIt() {
        assertThat(AdminApi.limits(nested(500_000))).contains("levels deep; the limit is 32");
    }

    @Test void scalarsAndEmptyContainersAreWithinEveryLimit() {
        for (JsonNode n : new JsonNode[] {F.nullNode(), F.booleanNode(true), F.numberNode(1e308), F.textNode(""), F.arrayNode(), F.objectNode()}) {
            assertThat(AdminApi.limits(n)).as("%s", n).isNull();
        }
    }
}
