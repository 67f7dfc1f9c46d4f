// Writes quarantined copies inside the enqueue transaction.
package dev.gatehouse.quarantine;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import dev.gatehouse.store.WriteContext;

/**
 * One row per quarantined recipient, holding its own bytes so that purging it really removes it. The
 * identity is {@code GUID1\GUID2} (spec §6): GUID1 is the message's network message id, shared by the
 * copies of one message; GUID2 is new per copy. The subject is also kept lower-cased ({@link #subjectKey}), in the
 * receive-time index, so that the Subject filter reads the index instead of every copy (V015).
 */
public final class QuarantineStore {
    /** Spec §6: transport-rule quarantine keeps messages 30 days, not customizable. */
    public static final Duration RETENTION = Duration.ofDays(30);

    /** The longest subject key, in UTF-8 bytes: with the index's other columns, under PostgreSQL's B-tree entry limit. */
    static final int SUBJECT_KEY_BYTES = 2400;

    private QuarantineStore() {}

    /**
     * What the Subject filter compares with: the subject lower-cased in every script ({@link Locale#ROOT}), or null
     * when there is none or its key would not fit in {@value #SUBJECT_KEY_BYTES} bytes (the filter then reads the
     * subject itself). Public for the loaders that write the table as the gateway does (bench/WebPagesScale.java).
     */
    public static String subjectKey(String subject) {
        if (subject == null) return null;
        String key = subject.toLowerCase(Locale.ROOT);
        return key.getBytes(StandardCharsets.UTF_8).length <= SUBJECT_KEY_BYTES ? key : null;
    }

    public static String insert(WriteContext ctx, long messageRowId, QuarantinedCopy c) throws SQLException {
        String guid2 = UUID.randomUUID().toString();
        PreparedStatement ps = ctx.prepare("INSERT INTO quarantine (tenant_id, message_guid, recipient_guid, message_row_id, recipient_address,"
                + " mailbox_id, sender_address, subject, internet_message_id, size, received_at, expires_at, policy_type, policy_name,"
                + " policy_id, quarantine_type, release_status, released_users, content, subject_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'NotReleased', '', ?, ?)");
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
        ps.setString(18, subjectKey(c.subject()));
        ps.executeUpdate();
        return c.networkMessageId() + "\\" + guid2;
    }
}
