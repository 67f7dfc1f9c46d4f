// Writes quarantined copies inside the enqueue transaction.
package dev.gatehouse.quarantine;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import dev.gatehouse.store.WriteContext;

/**
 * One row per quarantined recipient, holding its own bytes so that purging it really removes it. The
 * identity is {@code GUID1\GUID2} (spec §6): GUID1 is the message's network message id, shared by the
 * copies of one message; GUID2 is new per copy.
 */
public final class QuarantineStore {
    /** Spec §6: transport-rule quarantine keeps messages 30 days, not customizable. */
    public static final Duration RETENTION = Duration.ofDays(30);

    private QuarantineStore() {}

    public static String insert(WriteContext ctx, long messageRowId, QuarantinedCopy c) throws SQLException {
        String guid2 = UUID.randomUUID().toString();
        PreparedStatement ps = ctx.prepare("INSERT INTO quarantine (tenant_id, message_guid, recipient_guid, message_row_id, recipient_address,"
                + " mailbox_id, sender_address, subject, internet_message_id, size, received_at, expires_at, policy_type, policy_name,"
                + " policy_id, quarantine_type, release_status, released_users, content)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'NotReleased', '', ?)");
        ps.setLong(1, c.tenantId());
        ps.setString(2, c.networkMessageId());
        ps.setString(3, guid2);
        ps.setLong(4, messageRowId);
        ps.setString(5, c.recipientAddress());
        if (c.mailboxId() == null) ps.setNull(6, java.sql.Types.BIGINT);
        else ps.setLong(6, c.mailboxId());
        ps.setString(7, c.senderAddress() == null ? "" : c.senderAddress());
        ps.setString(8, c.subject());
        ps.setString(9, c.internetMessageId());
        ps.setLong(10, c.content().length);
        ps.setLong(11, c.receivedAt().toEpochMilli());
        ps.setLong(12, c.receivedAt().plus(RETENTION).toEpochMilli());
        ps.setString(13, c.policyType());
        ps.setString(14, c.policyName());
        ps.setString(15, c.policyId());
        ps.setString(16, c.quarantineType());
        ps.setBytes(17, c.content());
        ps.executeUpdate();
        return c.networkMessageId() + "\\" + guid2;
    }
}
