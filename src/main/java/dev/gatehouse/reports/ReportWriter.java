// Writes one historical search's rows: the period walked an hour at a time, newest first, through the owners' reads.
package dev.gatehouse.reports;

import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import dev.gatehouse.attribution.RefusalLog;
import dev.gatehouse.connector.InboundConnector;
import dev.gatehouse.connector.InboundConnectorService;
import dev.gatehouse.queue.MailEvent;
import dev.gatehouse.queue.MessageTrace;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.queue.TraceRow;
import dev.gatehouse.queue.TraceSearch;
import dev.gatehouse.store.Store;
import dev.gatehouse.trace.MessageTraceService;
import dev.gatehouse.trace.TraceEvents;
import dev.gatehouse.trace.MessageTraceService.MessageTraceDetailRow;

/**
 * The columns of each report are in {@link #header(ReportType)} (README "Historical search" lists them; Microsoft
 * documents none for ConnectorReport). Rows are read an hour of the period at a time through
 * {@link MessageTrace} (the queue owns the message tables) and {@link RefusalLog}, so memory stays bounded by
 * one hour of the tenant's mail and every read is an index range. At most {@link #MAX_ROWS} rows are written,
 * as Exchange writes at most 100,000 per file; the result says when more matched.
 */
final class ReportWriter {
    static final int MAX_ROWS = 100_000;
    private static final Duration CHUNK = Duration.ofHours(1);

    /** Told after each hour; false stops the report (the job's lease was lost). */
    interface Progress {
        boolean at(long rows, int percent);
    }

    /** What was written: the row count, and whether rows were left out at the cap. */
    record Result(long rows, boolean truncated) {}

    private final Store store;
    private final MessageTrace trace;
    private final int maxRows;

    ReportWriter(Store store) { this(store, MAX_ROWS); }

    /** @param maxRows the cap (tests use a small one) */
    ReportWriter(Store store, int maxRows) {
        this.store = store;
        this.trace = new MessageTrace(store);
        this.maxRows = maxRows;
    }

    static List<String> header(ReportType type) {
        return switch (type) {
            case ConnectorReport -> List.of("origin_timestamp", "sender_address", "recipient_status", "message_subject", "total_bytes",
                    "message_id", "network_message_id", "original_client_ip", "client_hostname", "directionality", "connector_id",
                    "connector_type", "tls_version", "recipient_count");
            case MessageTrace -> List.of("origin_timestamp", "sender_address", "recipient_status", "message_subject", "total_bytes",
                    "message_id", "network_message_id", "original_client_ip", "directionality", "connector_id", "delivery_priority");
            case MessageTraceDetail -> List.of("date_time", "event_id", "action", "detail", "data", "sender_address", "recipient_address",
                    "message_subject", "total_bytes", "message_id", "network_message_id", "original_client_ip", "client_hostname",
                    "directionality", "connector_id");
            case TransportRule -> List.of("date_time", "sender_address", "recipient_address", "message_subject", "message_id",
                    "network_message_id", "transport_rule_name", "transport_rule_id", "actions", "directionality");
            case Refusals -> List.of("date_time", "original_client_ip", "client_hostname", "tls_version", "sender_address",
                    "recipient_address", "reason", "reply", "connector_id");
        };
    }

    Result write(SearchRequest r, Writer out, Progress progress) throws IOException {
        Csv.row(out, header(r.type()));
        if (r.type() == ReportType.Refusals) return refusals(r, out);
        Map<String, String> connectorTypes = connectorTypes(r.tenantId());
        Predicate<TraceRow> copyFilter = copyFilter(r, connectorTypes);
        Rows rows = new Rows(out, maxRows);
        boolean none = r.deliveryStatus() != null && statuses(r.deliveryStatus()).isEmpty(); // Expanded: no groups here
        long hours = Math.max(1, (Duration.between(r.start(), r.end()).toMillis() + CHUNK.toMillis() - 1) / CHUNK.toMillis());
        long done = 0;
        for (Instant chunkEnd = r.end(); chunkEnd.isAfter(r.start()) && !rows.full && !none; chunkEnd = chunkEnd.minus(CHUNK)) {
            Instant chunkStart = chunkEnd.minus(CHUNK).isBefore(r.start()) ? r.start() : chunkEnd.minus(CHUNK);
            // the search's window is inclusive: stop a millisecond before this chunk's end, which the previous chunk has
            TraceSearch q = new TraceSearch(chunkStart, chunkEnd.minusMillis(1), r.senders(), r.recipients(), r.messageIds(), null,
                    r.originalClientIp() == null ? List.of() : List.of(r.originalClientIp()), statuses(r.deliveryStatus()), null,
                    copyFilter, 0, Integer.MAX_VALUE);
            switch (r.type()) {
                case ConnectorReport, MessageTrace -> {
                    for (List<TraceRow> message : byMessage(trace.search(r.tenantId(), q))) {
                        if (!rows.add(messageRow(r.type(), message, connectorTypes))) break;
                    }
                }
                case MessageTraceDetail -> trace.mailEvents(r.tenantId(), q, e -> rows.add(detailRow(e)));
                case TransportRule -> {
                    List<MailEvent> copy = new ArrayList<>();
                    trace.mailEvents(r.tenantId(), q, e -> {
                        if (!copy.isEmpty() && !sameCopy(copy.getFirst(), e)) {
                            if (!ruleRows(r, copy, rows)) return false;
                            copy.clear();
                        }
                        copy.add(e);
                        return true;
                    });
                    if (!copy.isEmpty()) ruleRows(r, copy, rows);
                }
                case Refusals -> throw new IllegalStateException("refusals are not read per message");
            }
            if (rows.failure != null) throw rows.failure;
            done++;
            if (!progress.at(rows.count, (int) Math.min(99, done * 100 / hours))) throw new LeaseLost();
        }
        return new Result(rows.count, rows.full);
    }

    /** Writes rows up to the cap; {@code full} once a row past the cap was offered. */
    private static final class Rows {
        final Writer out;
        final int max;
        long count;
        boolean full;
        IOException failure;

        Rows(Writer out, int max) {
            this.out = out;
            this.max = max;
        }

        boolean add(List<?> row) {
            if (count == max) {
                full = true;
                return false;
            }
            try {
                Csv.row(out, row);
            } catch (IOException e) {
                failure = e;
                return false;
            }
            count++;
            return true;
        }
    }

    /** Thrown when the job was taken over while it ran. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost() { super("the job's lease was lost", null, false, false); }
    }

    private static List<Object> messageRow(ReportType type, List<TraceRow> copies, Map<String, String> connectorTypes) {
        TraceRow m = copies.getFirst();
        return type == ReportType.ConnectorReport
                ? List.of(m.received(), m.sender(), recipientStatus(copies), nz(m.subject()), m.size(), nz(m.internetMessageId()),
                        m.networkMessageId(), nz(m.clientIp()), nz(m.helo()), nz(m.directionality()), nz(m.inboundConnector()),
                        connectorType(m, connectorTypes), tls(m), copies.size())
                : List.of(m.received(), m.sender(), recipientStatus(copies), nz(m.subject()), m.size(), nz(m.internetMessageId()),
                        m.networkMessageId(), nz(m.clientIp()), nz(m.directionality()), nz(m.inboundConnector()), "Normal");
    }

    private static List<Object> detailRow(MailEvent e) {
        TraceRow c = e.copy();
        MessageTraceDetailRow d = MessageTraceService.detailRow(new MessageTraceEvent(0, c.networkMessageId(), c.recipient(), e.event(),
                e.detail(), e.at()), c);
        return List.of(d.Date(), d.Event(), d.Action(), d.Detail(), d.Data(), c.sender(), c.recipient(), nz(c.subject()), c.size(),
                nz(c.internetMessageId()), c.networkMessageId(), nz(c.clientIp()), nz(c.helo()), nz(c.directionality()),
                nz(c.inboundConnector()));
    }

    private static boolean sameCopy(MailEvent a, MailEvent b) {
        return a.copy().networkMessageId().equals(b.copy().networkMessageId()) && a.copy().recipient().equals(b.copy().recipient());
    }

    /** The rules that matched one copy, each with the actions it took on it. */
    private static boolean ruleRows(SearchRequest r, List<MailEvent> events, Rows rows) {
        for (MailEvent e : events) {
            if (e.event() != TraceEventType.TransportRule) continue;
            TraceRow c = e.copy();
            String name = between(e.detail(), "Transport rule: '", "', ID: ('");
            String id = between(e.detail(), "', ID: ('", "')");
            if (!r.transportRules().isEmpty() && r.transportRules().stream().noneMatch(n -> n.equalsIgnoreCase(name))) continue;
            List<String> actions = new ArrayList<>();
            for (MailEvent a : events) {
                if (a.event() == TraceEventType.RuleAction && a.detail() != null && a.detail().contains("ruleId=" + id + "|")) {
                    actions.add(TraceEvents.field(a.detail(), "action"));
                }
            }
            if (!rows.add(List.of(e.at(), c.sender(), c.recipient(), nz(c.subject()), nz(c.internetMessageId()), c.networkMessageId(),
                    name, id, String.join(";", actions), nz(c.directionality())))) return false;
        }
        return true;
    }

    private Result refusals(SearchRequest r, Writer out) throws IOException {
        long rows = 0;
        for (RefusalLog.Refusal f : new RefusalLog(store).list(r.tenantId(), r.start(), r.end(), maxRows + 1)) {
            if (!r.senders().isEmpty() && r.senders().stream().noneMatch(s -> s.equalsIgnoreCase(f.mailFrom()))) continue;
            if (!r.recipients().isEmpty() && r.recipients().stream().noneMatch(s -> s.equalsIgnoreCase(f.recipient()))) continue;
            if (r.originalClientIp() != null && !r.originalClientIp().equals(f.clientIp())) continue;
            if (rows == maxRows) return new Result(rows, true);
            Csv.row(out, List.of(f.at(), nz(f.clientIp()), nz(f.helo()), tls(f.tlsProtocol()),
                    nz(f.mailFrom()), f.recipient(), f.reason().name(), f.reply(), nz(f.connector())));
            rows++;
        }
        return new Result(rows, false);
    }

    /** The copies of each message together, in the order the messages came (newest first). */
    private static List<List<TraceRow>> byMessage(List<TraceRow> rows) {
        Map<String, List<TraceRow>> messages = new LinkedHashMap<>();
        for (TraceRow row : rows) messages.computeIfAbsent(row.networkMessageId(), k -> new ArrayList<>()).add(row);
        return new ArrayList<>(messages.values());
    }

    /** Direction, connector type and TLS: what the store can't filter by itself. */
    private static Predicate<TraceRow> copyFilter(SearchRequest r, Map<String, String> connectorTypes) {
        Predicate<TraceRow> p = row -> true;
        if ("Received".equals(r.direction())) p = p.and(row -> !"Originating".equals(row.directionality()));
        if ("Sent".equals(r.direction())) p = p.and(row -> "Originating".equals(row.directionality()));
        if (r.connectorType() != null) p = p.and(row -> r.connectorType().equals(connectorType(row, connectorTypes)));
        if (r.tlsUsed() != null) p = p.and(row -> r.tlsUsed().equalsIgnoreCase(tls(row)));
        return p;
    }

    /** OnPremises or Partner for a connector's copy (by its name now), NoConnector for none. */
    private static String connectorType(TraceRow row, Map<String, String> connectorTypes) {
        if (row.inboundConnector() == null || row.inboundConnector().isEmpty()) return "NoConnector";
        return connectorTypes.getOrDefault(row.inboundConnector().toLowerCase(Locale.ROOT), "Unknown");
    }

    private Map<String, String> connectorTypes(long tenantId) {
        Map<String, String> out = new HashMap<>();
        for (InboundConnector c : new InboundConnectorService(store).list(tenantId)) {
            out.put(c.Name().toLowerCase(Locale.ROOT), c.ConnectorType().name());
        }
        return out;
    }

    /** Exchange's DeliveryStatus values: Delivered, Failed; Expanded (groups) matches nothing here. */
    private static List<RecipientStatus> statuses(String deliveryStatus) {
        if (deliveryStatus == null) return List.of();
        return switch (deliveryStatus) {
            case "Delivered" -> List.of(RecipientStatus.Delivered);
            case "Failed" -> List.of(RecipientStatus.Failed);
            default -> List.of();
        };
    }

    /** "bob@contoso.com##Delivered;alice@contoso.com##Quarantined", Exchange's Recipient_status form. */
    private static String recipientStatus(List<TraceRow> copies) {
        StringBuilder sb = new StringBuilder();
        for (TraceRow c : copies) {
            if (!sb.isEmpty()) sb.append(';');
            sb.append(c.recipient()).append("##").append(MessageTraceService.statusName(c.status()));
        }
        return sb.toString();
    }

    private static String tls(TraceRow row) { return tls(row.tlsProtocol()); }

    /** The TLSUsed value: "No Tls", TLS1.2, TLS1.3. */
    private static String tls(String protocol) { return protocol == null ? "No Tls" : TraceEvents.tlsName(protocol); }


    private static String nz(String v) { return v == null ? "" : v; }

    private static String between(String text, String from, String to) {
        if (text == null) return "";
        int a = text.indexOf(from);
        if (a < 0) return "";
        int b = text.indexOf(to, a + from.length());
        return b < 0 ? "" : text.substring(a + from.length(), b);
    }

}
