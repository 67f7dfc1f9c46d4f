// What a message trace search asks the queue for: a time window, exact filters the store can index, a limit.
package dev.gatehouse.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One tenant's message trace query, already validated by the trace package (windows, sizes). The queue
 * turns the exact filters into SQL; {@code rowFilter} is applied in Java on each candidate row in order, for
 * what SQL can't say the same way on SQLite and PostgreSQL (wildcards, case-insensitive Unicode subject
 * matching). Rows come newest first, then by recipient address, so that {@code startingRecipient} together
 * with {@code end} taken from the last row of a page continues after it, as Exchange's
 * {@code -StartingRecipientAddress} does.
 *
 * @param start              inclusive
 * @param end                inclusive
 * @param senders            MAIL FROM addresses, compared ignoring ASCII case; empty = any
 * @param recipients         recipient addresses, compared ignoring ASCII case; empty = any
 * @param internetMessageIds Message-ID values with their angle brackets; empty = any
 * @param networkMessageId   the MessageTraceId, or null
 * @param clientIps          client IPs; empty = any
 * @param statuses           recipient statuses; empty = any
 * @param startingRecipient  with {@code end}: only rows after (end, startingRecipient) in the order above; or null
 * @param rowFilter          applied in Java to each candidate row, or null for none
 * @param offset             matching rows skipped first (a legacy -Page)
 * @param limit              at most this many rows after them
 */
public record TraceSearch(Instant start, Instant end, List<String> senders, List<String> recipients, List<String> internetMessageIds,
                          String networkMessageId, List<String> clientIps, List<RecipientStatus> statuses, String startingRecipient,
                          Predicate<TraceRow> rowFilter, int offset, int limit) {
    public TraceSearch {
        Objects.requireNonNull(start);
        Objects.requireNonNull(end);
        senders = List.copyOf(senders);
        recipients = List.copyOf(recipients);
        internetMessageIds = List.copyOf(internetMessageIds);
        clientIps = List.copyOf(clientIps);
        statuses = List.copyOf(statuses);
        if (limit < 1 || offset < 0) throw new IllegalArgumentException("offset " + offset + ", limit " + limit);
    }
}
