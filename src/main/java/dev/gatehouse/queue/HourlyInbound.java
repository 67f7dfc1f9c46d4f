// The inbound messages report's count per hour: a tenant's messages per connector and TLS protocol; final once closed.
package dev.gatehouse.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.store.WriteContext;

/**
 * {@link MessageTrace#inboundVolume}'s count, per hour. It reads only what the accept path wrote and nothing changes
 * afterwards (the connector, the TLS protocol, the receive time); a release's copies have no connector and are not
 * counted. So a closed hour is settled; only trace retention can still take messages away, which the horizon covers.
 * A message is in exactly one hour, so the hours' counts of distinct messages add up to any longer period's.
 */
final class HourlyInbound implements HourlyKind<HourlyInbound.Hour> {
    static final HourlyInbound KIND = new HourlyInbound();

    /**
     * The hour's messages through one connector ("" = none) over one TLS protocol (null = none). A kept empty hour has
     * one row with 0 messages.
     */
    record Hour(long hour, String connector, String tlsProtocol, long messages) implements HourlyKind.Row {
        @Override public boolean counted() { return messages > 0; }
    }

    private HourlyInbound() {}

    @Override public String name() { return "inbound"; }

    @Override
    public List<Hour> count(Connection c, long tenantId, long start, long end) throws SQLException {
        List<Hour> out = new ArrayList<>();
        for (MessageTrace.InboundVolume v : MessageTrace.inboundVolume(c, tenantId, start, end, KeptHours.HOUR)) {
            out.add(new Hour(v.periodStart().toEpochMilli() / KeptHours.HOUR, v.connector(), v.tlsProtocol(), v.messages()));
        }
        return out;
    }

    @Override
    public List<Hour> kept(Connection c, long tenantId, long fromHour, long toHour) throws SQLException {
        List<Hour> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT hour, connector, tls_protocol, messages FROM hourly_inbound"
                + " WHERE tenant_id = ? AND hour >= ? AND hour < ?" + KeptHours.ABOVE_HORIZON)) {
            ps.setLong(1, tenantId);
            ps.setLong(2, fromHour);
            ps.setLong(3, toHour);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String tls = rs.getString(3);
                    out.add(new Hour(rs.getLong(1), rs.getString(2), tls.isEmpty() ? null : tls, rs.getLong(4)));
                }
            }
        }
        return out;
    }

    @Override public boolean settled(List<Hour> rows) { return true; }

    @Override
    public void keep(WriteContext ctx, long tenantId, long hour, List<Hour> rows) throws SQLException {
        PreparedStatement ps = ctx.prepare("INSERT INTO hourly_inbound (tenant_id, hour, connector, tls_protocol, messages)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
        for (Hour r : rows.isEmpty() ? List.of(new Hour(hour, "", null, 0)) : rows) {
            ps.setLong(1, tenantId);
            ps.setLong(2, hour);
            ps.setString(3, r.connector());
            ps.setString(4, r.tlsProtocol() == null ? "" : r.tlsProtocol());
            ps.setLong(5, r.messages());
            ps.addBatch();
        }
        ps.executeBatch();
    }

    @Override
    public int forgetBefore(WriteContext ctx, long hour) throws SQLException {
        PreparedStatement ps = ctx.prepare("DELETE FROM hourly_inbound WHERE hour < ?");
        ps.setLong(1, hour);
        return ps.executeUpdate();
    }
}
