// Test helper: builds IncomingMessages and counts rows.
package dev.gatehouse.queue;

import dev.gatehouse.store.Store;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

public final class TestMessages {
    private TestMessages() {}

    public static IncomingMessage message(List<QueuedRecipient> recipients) {
        return message(Instant.now(), recipients);
    }

    public static IncomingMessage message(Instant receivedAt, List<QueuedRecipient> recipients) {
        return message(receivedAt, "sender@example.net", recipients);
    }

    /** @param mailFrom the reverse-path ("" for a null sender, as bounces have) */
    public static IncomingMessage message(Instant receivedAt, String mailFrom, List<QueuedRecipient> recipients) {
        String id = UUID.randomUUID().toString();
        byte[] content = ("Received: from test\r\nMessage-ID: <" + id + "@test>\r\nSubject: test " + id
                + "\r\n\r\nBody of " + id + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return new IncomingMessage(id, receivedAt, mailFrom, "192.0.2.1", "client.example.net", "TLSv1.3",
                "TLS_AES_256_GCM_SHA384", "<" + id + "@test>", "test " + id, "sender@example.net", content, recipients);
    }

    public static long count(Store store, String sql) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
