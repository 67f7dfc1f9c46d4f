// The hosted quarantine of one tenant: list, preview, release, delete, export; and the purge of expired copies.
package dev.gatehouse.quarantine;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.gatehouse.directory.Recipients;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.store.Dialect;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.WriteContext;

/**
 * Spec §6, for transport-rule quarantine (admin-only). Every query is scoped by tenant id, so another
 * tenant's identity is simply not found. Release puts a new Pending recipient row (with the copy's bytes
 * plus the release stamps) into the queue; the delivery worker delivers it and the remaining rules are
 * never re-run, because rules run only at intake. Release is idempotent: an address already released to
 * is skipped unless {@code -Force}. Release, delete, export and purge each write an audit record (who,
 * when, what) in the same transaction as the change.
 */
public final class QuarantineService {
    /** Stamped on released copies: Exchange's released-from-quarantine verdict (spec §6, R13). */
    public static final String RELEASED_STAMP = "X-Forefront-Antispam-Report: SFV:SKQ;";
    /** Firewall-protected (intake strips it from incoming mail), so it can't be forged by a sender. */
    public static final String RELEASED_HEADER = "X-MS-Exchange-Organization-Quarantine-Released";
    static final Duration DEFAULT_LOOKBACK = Duration.ofDays(16);
    static final Duration MAX_LOOKBACK = Duration.ofDays(30);

    private final Store store;

    public QuarantineService(Store store) { this.store = store; }

    /** Get-QuarantineMessage filters; null means "not given". */
    public record Filter(String identity, Instant startReceived, Instant endReceived, Instant startExpires, Instant endExpires,
                         List<String> recipientAddress, List<String> senderAddress, String subject, String messageId,
                         String policyName, List<String> quarantineTypes, List<String> policyTypes, String releaseStatus,
                         List<String> recipientDomains, int page, int pageSize) {
        public static Filter all() {
            return new Filter(null, null, null, null, null, null, null, null, null, null, null, null, null, null, 1, 100);
        }
    }

    public record Preview(String Identity, Instant ReceivedTime, String SenderAddress, String RecipientAddress, String Subject,
                          String Headers, String Body, List<String> Attachments) {}

    public record Export(String Identity, String Eml, String BodyEncoding, long Size) {}

    public record AuditRecord(String Identity, String Action, String Actor, Instant Time, String Detail) {}

    public record ReleaseResult(String Identity, List<String> ReleasedTo, List<String> Skipped) {}

    public List<QuarantineMessage> list(long tenantId, Filter f) {
        List<Object> args = new ArrayList<>();
        String sql = listSql(store.dialect(), tenantId, f, Instant.now(), args);
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                List<QuarantineMessage> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) { while (rs.next()) out.add(view(rs)); }
                return out;
            }
        });
    }

    /** The statement of {@link #list} with its arguments appended to {@code args} (a test reads its query plan). */
    static String listSql(Dialect dialect, long tenantId, Filter f, Instant now, List<Object> args) {
        String where = where(tenantId, f, now, args);
        int size = Math.max(1, f.pageSize());
        long offset = (long) (Math.max(1, f.page()) - 1) * size;
        if (f.subject() != null) return bySubject(dialect, where, args, f.subject().toLowerCase(Locale.ROOT), size, offset);
        args.add(size);
        args.add(offset);
        return "SELECT " + COLUMNS + " FROM quarantine" + where + NEWEST_FIRST + " LIMIT ? OFFSET ?";
    }

    private static final String NEWEST_FIRST = " ORDER BY received_at DESC, id DESC";

    /** The WHERE clause of {@link #list}: the tenant, the window (or the identity) and every filter but the subject. */
    private static String where(long tenantId, Filter f, Instant now, List<Object> args) {
        StringBuilder where = new StringBuilder(" WHERE tenant_id = ?");
        args.add(tenantId);
        if (f.identity() != null) {
            String[] id = split(f.identity());
            where.append(" AND message_guid = ? AND recipient_guid = ?");
            args.add(id[0]);
            args.add(id[1]);
        } else {
            Instant oldest = now.minus(MAX_LOOKBACK);
            Instant start = f.startReceived() == null ? now.minus(DEFAULT_LOOKBACK) : f.startReceived().isBefore(oldest) ? oldest : f.startReceived();
            where.append(" AND received_at >= ?");
            args.add(start.toEpochMilli());
        }
        if (f.endReceived() != null) { where.append(" AND received_at <= ?"); args.add(f.endReceived().toEpochMilli()); }
        if (f.startExpires() != null) { where.append(" AND expires_at >= ?"); args.add(f.startExpires().toEpochMilli()); }
        if (f.endExpires() != null) { where.append(" AND expires_at <= ?"); args.add(f.endExpires().toEpochMilli()); }
        in(where, args, "LOWER(recipient_address)", f.recipientAddress());
        in(where, args, "LOWER(sender_address)", f.senderAddress());
        if (f.messageId() != null) { where.append(" AND internet_message_id = ?"); args.add(f.messageId()); }
        if (f.policyName() != null) { where.append(" AND LOWER(policy_name) = ?"); args.add(f.policyName().toLowerCase(Locale.ROOT)); }
        if (f.quarantineTypes() != null && !f.quarantineTypes().isEmpty()) in(where, args, "LOWER(quarantine_type)", f.quarantineTypes());
        if (f.policyTypes() != null && !f.policyTypes().isEmpty()) in(where, args, "LOWER(policy_type)", f.policyTypes());
        if (f.releaseStatus() != null) { where.append(" AND LOWER(release_status) = ?"); args.add(f.releaseStatus().toLowerCase(Locale.ROOT)); }
        if (f.recipientDomains() != null && !f.recipientDomains().isEmpty()) {
            where.append(" AND (");
            for (int i = 0; i < f.recipientDomains().size(); i++) {
                where.append(i == 0 ? "" : " OR ").append("LOWER(recipient_address) LIKE ? ESCAPE '\\'");
                args.add("%@" + literal(f.recipientDomains().get(i).strip()));
            }
            where.append(')');
        }
        return where.toString();
    }

    /**
     * One page of the copies whose subject contains {@code text} (lower-cased; no wildcards). The page's ids are found
     * first, newest first, in the two kinds of copy: those with a subject key, tested in the receive-time index alone
     * ({@code quarantine_received}: no copy is read that doesn't match), and those without one (a subject too long for
     * the key, or quarantined before V015), tested on the subject itself through the partial index that holds only
     * them. Each part stops after the page's last row; then the page's copies are read by id. PostgreSQL reads the
     * first part as an index-only scan.
     */
    private static String bySubject(Dialect dialect, String where, List<Object> args, String text, int size, long offset) {
        List<Object> filters = List.copyOf(args);
        args.clear();
        String keyed = "SELECT id, received_at FROM quarantine" + where + " AND " + dialect.contains("subject_key") + NEWEST_FIRST + " LIMIT ?";
        String unkeyed = "SELECT id, received_at FROM quarantine" + where + " AND subject_key IS NULL AND " + dialect.contains("LOWER(subject)")
                + NEWEST_FIRST + " LIMIT ?";
        for (int part = 0; part < 2; part++) {
            args.addAll(filters);
            args.add(text);
            args.add(offset + size);
        }
        args.add(size);
        args.add(offset);
        // the ids are the tenant's (both parts filter on it); read by key. A second tenant test here would let SQLite
        // answer the outer ORDER BY by walking every copy of the tenant in quarantine_received instead
        return "SELECT " + COLUMNS + " FROM quarantine WHERE id IN (SELECT id FROM (SELECT id, received_at FROM (" + keyed + ") keyed"
                + " UNION ALL SELECT id, received_at FROM (" + unkeyed + ") unkeyed) found" + NEWEST_FIRST + " LIMIT ? OFFSET ?)"
                + NEWEST_FIRST;
    }

    public QuarantineMessage get(long tenantId, String identity) {
        return store.read(c -> {
            Row r = require(c, tenantId, identity);
            return r.view;
        });
    }

    /** Headers, the text of the body and the attachment names; the content is only read, never rendered or run. */
    public Preview preview(long tenantId, String identity) {
        Row r = store.read(c -> require(c, tenantId, identity));
        PreviewReader.Parts p = PreviewReader.read(r.content);
        return new Preview(r.view.Identity(), r.view.ReceivedTime(), r.view.SenderAddress(), r.recipient, r.view.Subject(),
                p.headers(), p.text(), p.attachments());
    }

    public Export export(long tenantId, String identity, String actor, String reason) {
        return store.writeAndWait(ctx -> {
            Row r = require(ctx.connection(), tenantId, identity);
            audit(ctx, tenantId, r.view.Identity(), "Export", actor, reason == null ? null : "reason=" + reason);
            return new Export(r.view.Identity(), Base64.getEncoder().encodeToString(r.content), "Base64", r.content.length);
        });
    }

    /**
     * {@code -CompressOutput}: the export as Exchange packs it, a zip holding a folder named after the
     * first GUID of the identity with {@code <second GUID>.eml} in it; {@code Eml} is the zip in Base64.
     */
    public static Export compressed(Export e) {
        String[] ids = e.Identity().split("\\\\", 2);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(ids[0] + "/" + (ids.length > 1 ? ids[1] : ids[0]) + ".eml"));
            zip.write(Base64.getDecoder().decode(e.Eml()));
            zip.closeEntry();
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex); // in-memory streams don't fail
        }
        return new Export(e.Identity(), Base64.getEncoder().encodeToString(bytes.toByteArray()), "Base64", e.Size());
    }

    public void delete(long tenantId, String identity, String actor) {
        store.writeAndWait(ctx -> {
            Row r = require(ctx.connection(), tenantId, identity);
            PreparedStatement ps = ctx.prepare("DELETE FROM quarantine WHERE id = ?");
            ps.setLong(1, r.id);
            ps.executeUpdate();
            audit(ctx, tenantId, r.view.Identity(), "Delete", actor, null);
            return null;
        });
    }

    /**
     * Releases the copy to its original recipient ({@code users} null: -ReleaseToAll) or to the given
     * addresses, each of which must be a recipient of the tenant.
     */
    public ReleaseResult release(long tenantId, String identity, List<String> users, boolean force, String actor) {
        return store.writeAndWait(ctx -> {
            Connection c = ctx.connection();
            Row r = require(c, tenantId, identity);
            List<Recipients.Resolved> targets = new ArrayList<>();
            if (users == null) targets.add(new Recipients.Resolved(r.recipient, r.mailboxId));
            else for (String u : users) targets.add(resolve(c, tenantId, u));
            Set<String> already = new LinkedHashSet<>(r.view.ReleasedUser());
            List<String> released = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            List<QueuedRecipient> rows = new ArrayList<>();
            for (Recipients.Resolved t : targets) {
                if (released.contains(t.address()) || (!force && already.contains(t.address()))) { skipped.add(t.address()); continue; }
                rows.add(new QueuedRecipient(tenantId, t.address(), t.mailboxId()));
                released.add(t.address());
                already.add(t.address());
            }
            if (!rows.isEmpty()) {
                // the queue owns recipients: it adds the released copy as a variant and a Pending row per address
                MessageQueue.addRecipients(ctx, r.messageRowId, r.view.Identity().substring(0, 36), tenantId,
                        stamped(r.content, r.view.Identity(), actor), rows, TraceEventType.Release,
                        "Message released from quarantine by " + actor, Instant.now());
            }
            if (!released.isEmpty()) {
                PreparedStatement up = ctx.prepare("UPDATE quarantine SET release_status = 'Released', released_users = ? WHERE id = ?");
                up.setString(1, String.join(",", already));
                up.setLong(2, r.id);
                up.executeUpdate();
            }
            audit(ctx, tenantId, r.view.Identity(), "Release", actor, "released=" + String.join(",", released)
                    + (skipped.isEmpty() ? "" : "; skipped (already released)=" + String.join(",", skipped)) + (force ? "; force" : ""));
            return new ReleaseResult(r.view.Identity(), released, skipped);
        });
    }

    /** Deletes expired copies (they can't be recovered afterwards); returns how many. */
    public int purgeExpired(Instant now) {
        return store.writeAndWait(ctx -> {
            List<long[]> expired = new ArrayList<>();
            List<String> identities = new ArrayList<>();
            PreparedStatement sel = ctx.prepare("SELECT id, tenant_id, message_guid, recipient_guid, message_row_id FROM quarantine WHERE expires_at <= ?");
            sel.setLong(1, now.toEpochMilli());
            try (ResultSet rs = sel.executeQuery()) {
                while (rs.next()) {
                    expired.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(5)});
                    identities.add(rs.getString(3) + "\\" + rs.getString(4));
                }
            }
            for (int i = 0; i < expired.size(); i++) {
                long[] e = expired.get(i);
                PreparedStatement del = ctx.prepare("DELETE FROM quarantine WHERE id = ?");
                del.setLong(1, e[0]);
                del.executeUpdate();
                // the queue's copy of a message nobody can receive any more goes too (the queue decides what it still needs)
                PreparedStatement others = ctx.prepare("SELECT 1 FROM quarantine WHERE message_row_id = ?");
                others.setLong(1, e[2]);
                boolean stillHeld;
                try (ResultSet rs = others.executeQuery()) { stillHeld = rs.next(); }
                if (!stillHeld) MessageQueue.dropContentIfUnneeded(ctx, e[2]);
                audit(ctx, e[1], identities.get(i), "Purge", "system", "expired");
            }
            return expired.size();
        });
    }

    public List<AuditRecord> audit(long tenantId) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT identity, action, actor, at, detail FROM quarantine_audit WHERE tenant_id = ? ORDER BY at, id")) {
                ps.setLong(1, tenantId);
                List<AuditRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new AuditRecord(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5)));
                }
                return out;
            }
        });
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static final String COLUMNS = "id, message_guid, recipient_guid, received_at, sender_address, recipient_address, subject, size,"
            + " policy_type, policy_name, expires_at, release_status, quarantine_type, internet_message_id, released_users,"
            + " message_row_id, mailbox_id";

    private record Row(long id, QuarantineMessage view, String recipient, Long mailboxId, long messageRowId, byte[] content) {}

    private static Row require(Connection c, long tenantId, String identity) throws SQLException {
        String[] id = split(identity);
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", content FROM quarantine WHERE tenant_id = ? AND message_guid = ? AND recipient_guid = ?")) {
            ps.setLong(1, tenantId);
            ps.setString(2, id[0]);
            ps.setString(3, id[1]);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new NotFoundException("The quarantined message '" + identity + "' couldn't be found.");
                long mb = rs.getLong(17);
                Long mailbox = rs.wasNull() ? null : mb;
                return new Row(rs.getLong(1), view(rs), rs.getString(6), mailbox, rs.getLong(16), rs.getBytes(18));
            }
        }
    }

    private static QuarantineMessage view(ResultSet rs) throws SQLException {
        String released = rs.getString(15);
        List<String> releasedUsers = released == null || released.isEmpty() ? List.of() : Arrays.asList(released.split(","));
        String status = rs.getString(12);
        return new QuarantineMessage(rs.getString(2) + "\\" + rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5),
                List.of(rs.getString(6)), rs.getString(7), rs.getLong(8), "Transport rule", rs.getString(9), rs.getString(10),
                Instant.ofEpochMilli(rs.getLong(11)), "Released".equals(status), status.toUpperCase(Locale.ROOT),
                List.of(rs.getString(13)), rs.getString(14), 1, false, "Inbound", List.of(), releasedUsers, false, null);
    }

    static String[] split(String identity) {
        if (identity != null) {
            int slash = identity.indexOf('\\');
            if (slash > 0 && identity.indexOf('\\', slash + 1) < 0) {
                String a = identity.substring(0, slash).strip().toLowerCase(Locale.ROOT);
                String b = identity.substring(slash + 1).strip().toLowerCase(Locale.ROOT);
                if (a.length() == 36 && b.length() == 36) return new String[] {a, b};
            }
        }
        throw new ValidationException("-Identity '" + identity + "': a quarantine identity is written GUID\\GUID");
    }

    /** The user must be a recipient of this tenant (a mailbox, or an address in an InternalRelay domain). */
    private static Recipients.Resolved resolve(Connection c, long tenantId, String user) throws SQLException {
        Recipients.Resolved r = Recipients.resolve(c, tenantId, user);
        if (r == null) {
            throw new ValidationException("-User '" + user + "': a quarantined message can be released only to recipients of your organization");
        }
        return r;
    }

    private static byte[] stamped(byte[] content, String identity, String actor) {
        String head = RELEASED_STAMP + "\r\n" + RELEASED_HEADER + ": " + identity + "; by=" + actor.replaceAll("[\\r\\n]", " ") + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[h.length + content.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(content, 0, out, h.length, content.length);
        return out;
    }

    private static void audit(WriteContext ctx, long tenantId, String identity, String action, String actor, String detail) throws SQLException {
        PreparedStatement ps = ctx.prepare("INSERT INTO quarantine_audit (tenant_id, identity, action, actor, detail, at) VALUES (?, ?, ?, ?, ?, ?)");
        ps.setLong(1, tenantId);
        ps.setString(2, identity);
        ps.setString(3, action);
        ps.setString(4, actor);
        ps.setString(5, detail);
        ps.setLong(6, System.currentTimeMillis());
        ps.executeUpdate();
    }

    /** Lower-case text for a LIKE pattern, its wildcards taken literally (the filters search for text, not patterns). */
    private static String literal(String text) {
        return text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static void in(StringBuilder where, List<Object> args, String column, List<String> values) {
        if (values == null || values.isEmpty()) return;
        where.append(" AND ").append(column).append(" IN (").append(String.join(", ", java.util.Collections.nCopies(values.size(), "?"))).append(')');
        for (String v : values) args.add(v.toLowerCase(Locale.ROOT));
    }

    static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Long l) ps.setLong(i + 1, l);
            else if (a instanceof Integer n) ps.setInt(i + 1, n);
            else ps.setString(i + 1, (String) a);
        }
    }
}
