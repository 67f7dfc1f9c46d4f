// The historical search report types Gatehouse makes, and why it refuses Exchange's others.
package dev.gatehouse.reports;

import java.util.Map;

/**
 * Exchange's {@code HistoricalSearchReportType} values that Gatehouse can answer from its own records, plus
 * {@link #Refusals}, Gatehouse's own: the recipients refused at RCPT TO (5.7.68, 5.7.51, 5.7.64, 5.4.1,
 * RequireTls) and messages refused for their header From, which Exchange records nowhere.
 */
public enum ReportType {
    /** Inbound/outbound messages with the connector they came through (Exchange's "Inbound messages" data). */
    ConnectorReport,
    /** Exchange's enhanced summary: one row per message with each recipient's status. */
    MessageTrace,
    /** Exchange's extended report: one row per event of each recipient. */
    MessageTraceDetail,
    /** One row per mail flow rule that matched a recipient, with the actions it took. */
    TransportRule,
    /** Gatehouse's own: what was refused before it was accepted. */
    Refusals;

    /** Exchange's other report types, each with why Gatehouse can't make it. */
    public static final Map<String, String> NOT_AVAILABLE = Map.of(
            "ATPReport", "Gatehouse has no Defender file scanning",
            "DLP", "Gatehouse has no data loss prevention policies",
            "UnifiedDLP", "Gatehouse has no data loss prevention policies",
            "SPAM", "Gatehouse has no spam filter",
            "Spoof", "Gatehouse has no spoof intelligence",
            "OutboundSecurityReport", "Gatehouse doesn't record outbound TLS security",
            "P2SenderAttribution", "Gatehouse has no P2 sender attribution report");

    /** Whether the report needs -MessageID, -SenderAddress or -RecipientAddress (spec §8, inferred). */
    boolean needsAMessageFilter() { return this == MessageTrace || this == MessageTraceDetail; }
}
