// SuiteZone: one OpenSPF section's zonedata as an RFC 1035 master file for a root zone, and the names that time out.
package dev.gatehouse.spf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The suite's conventions, as its header comment and its reference driver (pyspf's test/testspf.py) apply them:
 * <ul>
 *   <li>{@code SPF} strings are served as type SPF (99), and also as TXT when the name has no {@code TXT} entry
 *       ("auto-magic duplication"); {@code TXT: NONE} is a TXT entry that serves nothing.</li>
 *   <li>A list of strings is one record of several character-strings; a string over 255 octets is split into
 *       several; octets outside printable ASCII (the suite's {@code \xEF}, {@code \0}, {@code \x0d}) are written
 *       {@code \DDD}. The one empty list ({@code SPF: [ ]}, "null text") becomes one empty string: a TXT record
 *       cannot have no strings on the wire, and either way it is not an SPF record.</li>
 *   <li>{@code TIMEOUT}: in the reference driver, a query for a type the name lists no record of times out. The
 *       fixture drops every query for a name, so a name goes into the timeout set unless it serves TXT; a name
 *       that serves TXT and lists TIMEOUT may list nothing else but SPF records, whose type SPF never queries
 *       (checked here, so a suite change cannot silently weaken a case).</li>
 * </ul>
 */
record SuiteZone(String body, Set<String> timeoutNames) {

    static SuiteZone of(Map<String, Object> zonedata) {
        StringBuilder zone = new StringBuilder();
        Set<String> timeouts = new LinkedHashSet<>();
        for (Map.Entry<String, Object> e : zonedata.entrySet()) {
            String owner = owner(e.getKey());
            List<List<String>> txt = new ArrayList<>();
            List<List<String>> spf = new ArrayList<>();
            boolean txtListed = false;
            boolean timeout = false;
            Set<String> others = new LinkedHashSet<>();
            for (Object entry : (List<?>) e.getValue()) {
                if ("TIMEOUT".equals(entry)) {
                    timeout = true;
                    continue;
                }
                Map<String, Object> rr = map(entry);
                String type = rr.keySet().iterator().next();
                Object value = rr.get(type);
                switch (type) {
                    case "TXT" -> {
                        txtListed = true;
                        if (!"NONE".equals(value)) txt.add(strings(value));
                    }
                    case "SPF" -> spf.add(strings(value));
                    default -> {
                        others.add(type);
                        zone.append(owner).append(' ').append(type).append(' ').append(rdata(type, value)).append('\n');
                    }
                }
            }
            List<List<String>> served = txtListed ? txt : spf;
            for (List<String> r : served) zone.append(owner).append(" TXT ").append(characterStrings(r)).append('\n');
            for (List<String> r : spf) zone.append(owner).append(" SPF ").append(characterStrings(r)).append('\n');
            if (timeout) {
                if (served.isEmpty()) {
                    timeouts.add(e.getKey().toLowerCase(Locale.ROOT));
                } else if (!others.isEmpty()) {
                    throw new IllegalStateException(e.getKey() + " serves TXT and " + others + " and lists TIMEOUT: the fixture cannot time out one type only");
                }
            }
        }
        return new SuiteZone(zone.toString(), timeouts);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        return List.of(String.valueOf(value));
    }

    private static String rdata(String type, Object value) {
        return switch (type) {
            case "A", "AAAA" -> String.valueOf(value);
            case "MX" -> {
                List<?> mx = (List<?>) value;
                yield mx.get(0) + " " + absolute(String.valueOf(mx.get(1)));
            }
            case "PTR", "CNAME" -> absolute(String.valueOf(value));
            default -> throw new IllegalArgumentException("record type " + type + " in the suite's zonedata");
        };
    }

    /** A name written absolute, each label's unusual octets as {@code \DDD}; the empty name is the root. */
    static String absolute(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.isEmpty() ? "." : owner(n);
    }

    static String owner(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : octets(name)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (plain) sb.append((char) c);
            else sb.append('\\').append(String.format("%03d", c));
        }
        return sb.append('.').toString();
    }

    /** One record's strings as quoted character-strings of at most 255 octets each. */
    static String characterStrings(List<String> strings) {
        List<String> out = new ArrayList<>();
        for (String s : strings) {
            byte[] b = octets(s);
            if (b.length == 0) out.add("\"\"");
            for (int from = 0; from < b.length; from += 255) out.add(quoted(b, from, Math.min(b.length, from + 255)));
        }
        if (out.isEmpty()) out.add("\"\"");
        return String.join(" ", out);
    }

    private static String quoted(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (c == '"' || c == '\\') sb.append('\\').append((char) c);
            else if (c >= 0x20 && c < 0x7f) sb.append((char) c);
            else sb.append('\\').append(String.format("%03d", c));
        }
        return sb.append('"').toString();
    }

    /** The octets a YAML string stands for: {@code \xNN} escapes read as U+00NN are that octet; anything beyond is UTF-8. */
    private static byte[] octets(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0xff) out.write(c);
            else out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
