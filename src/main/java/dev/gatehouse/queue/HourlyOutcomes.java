// The home page's count per hour: a tenant's copies that came in over SMTP, per outcome now; kept once none is queued.
package dev.gatehouse.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.store.WriteContext;

/**
 * {@link MessageTrace#outcomesPerDay}'s count, per hour. A copy's outcome is read from its recipient row as it is now,
 * and the only row that still changes is a queued one (Pending or AwaitingRelay: delivery or the relay makes it
 * Delivered or Failed); every other status is final (a quarantine release adds a new copy, which is not counted, and
 * leaves the quarantined one as it is). So an hour is settled once none of its copies is queued.
 */
final class HourlyOutcomes implements HourlyKind<HourlyOutcomes.Hour> {
    static final HourlyOutcomes KIND = new HourlyOutcomes();

    /** How many of the hour's copies have one outcome; outcome "" with 0 copies is a kept empty hour. */
    record Hour(long hour, String outcome, long copies) implements HourlyKind.Row {
        @Override public boolean counted() { return copies > 0; }
    }

    private HourlyOutcomes() {}

    @Override public String name() { return "outcomes"; }

    @Override
    public List<Hour> count(Connection c, long tenantId, long start, long end) throws SQLException {
        List<Hour> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT m.received_at / " + KeptHours.HOUR + ", " + CopyOutcome.SQL + ", COUNT(*)"
                + MessageTrace.windowCopies("r.inbound_connector IS NOT NULL") + " GROUP BY 1, 2")) {
            MessageTrace.bindWindow(ps, tenantId, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Hour(rs.getLong(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return out;
    }

    @Override
    public List<Hour> kept(Connection c, long tenantId, long fromHour, long toHour) throws SQLException {
        List<Hour> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT hour, outcome, copies FROM hourly_outcomes WHERE tenant_id = ?"
                + " AND hour >= ? AND hour < ?" + KeptHours.ABOVE_HORIZON)) {
            ps.setLong(1, tenantId);
            ps.setLong(2, fromHour);
            ps.setLong(3, toHour);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Hour(rs.getLong(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return out;
    }

    @Override
    public boolean settled(List<Hour> rows) {
        return rows.stream().noneMatch(r -> r.outcome().equals(CopyOutcome.Pending.name()));
    }

    @Override
    public void keep(WriteContext ctx, long tenantId, long hour, List<Hour> rows) throws SQLException {
        PreparedStatement ps = ctx.prepare("INSERT INTO hourly_outcomes (tenant_id, hour, outcome, copies) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING");
        for (Hour r : rows.isEmpty() ? List.of(new Hour(hour, "", 0)) : rows) {
            ps.setLong(1, tenantId);
            ps.setLong(2, hour);
            ps.setString(3, r.outcome());
            ps.setLong(4, r.copies());
            ps.addBatch();
        }
        ps.executeBatch();
    }

    @Override
    public int forgetBefore(WriteContext ctx, long hour) throws SQLException {
        PreparedStatement ps = ctx.prepare("DELETE FROM hourly_outcomes WHERE hour < ?");
        ps.setLong(1, hour);
        return ps.executeUpdate();
    }
}
