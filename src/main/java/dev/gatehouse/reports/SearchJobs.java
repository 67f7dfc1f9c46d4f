// The historical_searches table: the reports package is its one owner.
package dev.gatehouse.reports;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.gatehouse.reports.HistoricalSearch.State;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.WriteContext;

/**
 * Jobs are claimed with a lease ({@code claim_owner}, {@code lease_until}) as delivery claims recipients: a
 * worker that stops (a restart, a crash) leaves an InProgress job whose lease runs out, and the next claim
 * takes it up from the start; the same node takes its own jobs back at once when it starts again.
 */
final class SearchJobs {
    private static final String COLUMNS = "job_id, tenant_id, submitted_at, submitted_by, report_title, report_type, start_date,"
            + " end_date, direction, connector_type, delivery_status, tls_used, sender_addresses, recipient_addresses, message_ids,"
            + " original_client_ip, transport_rules, notify_addresses, compress_file, status, rows_written, progress, file_name,"
            + " status_description, completed_at, attempts, id";

    /** A stored job: its request, its state and how many times it was claimed. */
    record Job(long rowId, String jobId, SearchRequest request, Instant submittedAt, String submittedBy, State state, long rows,
               int progress, String fileName, String description, Instant completedAt, int attempts) {}

    private final Store store;

    SearchJobs(Store store) { this.store = store; }

    void insert(String jobId, SearchRequest r, Instant at, String by) {
        store.writeAndWait(ctx -> {
            PreparedStatement ps = ctx.prepare("INSERT INTO historical_searches (job_id, tenant_id, submitted_at, submitted_by,"
                    + " report_title, report_type, start_date, end_date, direction, connector_type, delivery_status, tls_used,"
                    + " sender_addresses, recipient_addresses, message_ids, original_client_ip, transport_rules, notify_addresses,"
                    + " compress_file, status, rows_written, progress, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, 0, 0, 0)");
            int i = 1;
            ps.setString(i++, jobId);
            ps.setLong(i++, r.tenantId());
            ps.setLong(i++, at.toEpochMilli());
            ps.setString(i++, by);
            ps.setString(i++, r.title());
            ps.setString(i++, r.type().name());
            ps.setLong(i++, r.start().toEpochMilli());
            ps.setLong(i++, r.end().toEpochMilli());
            ps.setString(i++, r.direction());
            ps.setString(i++, r.connectorType());
            ps.setString(i++, r.deliveryStatus());
            ps.setString(i++, r.tlsUsed());
            ps.setString(i++, lines(r.senders()));
            ps.setString(i++, lines(r.recipients()));
            ps.setString(i++, lines(r.messageIds()));
            ps.setString(i++, r.originalClientIp());
            ps.setString(i++, lines(r.transportRules()));
            ps.setString(i++, lines(r.notifyAddresses()));
            ps.setBoolean(i++, r.compress());
            ps.setString(i, State.NotStarted.name());
            ps.executeUpdate();
            return null;
        });
    }

    /** How many searches the tenant submitted since {@code since} (cancelled ones count, as in Exchange). */
    int submittedSince(long tenantId, Instant since) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM historical_searches WHERE tenant_id = ? AND submitted_at >= ?")) {
                ps.setLong(1, tenantId);
                ps.setLong(2, since.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** The tenant's jobs submitted since {@code since}, newest first; or the one with {@code jobId}. */
    List<Job> list(long tenantId, Instant since, String jobId) {
        return store.read(c -> {
            String sql = "SELECT " + COLUMNS + " FROM historical_searches WHERE tenant_id = ? AND "
                    + (jobId == null ? "submitted_at >= ?" : "job_id = ?") + " ORDER BY submitted_at DESC, id DESC";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, tenantId);
                if (jobId == null) ps.setLong(2, since.toEpochMilli());
                else ps.setString(2, jobId);
                return jobs(ps);
            }
        });
    }

    /** NotStarted → Cancelled; false when the job is in another state (or another tenant's). */
    boolean cancel(long tenantId, String jobId, Instant at) {
        return store.writeAndWait(ctx -> {
            PreparedStatement ps = ctx.prepare("UPDATE historical_searches SET status = ?, completed_at = ?, status_description = ?"
                    + " WHERE tenant_id = ? AND job_id = ? AND status = ?");
            ps.setString(1, State.Cancelled.name());
            ps.setLong(2, at.toEpochMilli());
            ps.setString(3, "Cancelled by Stop-HistoricalSearch before it started.");
            ps.setLong(4, tenantId);
            ps.setString(5, jobId);
            ps.setString(6, State.NotStarted.name());
            return ps.executeUpdate() == 1;
        });
    }

    /**
     * Claims the oldest job that is NotStarted, or InProgress with an expired lease or this owner's (its own
     * job from before a restart); null when there is none.
     */
    Job claim(String owner, Instant now, Instant leaseUntil, boolean ownOnes) {
        Job candidate = store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM historical_searches WHERE status = ?"
                    + " OR (status = ? AND (lease_until < ?" + (ownOnes ? " OR claim_owner = ?" : "") + ")) ORDER BY submitted_at, id LIMIT 1")) {
                ps.setString(1, State.NotStarted.name());
                ps.setString(2, State.InProgress.name());
                ps.setLong(3, now.toEpochMilli());
                if (ownOnes) ps.setString(4, owner);
                List<Job> found = jobs(ps);
                return found.isEmpty() ? null : found.getFirst();
            }
        });
        if (candidate == null) return null;
        boolean won = store.writeAndWait(ctx -> {
            PreparedStatement ps = ctx.prepare("UPDATE historical_searches SET status = ?, claim_owner = ?, lease_until = ?,"
                    + " attempts = attempts + 1, rows_written = 0, progress = 0, status_description = NULL"
                    + " WHERE id = ? AND status = ? AND attempts = ?");
            ps.setString(1, State.InProgress.name());
            ps.setString(2, owner);
            ps.setLong(3, leaseUntil.toEpochMilli());
            ps.setLong(4, candidate.rowId());
            ps.setString(5, candidate.state().name());
            ps.setInt(6, candidate.attempts());
            return ps.executeUpdate() == 1;
        });
        return won ? new Job(candidate.rowId(), candidate.jobId(), candidate.request(), candidate.submittedAt(), candidate.submittedBy(),
                State.InProgress, 0, 0, null, null, null, candidate.attempts() + 1) : claim(owner, now, leaseUntil, ownOnes);
    }

    /** Progress of a claimed job, renewing its lease; false when the lease was lost. */
    boolean progress(long rowId, String owner, long rows, int progress, Instant leaseUntil) {
        return store.writeAndWait(ctx -> {
            PreparedStatement ps = ctx.prepare("UPDATE historical_searches SET rows_written = ?, progress = ?, lease_until = ?"
                    + " WHERE id = ? AND claim_owner = ? AND status = ?");
            ps.setLong(1, rows);
            ps.setInt(2, progress);
            ps.setLong(3, leaseUntil.toEpochMilli());
            ps.setLong(4, rowId);
            ps.setString(5, owner);
            ps.setString(6, State.InProgress.name());
            return ps.executeUpdate() == 1;
        });
    }

    /** Done or Failed; false when the lease was lost meanwhile. */
    boolean finish(long rowId, String owner, State state, long rows, String fileName, String description, Instant at) {
        return store.writeAndWait(ctx -> finish(ctx, rowId, owner, state, rows, fileName, description, at));
    }

    static boolean finish(WriteContext ctx, long rowId, String owner, State state, long rows, String fileName, String description,
                          Instant at) throws SQLException {
        PreparedStatement ps = ctx.prepare("UPDATE historical_searches SET status = ?, rows_written = ?, progress = ?, file_name = ?,"
                + " status_description = ?, completed_at = ?, claim_owner = NULL, lease_until = NULL"
                + " WHERE id = ? AND claim_owner = ? AND status = ?");
        ps.setString(1, state.name());
        ps.setLong(2, rows);
        ps.setInt(3, state == State.Done ? 100 : 0);
        ps.setString(4, fileName);
        ps.setString(5, description);
        ps.setLong(6, at.toEpochMilli());
        ps.setLong(7, rowId);
        ps.setString(8, owner);
        ps.setString(9, State.InProgress.name());
        return ps.executeUpdate() == 1;
    }

    /** Deletes jobs submitted before {@code before}; returns their report files' names, to delete too. */
    List<String> purgeOlderThan(Instant before) {
        return store.writeAndWait(ctx -> {
            List<String> files = new ArrayList<>();
            PreparedStatement q = ctx.prepare("SELECT file_name FROM historical_searches WHERE submitted_at < ? AND file_name IS NOT NULL");
            q.setLong(1, before.toEpochMilli());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) files.add(rs.getString(1));
            }
            PreparedStatement d = ctx.prepare("DELETE FROM historical_searches WHERE submitted_at < ? AND status <> ?");
            d.setLong(1, before.toEpochMilli());
            d.setString(2, State.InProgress.name());
            d.executeUpdate();
            return files;
        });
    }

    private static List<Job> jobs(PreparedStatement ps) throws SQLException {
        List<Job> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                SearchRequest r = new SearchRequest(rs.getLong(2), rs.getString(5), ReportType.valueOf(rs.getString(6)),
                        Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)), rs.getString(9), rs.getString(10),
                        rs.getString(11), rs.getString(12), list(rs.getString(13)), list(rs.getString(14)), list(rs.getString(15)),
                        rs.getString(16), list(rs.getString(17)), list(rs.getString(18)), rs.getBoolean(19));
                long completed = rs.getLong(25);
                Instant completedAt = rs.wasNull() ? null : Instant.ofEpochMilli(completed);
                out.add(new Job(rs.getLong(27), rs.getString(1), r, Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                        State.valueOf(rs.getString(20)), rs.getLong(21), rs.getInt(22), rs.getString(23), rs.getString(24), completedAt,
                        rs.getInt(26)));
            }
        }
        return out;
    }

    private static String lines(List<String> values) { return values.isEmpty() ? null : String.join("\n", values); }

    private static List<String> list(String lines) {
        return lines == null || lines.isEmpty() ? List.of() : Arrays.stream(lines.split("\n")).toList();
    }

}
