// Get-DirectSendReport: the anonymous accepted-domain mail RejectDirectSend would refuse, per source.
package dev.gatehouse.attribution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.queue.MessageTrace;
import dev.gatehouse.store.Store;

/**
 * Reads the attribution facts stored with each accepted recipient ({@code recipients.direct_send}: Incoming,
 * default connector, MAIL FROM domain accepted by the tenant when the message arrived) and groups them per
 * sender IP and MAIL FROM domain, so an admin can create connectors for scanners and applications before
 * turning {@code RejectDirectSend} on. Tenant-scoped; the window is {@code [start, end)}.
 */
public final class DirectSendReport {

    /** One source: how many messages (and recipient copies) it sent, when first and last, and a sample sender. */
    public record Row(String SenderIP, String MailFromDomain, int MessageCount, int RecipientCount, Instant FirstSeen,
                      Instant LastSeen, String SampleSender) {}

    private final MessageTrace trace;

    public DirectSendReport(Store store) { this.trace = new MessageTrace(store); }

    public List<Row> run(long tenantId, Instant start, Instant end) {
        record Acc(String ip, String domain, Set<Long> messages, int[] recipients, Instant[] first, Instant[] last, String sample) {}
        Map<String, Acc> groups = new LinkedHashMap<>();
        for (MessageTrace.DirectSendCopy copy : trace.directSend(tenantId, start, end)) {
            String ip = copy.clientIp();
            String from = copy.mailFrom();
            String domain = from.substring(from.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            Instant at = copy.receivedAt();
            Acc a = groups.computeIfAbsent(ip + "\0" + domain, k -> new Acc(ip, domain, new HashSet<>(), new int[1],
                    new Instant[] {at}, new Instant[] {at}, from));
            a.messages().add(copy.messageRowId());
            a.recipients()[0]++;
            a.last()[0] = at;
        }
        List<Row> out = new ArrayList<>();
        for (Acc a : groups.values()) {
            out.add(new Row(a.ip(), a.domain(), a.messages().size(), a.recipients()[0], a.first()[0], a.last()[0], a.sample()));
        }
        out.sort(Comparator.comparing(Row::MessageCount).reversed().thenComparing(Row::SenderIP).thenComparing(Row::MailFromDomain));
        return out;
    }
}
