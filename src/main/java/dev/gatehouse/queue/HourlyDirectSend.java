// The Direct Send report's count per hour: a tenant's Direct Send copies per client IP and MAIL FROM; final once closed.
package dev.gatehouse.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.store.WriteContext;

/**
 * {@link MessageTrace#directSend}'s copies, summed per hour, client IP and MAIL FROM ({@link DirectSendSender}). Like the
 * inbound count it reads only what the accept path wrote (the Direct Send flag, the client IP, MAIL FROM, the receive
 * time), so a closed hour is settled.
 */
final class HourlyDirectSend implements HourlyKind<DirectSendSender> {
    static final HourlyDirectSend KIND = new HourlyDirectSend();

    private HourlyDirectSend() {}

    @Override public String name() { return "direct_send"; }

    /** The window's Direct Send copies in the order they came (receive time, recipient row id), summed as they are read. */
    @Override
    public List<DirectSendSender> count(Connection c, long tenantId, long start, long end) throws SQLException {
        Map<String, Sum> sums = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT m.id, m.client_ip, m.mail_from, m.received_at, r.address, r.id"
                + MessageTrace.windowCopies("r.direct_send = ?") + " ORDER BY m.received_at, r.id")) {
            ps.setBoolean(MessageTrace.bindWindow(ps, tenantId, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end)), true);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long at = rs.getLong(4);
                    String ip = rs.getString(2);
                    String from = rs.getString(3);
                    String recipient = rs.getString(5);
                    long copyId = rs.getLong(6);
                    long hour = at / KeptHours.HOUR;
                    sums.computeIfAbsent(hour + "\0" + ip + "\0" + from, k -> new Sum(hour, ip, from, at, copyId, recipient))
                            .add(rs.getLong(1), at);
                }
            }
        }
        return sums.values().stream().map(Sum::sender).toList();
    }

    /** One sender's copies of one hour while they are read. */
    private static final class Sum {
        final long hour;
        final String ip;
        final String from;
        final long firstAt;
        final long firstCopyId;
        final String sample;
        final Set<Long> messages = new HashSet<>();
        long copies;
        long lastAt;

        Sum(long hour, String ip, String from, long firstAt, long firstCopyId, String sample) {
            this.hour = hour;
            this.ip = ip;
            this.from = from;
            this.firstAt = firstAt;
            this.firstCopyId = firstCopyId;
            this.sample = sample;
        }

        void add(long messageId, long at) {
            messages.add(messageId);
            copies++;
            lastAt = at;
        }

        DirectSendSender sender() {
            return new DirectSendSender(hour, ip, from, messages.size(), copies, Instant.ofEpochMilli(firstAt), Instant.ofEpochMilli(lastAt),
                    firstCopyId, sample);
        }
    }

    @Override
    public List<DirectSendSender> kept(Connection c, long tenantId, long fromHour, long toHour) throws SQLException {
        List<DirectSendSender> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT hour, client_ip, mail_from, messages, copies, first_at, last_at, first_copy_id,"
                + " sample_recipient FROM hourly_direct_send WHERE tenant_id = ? AND hour >= ? AND hour < ?" + KeptHours.ABOVE_HORIZON)) {
            ps.setLong(1, tenantId);
            ps.setLong(2, fromHour);
            ps.setLong(3, toHour);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DirectSendSender(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                            Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)), rs.getLong(8), rs.getString(9)));
                }
            }
        }
        return out;
    }

    @Override public boolean settled(List<DirectSendSender> rows) { return true; }

    @Override
    public void keep(WriteContext ctx, long tenantId, long hour, List<DirectSendSender> rows) throws SQLException {
        PreparedStatement ps = ctx.prepare("INSERT INTO hourly_direct_send (tenant_id, hour, first_copy_id, client_ip, mail_from, messages,"
                + " copies, first_at, last_at, sample_recipient) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
        Instant start = Instant.ofEpochMilli(hour * KeptHours.HOUR);
        for (DirectSendSender s : rows.isEmpty() ? List.of(new DirectSendSender(hour, null, "", 0, 0, start, start, 0, "")) : rows) {
            ps.setLong(1, tenantId);
            ps.setLong(2, hour);
            ps.setLong(3, s.firstCopyId());
            ps.setString(4, s.clientIp());
            ps.setString(5, s.mailFrom());
            ps.setLong(6, s.messages());
            ps.setLong(7, s.copies());
            ps.setLong(8, s.firstSeen().toEpochMilli());
            ps.setLong(9, s.lastSeen().toEpochMilli());
            ps.setString(10, s.sampleRecipient());
            ps.addBatch();
        }
        ps.executeBatch();
    }

    @Override
    public int forgetBefore(WriteContext ctx, long hour) throws SQLException {
        PreparedStatement ps = ctx.prepare("DELETE FROM hourly_direct_send WHERE hour < ?");
        ps.setLong(1, hour);
        return ps.executeUpdate();
    }
}
