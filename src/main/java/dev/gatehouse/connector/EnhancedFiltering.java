// Accept-path stage after the recipients: Enhanced Filtering for Connectors finds the original client behind a filtering MX.
package dev.gatehouse.connector;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.Recipients;
import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.Stage;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.TraceEventType;

/**
 * When a tenant's MX points to a third-party filter that relays to Gatehouse, every message connects from the
 * filter, and SPF, DMARC and {@code -SenderIpRanges} would all judge the filter. With Enhanced Filtering on the
 * connector the message came through ({@code EFSkipLastIP}, {@code EFSkipIPs}; spec §3.1, [R29]) this stage walks
 * the Received fields past the hops the admin vouched for ({@link SkipList}) and records the first one that isn't
 * skipped as the original client of the tenant's recipients ({@link Accepting#originalClient}), which the later
 * checks read through {@link Accepting#clientIpFor}. Connector attribution at RCPT TO keeps the connecting address:
 * that is what identifies the filter as the connector.
 *
 * <p>As in Exchange, {@code EFUsers} is all or nothing per message: the original client is used only when every
 * recipient of the tenant is listed; otherwise all of them keep the connecting address (the finding is still
 * traced and stamped as {@code X-MS-Exchange-SkipListedInternetSender}, Exchange's "what if" header). A listed address
 * stands for its mailbox: the route keeps the resolved primary address, not the address the sender wrote.
 * Each recipient's trace says what was found or why nothing was.
 */
public final class EnhancedFiltering implements Stage {
    private static final Logger log = LoggerFactory.getLogger(EnhancedFiltering.class);
    static final String SKIP_LISTED = "X-MS-Exchange-SkipListedInternetSender";
    static final String ORIGINAL = "X-MS-Exchange-ExternalOriginalInternetSender";

    private final ConnectorDirectory connectors;
    private final Directory directory;

    public EnhancedFiltering(ConnectorDirectory connectors, Directory directory) {
        this.connectors = connectors;
        this.directory = directory;
    }

    /** The walk's outcome for the recipients of one tenant through one connector. */
    private record Outcome(InboundConnector connector, SkipList.Finding finding, boolean applies) {}

    @Override
    public Refusal apply(Accepting m) {
        InetAddress connecting = m.client().ip();
        if (connecting == null || m.recipients().stream().allMatch(r -> isDefault(r.row()))) return null;
        ConnectorSnapshot snap = connectors.current();
        Map<String, Optional<Outcome>> outcomes = new HashMap<>();
        List<Accepting.Recipient> out = new ArrayList<>(m.recipients().size());
        for (Accepting.Recipient r : m.recipients()) {
            QueuedRecipient row = r.row();
            if (isDefault(row)) {
                out.add(r);
                continue;
            }
            Optional<Outcome> o = outcomes.computeIfAbsent(row.tenantId() + "\0" + row.inboundConnector().toLowerCase(Locale.ROOT),
                    k -> outcome(m, snap, row));
            out.add(o.isEmpty() ? r : new Accepting.Recipient(applied(m, row, o.get()), r.verdict()));
        }
        m.recipients(out);
        return null;
    }

    private static boolean isDefault(QueuedRecipient row) { return row.inboundConnector() == null || row.inboundConnector().isEmpty(); }

    /** The connector's finding for this tenant's recipients, or empty when the connector is gone or has Enhanced Filtering off. */
    private Optional<Outcome> outcome(Accepting m, ConnectorSnapshot snap, QueuedRecipient row) {
        InboundConnector c = null;
        for (InboundConnector ic : snap.of(row.tenantId())) if (ic.Name().equalsIgnoreCase(row.inboundConnector())) c = ic;
        Optional<SkipList> skip = c == null ? Optional.empty() : SkipList.of(c);
        if (skip.isEmpty()) return Optional.empty();
        SkipList.Finding f = skip.get().find(m.client().ip(), receivedValues(m));
        boolean applies = f.found() && everyRecipientListed(c, row.tenantId(), m.recipients());
        log.debug("event=enhanced_filtering network_message_id={} tenant_id={} connector=\"{}\" end={} original={} applied={}",
                m.networkMessageId(), row.tenantId(), c.Name(), f.end(), SkipList.text(f.original()), applies);
        return Optional.of(new Outcome(c, f, applies));
    }

    /** Exchange: EFUsers is effective only on messages where all recipients are listed. */
    private boolean everyRecipientListed(InboundConnector c, long tenantId, List<Accepting.Recipient> all) {
        if (c.EFUsers().isEmpty()) return true;
        for (Accepting.Recipient r : all) {
            if (r.row().tenantId() == tenantId && !listed(c, r.row())) return false;
        }
        return true;
    }

    /** The recipient is in EFUsers: its address, or another address of its mailbox. */
    private boolean listed(InboundConnector c, QueuedRecipient row) {
        for (String user : c.EFUsers()) {
            if (user.equalsIgnoreCase(row.address())) return true;
            if (row.mailboxId() == null) continue;
            Recipients.Resolved r = directory.recipientOf(row.tenantId(), user);
            if (r != null && row.mailboxId().equals(r.mailboxId())) return true;
        }
        return false;
    }

    /** Traces the finding for one recipient and, when found, stamps it and records the original client. */
    private static QueuedRecipient applied(Accepting m, QueuedRecipient row, Outcome o) {
        SkipList.Finding f = o.finding();
        String detail = f.describe(o.connector().Name());
        if (f.found() && !o.applies()) {
            detail += "; not applied: EFUsers doesn't list every recipient of the message, so the connecting address "
                    + SkipList.text(m.client().ip()) + " is used";
        }
        m.event(row.tenantId(), row.address(), TraceEventType.EnhancedFiltering, detail);
        if (!f.found()) return row;
        String value = "ip=[" + SkipList.text(f.original()) + "]" + (f.name() == null ? "" : ";domain=" + f.name());
        StringBuilder stamps = new StringBuilder(row.stampHeaders() == null ? "" : row.stampHeaders());
        stamps.append(SKIP_LISTED).append(": ").append(value).append("\r\n");
        if (o.applies()) {
            stamps.append(ORIGINAL).append(": ").append(value).append("\r\n");
            m.originalClient(row.tenantId(), row.address(), f.original());
        }
        return new QueuedRecipient(row.tenantId(), row.address(), row.mailboxId(), row.status(), row.inboundConnector(),
                row.directionality(), row.authAs(), row.directSend(), stamps.toString(), row.lastError(), row.variant());
    }

    /** The values of the first Received fields, top first: no more than the walk may read. */
    private static List<String> receivedValues(Accepting m) {
        List<String> out = new ArrayList<>();
        for (HeaderField f : m.received().fields()) {
            if (!f.is("Received")) continue;
            out.add(f.value());
            if (out.size() > SkipList.MAX_FIELDS) break;
        }
        return out;
    }
}
