// The durable copy of what the feed read from each message's content, so a restart lists the same attachments and URLs.
package dev.gatehouse.hunting;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.store.Store;

/**
 * One row per message (network message id), written by the feed after it read the content and before it appends
 * the message's rows, read back when the content is gone. Several nodes may read the same message; the first
 * write wins and the others write the same facts ({@code ON CONFLICT DO NOTHING}).
 */
final class ContentFactsStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IN_CHUNK = 200;

    private final Store store;

    ContentFactsStore(Store store) { this.store = store; }

    /** The stored facts of those messages that have some. */
    Map<String, ContentFacts> get(Collection<String> networkMessageIds) {
        Map<String, ContentFacts> out = new HashMap<>();
        List<String> ids = List.copyOf(networkMessageIds);
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            store.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT network_message_id, facts FROM hunting_content WHERE network_message_id IN ("
                        + "?, ".repeat(part.size() - 1) + "?)")) {
                    for (int i = 0; i < part.size(); i++) ps.setString(i + 1, part.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) out.put(rs.getString(1), decode(rs.getString(2)));
                    }
                }
                return null;
            });
        }
        return out;
    }

    /** A message's facts to keep, with its receive time (for retention). */
    record Pending(String networkMessageId, Instant receivedAt, ContentFacts facts) {}

    /** Writes the facts in one transaction and waits for it to be durable. */
    void put(List<Pending> facts) {
        if (facts.isEmpty()) return;
        List<String> encoded = new ArrayList<>(facts.size());
        for (Pending p : facts) encoded.add(encode(p.facts()));
        store.writeAndWait(ctx -> {
            PreparedStatement ps = ctx.prepare("INSERT INTO hunting_content (network_message_id, received_at, facts) VALUES (?, ?, ?)"
                    + " ON CONFLICT (network_message_id) DO NOTHING");
            for (int i = 0; i < facts.size(); i++) {
                ps.setString(1, facts.get(i).networkMessageId());
                ps.setLong(2, facts.get(i).receivedAt().toEpochMilli());
                ps.setString(3, encoded.get(i));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Deletes the facts of messages received before {@code cutoff}; returns how many. */
    int purgeBefore(Instant cutoff) {
        return store.writeAndWait(ctx -> {
            PreparedStatement ps = ctx.prepare("DELETE FROM hunting_content WHERE received_at < ?");
            ps.setLong(1, cutoff.toEpochMilli());
            return ps.executeUpdate();
        });
    }

    static String encode(ContentFacts f) {
        try {
            return JSON.writeValueAsString(f);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("content facts are plain records", e);
        }
    }

    static ContentFacts decode(String json) {
        try {
            return JSON.readValue(json, ContentFacts.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable hunting_content row: " + e.getOriginalMessage(), e);
        }
    }
}
