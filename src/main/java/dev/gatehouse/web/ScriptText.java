package dev.gatehouse.web;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns a REST {@code CmdletInput} (cmdlet name and a JSON object of parameters) into the PowerShell
 * command text the cmdlet engine parses, so REST calls go through exactly the same parsing, binding and
 * validation as the shell. Strings are single-quoted (quotes doubled), booleans become {@code $true} /
 * {@code $false}, arrays comma lists, objects hashtables ({@code @{Add=…; Remove=…}}).
 */
final class ScriptText {

    private ScriptText() {}

    static String command(String cmdletName, JsonNode parameters) {
        if (!cmdletName.matches("[A-Za-z]+-[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("CmdletName '" + cmdletName + "' is not a cmdlet name (Verb-Noun)");
        }
        StringBuilder sb = new StringBuilder(cmdletName);
        if (parameters != null && !parameters.isNull()) {
            if (!parameters.isObject()) throw new IllegalArgumentException("Parameters must be a JSON object");
            for (Iterator<Map.Entry<String, JsonNode>> it = parameters.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().matches("[A-Za-z][A-Za-z0-9]*")) {
                    throw new IllegalArgumentException("parameter name '" + e.getKey() + "' is not valid");
                }
                sb.append(" -").append(e.getKey()).append(':').append(value(e.getValue()));
            }
        }
        return sb.toString();
    }

    static String value(JsonNode v) {
        if (v == null || v.isNull()) return "$null";
        if (v.isBoolean()) return v.booleanValue() ? "$true" : "$false";
        if (v.isNumber()) return v.asText();
        if (v.isTextual()) return quote(v.textValue());
        if (v.isArray()) {
            if (v.isEmpty()) return "@()";
            StringBuilder sb = new StringBuilder("@(");
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(value(v.get(i)));
            }
            return sb.append(')').toString();
        }
        StringBuilder sb = new StringBuilder("@{");
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().matches("[A-Za-z][A-Za-z0-9]*")) throw new IllegalArgumentException("key '" + e.getKey() + "' is not valid");
            if (!first) sb.append("; ");
            first = false;
            sb.append(e.getKey()).append('=').append(value(e.getValue()));
        }
        return sb.append('}').toString();
    }

    /** Single-quoted PowerShell string; every quote character PowerShell accepts is doubled. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B') sb.append(c);
            sb.append(c);
        }
        return sb.append('\'').toString();
    }
}
