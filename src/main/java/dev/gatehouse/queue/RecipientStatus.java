// Where a recipient of an accepted message stands: a closed set, stored by name.
package dev.gatehouse.queue;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@code Pending} waits for local delivery and {@code AwaitingRelay} for the relay agent; both still need
 * the message's bytes. The others are final as far as the queue is concerned: {@code Delivered},
 * {@code Failed} (refused by the next hop, expired, or rejected or deleted by a rule), {@code Quarantined}
 * (the quarantine keeps its own copy) and {@code Redirected} (a rule sent it elsewhere).
 */
public enum RecipientStatus {
    Pending, AwaitingRelay, Delivered, Failed, Quarantined, Redirected;

    /** The one "content still needed" test: a delivery agent will still read the message's bytes. */
    public boolean needsContent() { return this == Pending || this == AwaitingRelay; }

    /** {@code ('Pending', 'AwaitingRelay')}: the statuses that need content, as an SQL list. */
    static final String NEEDS_CONTENT_SQL = Arrays.stream(values()).filter(RecipientStatus::needsContent)
            .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ", "(", ")"));
}
