// Renders output objects as JSON (ConvertTo-Json and the runner's --json mode) with Exchange property names.
package dev.gatehouse.cmdlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Package-private JSON rendering. Objects become JSON objects keyed by their property names (see
 * {@link ObjectView}); dates are ISO 8601; enums are their names (PowerShell would write numbers);
 * a {@link ByteQuantifiedSize} is its Exchange display string. Beyond {@code depth} levels of nesting an
 * object is written as its string form, as ConvertTo-Json does. Pretty output uses PowerShell 7's two-space
 * indentation.
 */
final class JsonOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("").withArrayEmptySeparator(""));

    private JsonOutput() {}

    /** One object as a JSON value, or several as an array; {@code asArray} forces an array. */
    static String render(List<Object> objects, int depth, boolean compress, boolean asArray) {
        JsonNode node;
        if (objects.size() == 1 && !asArray) {
            node = node(objects.getFirst(), 0, depth);
        } else {
            ArrayNode array = NODES.arrayNode();
            for (Object o : objects) array.add(node(o, 0, depth));
            node = array;
        }
        try {
            return compress ? MAPPER.writeValueAsString(node) : MAPPER.writer(PRETTY).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    static JsonNode node(Object o, int level, int depth) {
        return switch (o) {
            case null -> NODES.nullNode();
            case Boolean b -> NODES.booleanNode(b);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Short s -> NODES.numberNode(s);
            case Double d -> d.isNaN() || d.isInfinite() ? NODES.textNode(d.toString()) : NODES.numberNode(d);
            case Float f -> f.isNaN() || f.isInfinite() ? NODES.textNode(f.toString()) : NODES.numberNode(f);
            case BigDecimal d -> NODES.numberNode(d);
            case BigInteger i -> NODES.numberNode(i);
            case CharSequence s -> NODES.textNode(s.toString());
            case Enum<?> e -> NODES.textNode(e.name());
            case FormattedText t -> NODES.textNode(t.text());
            case java.util.Optional<?> opt -> node(opt.orElse(null), level, depth);
            case Collection<?> c -> array(c, level, depth);
            case Object[] a -> array(List.of(a), level, depth);
            default -> {
                String iso = DateTimes.iso(o);
                if (iso != null) yield NODES.textNode(iso);
                if (!ObjectView.hasProperties(o)) yield NODES.textNode(String.valueOf(o));
                if (level > depth) yield NODES.textNode(o instanceof Map<?, ?> ? "System.Collections.Hashtable" : o.toString());
                ObjectNode obj = NODES.objectNode();
                ObjectView.properties(o).forEach((k, v) -> obj.set(k, node(v, level + 1, depth)));
                yield obj;
            }
        };
    }

    private static ArrayNode array(Collection<?> c, int level, int depth) {
        ArrayNode array = NODES.arrayNode();
        for (Object x : c) array.add(node(x, level, depth));
        return array;
    }
}
