// The shell's side of -MessageFile: the file is read here, on the admin's machine, and sent as -Message.
package dev.gatehouse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scripts run on the server, which never opens a path a caller names; so before a script is sent, each
 * {@code -MessageFile PATH} argument (bare, 'single' or "double" quoted) becomes {@code -Message '<text>'}
 * with the file's bytes as characters U+0000–U+00FF (ISO-8859-1), which the server turns back into the same
 * bytes, so a DKIM signature over 8-bit content still verifies.
 */
final class MessageFiles {
    /** Largest message file the shell sends (the gateway's default SIZE is 36 MB; a check needs far less). */
    static final long MAX_BYTES = 10L * 1024 * 1024;
    private static final Pattern ARGUMENT = Pattern.compile("(?i)-MessageFile(?::|\\s+)(?:'((?:[^']|'')*)'|\"([^\"]*)\"|([^\\s;|]+))");

    private MessageFiles() {}

    /** Thrown with the message for the admin when a named file can't be sent. */
    static final class Unreadable extends Exception {
        Unreadable(String message) { super(message); }
    }

    static String inline(String script) throws Unreadable {
        Matcher m = ARGUMENT.matcher(script);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String path = m.group(1) != null ? m.group(1).replace("''", "'") : m.group(2) != null ? m.group(2) : m.group(3);
            m.appendReplacement(out, Matcher.quoteReplacement("-Message '" + read(path).replace("'", "''") + "'"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String read(String path) throws Unreadable {
        Path p = Path.of(path);
        try {
            if (!Files.isRegularFile(p)) throw new Unreadable("-MessageFile '" + path + "': no such file");
            if (Files.size(p) > MAX_BYTES) throw new Unreadable("-MessageFile '" + path + "': larger than 10 MB");
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new Unreadable("-MessageFile '" + path + "': " + e.getMessage());
        }
    }
}
