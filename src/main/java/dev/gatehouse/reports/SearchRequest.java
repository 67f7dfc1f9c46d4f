// A Start-HistoricalSearch request after validation: what the worker needs to run it.
package dev.gatehouse.reports;

import java.time.Instant;
import java.util.List;

/**
 * @param direction      All, Received (mail that came in) or Sent (mail the organization relayed out)
 * @param connectorType  OnPremises, Partner, NoConnector, or null for any (ConnectorReport only)
 * @param deliveryStatus Delivered, Expanded or Failed, or null for any
 * @param tlsUsed        "No Tls", "TLS1.2", "TLS1.3", or null for any (ConnectorReport only)
 */
record SearchRequest(long tenantId, String title, ReportType type, Instant start, Instant end, String direction, String connectorType,
                     String deliveryStatus, String tlsUsed, List<String> senders, List<String> recipients, List<String> messageIds,
                     String originalClientIp, List<String> transportRules, List<String> notifyAddresses, boolean compress) {
    SearchRequest {
        senders = List.copyOf(senders);
        recipients = List.copyOf(recipients);
        messageIds = List.copyOf(messageIds);
        transportRules = List.copyOf(transportRules);
        notifyAddresses = List.copyOf(notifyAddresses);
    }
}
