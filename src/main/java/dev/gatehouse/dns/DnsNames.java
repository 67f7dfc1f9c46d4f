// Turns the names callers give (any case, optional trailing dot, maybe Unicode) into DNS wire names, or refuses them.
package dev.gatehouse.dns;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.xbill.DNS.Name;

/**
 * Names reach the resolver from hostile places: SPF macro expansion copies a sender's local part into the name,
 * a From: domain may be Unicode. dnsjava's text parser would read backslashes as escapes and a dot as a label
 * separator wherever it appears, so names are built here label by label from octets instead: a name is split on
 * dots only, each label is sent exactly as given (Unicode labels converted to their xn-- form), and a name that
 * cannot exist in the DNS (empty label, label over 63 octets, name over 253) is refused before any query.
 */
final class DnsNames {
    static final int MAX_NAME = 253;
    static final int MAX_LABEL = 63;

    private DnsNames() {}

    /** The wire name for {@code text}, or empty when no such name can exist. */
    static Optional<Name> parse(String text) {
        if (text == null) return Optional.empty();
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty() || name.length() > MAX_NAME) return Optional.empty();
        ByteArrayOutputStream wire = new ByteArrayOutputStream(name.length() + 2);
        int textLength = -1;
        for (String label : name.split("\\.", -1)) {
            Optional<byte[]> octets = octets(label);
            if (octets.isEmpty()) return Optional.empty();
            byte[] bytes = octets.get();
            textLength += bytes.length + 1;
            if (textLength > MAX_NAME) return Optional.empty();
            wire.write(bytes.length);
            wire.writeBytes(bytes);
        }
        wire.write(0);
        try {
            return Optional.of(new Name(wire.toByteArray()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<byte[]> octets(String label) {
        String ascii = label;
        if (!label.chars().allMatch(c -> c < 0x80)) {
            try {
                ascii = IDN.toASCII(label, IDN.ALLOW_UNASSIGNED);
                // IDNA 2003 maps some letters to others (straße -> strasse, final sigma -> sigma) where IDNA2008, and
                // every caller's own conversion (dev.gatehouse.mail.DomainNames), keep them: that would ask about
                // another registrant's name. Only a label that converts back to itself is asked about.
                if (!IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED).equalsIgnoreCase(label)) return Optional.empty();
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        byte[] bytes = ascii.getBytes(StandardCharsets.ISO_8859_1);
        return bytes.length == 0 || bytes.length > MAX_LABEL ? Optional.empty() : Optional.of(bytes);
    }

    /** A name as callers see it: no trailing dot; octets that are not plain text shown escaped (\DDD). */
    static String text(Name name) {
        return name.toString(true);
    }
}
