// A tenant's copy of a stored message: its own stamp fields inserted below the gateway's trace fields.
package dev.gatehouse.mail;

import java.nio.charset.StandardCharsets;

/**
 * Builds one tenant's copy of a stored message: the tenant's own stamp fields (AuthAs, directionality,
 * CrossTenant-*, …) go right below the gateway's trace fields, so the copy reads as Exchange's do —
 * {@code Received:} on top, then the network message id, then the organization headers — whatever the
 * order the stored content and the stamp were produced in.
 */
public final class TenantCopy {

    /** The field that carries the network message id, right below the gateway's {@code Received} field. */
    public static final String NETWORK_MESSAGE_ID = "X-MS-Exchange-Organization-Network-Message-Id";

    private TenantCopy() {}

    /** The stored content with {@code stamp} (CRLF-terminated fields; null or empty for none) inserted. */
    public static byte[] assemble(String stamp, byte[] content) {
        if (stamp == null || stamp.isEmpty()) return content;
        byte[] head = stamp.getBytes(StandardCharsets.UTF_8);
        int at = afterTraceFields(content);
        byte[] all = new byte[content.length + head.length];
        System.arraycopy(content, 0, all, 0, at);
        System.arraycopy(head, 0, all, at, head.length);
        System.arraycopy(content, at, all, at + head.length, content.length - at);
        return all;
    }

    /** Offset just past the leading {@code Received:} field and the network-message-id field, if present. */
    static int afterTraceFields(byte[] content) {
        int pos = 0;
        if (startsWithField(content, pos, "Received")) pos = fieldEnd(content, pos);
        if (startsWithField(content, pos, NETWORK_MESSAGE_ID)) pos = fieldEnd(content, pos);
        return pos;
    }

    private static boolean startsWithField(byte[] c, int pos, String name) {
        if (pos + name.length() + 1 > c.length) return false;
        for (int i = 0; i < name.length(); i++) {
            if (Character.toLowerCase((char) c[pos + i]) != Character.toLowerCase(name.charAt(i))) return false;
        }
        return c[pos + name.length()] == ':';
    }

    /** End of the field starting at {@code pos}, folded continuation lines included. */
    private static int fieldEnd(byte[] c, int pos) {
        int i = pos;
        while (true) {
            while (i < c.length && c[i] != '\n') i++;
            if (i >= c.length) return c.length;
            i++;
            if (i >= c.length || (c[i] != ' ' && c[i] != '\t')) return i;
        }
    }
}
