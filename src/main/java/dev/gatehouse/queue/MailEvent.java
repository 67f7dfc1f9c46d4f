// One step in the life of one recipient's copy, with the facts of its message: the event model trace, reports and
// hunting read.
package dev.gatehouse.queue;

import java.time.Instant;

/**
 * The step ({@code event}, {@code detail}, {@code at}) is the append-only row written in the same transaction as
 * the step itself; {@code copy} carries what that row doesn't repeat: the message's network and internet message
 * ids, MAIL FROM (P1) and header From (P2), client IP and HELO, TLS version and cipher, size and subject, and the
 * copy's recipient, inbound connector, directionality and current status. They are stored once per message and
 * per copy, and joined here, so nothing is duplicated and the events written before this model are read the same way.
 */
public record MailEvent(TraceRow copy, TraceEventType event, String detail, Instant at) {}
