// Writes the fixture's Knot configuration and zone files from the zones a test gives.
package dev.gatehouse.dns.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tests give zone bodies as they would appear in a master file, usually just the records they care about;
 * Knot refuses a zone without SOA, so the fixture completes each body with $ORIGIN, $TTL and, when the body
 * has no SOA of its own, an SOA (negative TTL 300 s) and an NS record. Knot runs unprivileged from a
 * throw-away directory: its configuration, zone files, databases, control socket and log all live there.
 */
final class ZoneFiles {
    static final int DEFAULT_TTL = 300;

    private ZoneFiles() {}

    /** The origin in absolute form: "." stays ".", "example.com" becomes "example.com.". */
    static String absolute(String origin) {
        String trimmed = origin.strip();
        if (trimmed.isEmpty() || trimmed.equals(".")) return ".";
        return trimmed.endsWith(".") ? trimmed : trimmed + ".";
    }

    /** Writes knot.conf and one zone file per origin into {@code dir}; returns the configuration file. */
    static Path write(Path dir, int port, String identity, Map<String, String> zones) throws IOException {
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n")
                .append("    rundir: \"").append(dir).append("\"\n")
                .append("    listen: 127.0.0.1@").append(port).append('\n')
                .append("    identity: \"").append(identity).append("\"\n")
                .append("    udp-workers: 1\n    tcp-workers: 1\n    background-workers: 1\n")
                .append("database:\n    storage: \"").append(dir).append("\"\n")
                .append("control:\n    listen: \"").append(dir.resolve("knot.sock")).append("\"\n")
                .append("log:\n  - target: stderr\n    any: info\n")
                .append("template:\n  - id: default\n    storage: \"").append(dir).append("\"\n")
                .append("    zonefile-sync: -1\n    journal-content: none\n")
                .append("zone:\n");
        int index = 0;
        for (Map.Entry<String, String> zone : zones.entrySet()) {
            String file = "zone" + index++ + ".zone";
            Files.writeString(dir.resolve(file), body(absolute(zone.getKey()), zone.getValue()), StandardCharsets.UTF_8);
            conf.append("  - domain: \"").append(absolute(zone.getKey())).append("\"\n")
                    .append("    file: \"").append(dir.resolve(file)).append("\"\n");
        }
        Path file = dir.resolve("knot.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        return file;
    }

    static String body(String origin, String body) {
        StringBuilder zone = new StringBuilder();
        zone.append("$ORIGIN ").append(origin).append('\n').append("$TTL ").append(DEFAULT_TTL).append('\n');
        if (!hasSoa(body)) {
            zone.append("@ IN SOA ns.fixture.invalid. hostmaster.fixture.invalid. 1 3600 600 86400 ")
                    .append(DEFAULT_TTL).append('\n')
                    .append("@ IN NS ns.fixture.invalid.\n");
        }
        zone.append(body).append('\n');
        return zone.toString();
    }

    /** Whether the body holds an SOA record: a token "SOA" outside quoted strings and comments. */
    static boolean hasSoa(String body) {
        for (String token : tokens(body)) {
            if (token.toUpperCase(Locale.ROOT).equals("SOA")) return true;
        }
        return false;
    }

    private static List<String> tokens(String body) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean quoted = false;
        boolean comment = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (comment) {
                comment = c != '\n';
            } else if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == ';') {
                comment = true;
            } else if (Character.isWhitespace(c) || c == '(' || c == ')') {
                if (!token.isEmpty()) tokens.add(token.toString());
                token.setLength(0);
            } else {
                token.append(c);
            }
        }
        if (!token.isEmpty()) tokens.add(token.toString());
        return tokens;
    }
}
