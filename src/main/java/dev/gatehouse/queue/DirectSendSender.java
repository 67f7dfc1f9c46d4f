// A tenant's Direct Send copies from one client IP and MAIL FROM within one UTC hour, summed for the readiness report.
package dev.gatehouse.queue;

import java.time.Instant;

/**
 * What the Direct Send readiness report needs of one (hour, client IP, MAIL FROM): its messages and copies, the
 * first and last receive time, and its first copy (by receive time, then recipient row id), whose recipient is the
 * report's sample. Sums of several hours add up: a message is in one hour and has one client IP and one MAIL FROM.
 *
 * @param hour            the UTC hour ({@code received_at / 3600000})
 * @param firstCopyId     the recipient row id of the first copy, which orders two senders first seen in the same millisecond
 * @param sampleRecipient the first copy's recipient
 */
public record DirectSendSender(long hour, String clientIp, String mailFrom, long messages, long copies, Instant firstSeen,
                               Instant lastSeen, long firstCopyId, String sampleRecipient) implements HourlyKind.Row {

    /** False only for a kept empty hour's placeholder, which a reader never sees. */
    @Override public boolean counted() { return copies > 0; }
}
