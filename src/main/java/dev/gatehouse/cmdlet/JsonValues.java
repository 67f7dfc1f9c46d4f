// Public entry to the JSON form of cmdlet output objects, for the REST API.
package dev.gatehouse.cmdlet;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The same JSON that {@code ConvertTo-Json} and {@code --json} print, as a tree the REST layer can embed. */
public final class JsonValues {

    private JsonValues() {}

    public static ArrayNode array(List<Object> objects) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Object o : objects) a.add(JsonOutput.node(o, 0, 10));
        return a;
    }

    public static JsonNode of(Object o) { return JsonOutput.node(o, 0, 10); }
}
