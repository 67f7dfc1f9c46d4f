// Reads the JSON-like body of a KQL dynamic(...) literal into a Jackson tree.
package dev.gatehouse.kql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.kql.KqlToken.Kind;

/**
 * KQL's dynamic literals are JSON read with KQL's tokens: strings may use either quote (and every KQL string form),
 * and values may be KQL literals such as {@code datetime(2025-01-01)} or {@code 1d}, which become their string forms
 * (ISO-8601 for datetimes, {@code [d.]hh:mm:ss[.fffffff]} for timespans). Numbers become the node types Jackson's
 * own reader gives ({@code int} when it fits, else {@code long}; {@code double} for reals), so a dynamic literal and
 * {@code parse_json} of the same text compare alike. {@code dynamic(null)} is Java null.
 */
final class DynamicLiteralParser {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DynamicLiteralParser() {}

    /** The cursor is at the {@code (} after {@code dynamic}; on return it is past the matching {@code )}. */
    static JsonNode parse(TokenCursor c) {
        c.expectPunct("(");
        if (c.atWord("null") && c.peek(1).isPunct(")")) {
            c.advance();
            c.advance();
            return null;
        }
        JsonNode value = value(c);
        c.expectPunct(")");
        return value;
    }

    private static JsonNode value(TokenCursor c) {
        c.enter();
        KqlToken tok = c.peek();
        JsonNode node;
        if (tok.isPunct("[")) {
            node = array(c);
        } else if (tok.isPunct("{")) {
            node = object(c);
        } else if (tok.kind() == Kind.STRING) {
            c.advance();
            node = NODES.textNode((String) tok.value());
        } else if (tok.isWord("null")) {
            c.advance();
            node = NODES.nullNode();
        } else if ((tok.isPunct("-") || tok.isPunct("+")) && isNumber(c.peek(1))) {
            c.advance();
            node = literal(c.advance(), tok.isPunct("-"));
        } else if (tok.kind() == Kind.LITERAL) {
            c.advance();
            node = literal(tok, false);
        } else {
            throw c.expected("a value in the dynamic literal");
        }
        c.exit();
        return node;
    }

    private static boolean isNumber(KqlToken tok) {
        return tok.kind() == Kind.LITERAL && tok.value() != null
                && (tok.type().isNumeric() || tok.type() == KqlType.TIMESPAN);
    }

    private static ArrayNode array(TokenCursor c) {
        c.expectPunct("[");
        ArrayNode array = NODES.arrayNode();
        if (!c.atPunct("]")) {
            do {
                array.add(value(c));
            } while (c.acceptPunct(","));
        }
        c.expectPunct("]");
        return array;
    }

    private static ObjectNode object(TokenCursor c) {
        c.expectPunct("{");
        ObjectNode object = NODES.objectNode();
        if (!c.atPunct("}")) {
            do {
                KqlToken key = c.peek();
                if (key.kind() != Kind.STRING) throw c.expected("a quoted property name in the dynamic literal");
                c.advance();
                c.expectPunct(":");
                object.set((String) key.value(), value(c));
            } while (c.acceptPunct(","));
        }
        c.expectPunct("}");
        return object;
    }

    private static JsonNode literal(KqlToken tok, boolean negate) {
        Object v = tok.value();
        if (v == null) return NODES.nullNode();
        return switch (tok.type()) {
            case BOOL -> NODES.booleanNode((Boolean) v);
            case INT, LONG -> {
                long n = negate ? -(Long) v : (Long) v;
                yield n == (int) n ? NODES.numberNode((int) n) : NODES.numberNode(n);
            }
            case REAL -> NODES.numberNode(negate ? -(Double) v : (Double) v);
            case DATETIME -> NODES.textNode(Values.datetime((Long) v));
            case TIMESPAN -> NODES.textNode(Values.timespan(negate ? -(Long) v : (Long) v));
            case STRING -> NODES.textNode((String) v);
            case DYNAMIC -> NODES.nullNode(); // not produced by the lexer
        };
    }
}
