// Outbound delivery agent: claims AwaitingRelay recipients and sends them to the configured next hop over SMTP.
package dev.gatehouse.relay;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.delivery.ClaimLoop;
import dev.gatehouse.delivery.DeliverySettings;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.ProtectedHeaders;
import dev.gatehouse.ndr.Bounces;
import dev.gatehouse.queue.ClaimedRecipient;
import dev.gatehouse.queue.DeliveryLedger;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.store.Store;

/**
 * Claims {@code AwaitingRelay} recipients through the same ledger (claim, lease, outcome) as local delivery,
 * groups the claim per message and per tenant copy, and sends each group in one SMTP transaction to the next
 * hop, with the original reverse-path. Per recipient: 2xx → Delivered with a {@code Send} event; 4xx, a
 * connection or protocol failure, or no next hop configured → deferred with the local backoff (a {@code Defer}
 * event), Failed once older than max age (NDR {@code 5.4.7}); 5xx → Failed with an NDR to the sender carrying
 * the hop's reply. An NDR is written in the same transaction as the Failed outcome.
 */
public final class RelayWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayWorker.class);
    public static final String NO_RELAY_HOST = "no relay host configured";

    /** @param host null when no next hop is configured */
    public record NextHop(String host, int port) {
        @Override public String toString() { return host + ":" + port; }
    }

    private final NextHop hop;
    private final Directory directory;
    private final DeliverySettings settings;
    private final DeliveryLedger ledger;
    private final Bounces bounces;
    private final SmtpClient client;
    /** Longest one outbound transaction may take before its connection is cut (RFC 5321 allows 10 min for the final reply). */
    static final Duration TRANSACTION_LIMIT = Duration.ofMinutes(12);

    private final ClaimLoop loop;
    private final java.util.concurrent.atomic.AtomicLong relayed = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong deferred = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong bounced = new java.util.concurrent.atomic.AtomicLong();

    /** Outcomes recorded by this agent since start (for metrics); bounced counts NDRs written for failures. */
    public record Stats(long relayed, long deferred, long failed, long bounced) {}

    public Stats stats() { return new Stats(relayed.get(), deferred.get(), failed.get(), bounced.get()); }

    /** @param hop the next hop, or null: then every recipient is deferred with {@link #NO_RELAY_HOST} */
    public RelayWorker(Store store, Directory directory, NextHop hop, DeliverySettings settings, Bounces bounces, String heloName) {
        this.directory = directory;
        this.hop = hop;
        // a claim must outlive the longest transaction, or this node could claim and send the same
        // recipient again while the first send is still running
        this.settings = settings.lease().compareTo(TRANSACTION_LIMIT.multipliedBy(2)) >= 0 ? settings
                : settings.withLease(TRANSACTION_LIMIT.multipliedBy(2));
        this.ledger = new DeliveryLedger(store, this.settings.ownerId(), RecipientStatus.AwaitingRelay);
        this.bounces = bounces;
        this.client = new SmtpClient(heloName, 30_000, 300_000, TRANSACTION_LIMIT.toMillis());
        // one SMTP transaction per message and tenant copy
        this.loop = new ClaimLoop("relay", ledger, this.settings, claimed -> {
            Map<String, List<ClaimedRecipient>> groups = new LinkedHashMap<>();
            for (ClaimedRecipient r : claimed) groups.computeIfAbsent(r.messageId() + "/" + r.tenantId(), k -> new ArrayList<>()).add(r);
            return groups.values();
        }, this::send, 1);
    }

    public void start() {
        loop.start();
        log.info("event=relay_started owner={} next_hop={}", settings.ownerId(), hop == null ? "none" : hop);
    }

    public void wakeUp() { loop.wakeUp(); }

    /** One message's recipients of one tenant: they share content (the tenant's copy) and one transaction. */
    private void send(List<ClaimedRecipient> group) {
        try {
            // recipients of one tenant may still differ in content (rule variants): one transaction per content
            Map<DeliveryLedger.Target, List<ClaimedRecipient>> byContent = new LinkedHashMap<>();
            List<DeliveryLedger.Target> targets = new ArrayList<>();
            for (ClaimedRecipient r : group) {
                DeliveryLedger.Target t = directory.tenantGuid(r.tenantId()) == null ? null : ledger.target(r);
                if (t == null) {
                    DeliveryLedger.Target h = ledger.header(r);
                    ledger.failed(r, h == null ? "" : h.networkMessageId(), "the tenant no longer exists").join();
                    continue;
                }
                DeliveryLedger.Target same = targets.stream().filter(x -> java.util.Arrays.equals(x.content(), t.content())).findFirst().orElse(null);
                if (same == null) {
                    targets.add(t);
                    same = t;
                }
                byContent.computeIfAbsent(same, k -> new ArrayList<>()).add(r);
            }
            for (var e : byContent.entrySet()) transaction(e.getKey(), e.getValue());
        } catch (RuntimeException e) {
            log.warn("event=relay_outcome_not_recorded error=\"{}\"", e.toString()); // the lease expires; retried later
        }
    }

    private void transaction(DeliveryLedger.Target t, List<ClaimedRecipient> rcpts) {
        if (hop == null) {
            for (ClaimedRecipient r : rcpts) transient_(r, t, NO_RELAY_HOST);
            return;
        }
        SmtpClient.Result result;
        try {
            result = client.send(hop.host(), hop.port(), t.mailFrom() == null ? "" : t.mailFrom(),
                    rcpts.stream().map(ClaimedRecipient::address).toList(), outbound(t.content()));
        } catch (IOException | RuntimeException e) {
            String reason = "next hop " + hop + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
            for (ClaimedRecipient r : rcpts) transient_(r, t, reason);
            return;
        }
        for (int i = 0; i < rcpts.size(); i++) {
            ClaimedRecipient r = rcpts.get(i);
            SmtpClient.Reply reply = result.rcpt().get(i);
            String text = reply.text().replace('\n', ' ');
            if (reply.ok()) {
                if (ledger.delivered(r, t.networkMessageId(), TraceEventType.Send,
                        "Message transferred. next_hop=" + hop + " tls=" + result.tls() + " reply=\"" + text + "\"").join()) relayed.incrementAndGet();
                log.info("event=relayed network_message_id={} recipient_id={} next_hop={} reply=\"{}\"", t.networkMessageId(), r.id(), hop, text);
            } else if (reply.permanent()) {
                String status = enhanced(text, "5.0.0");
                var ndr = bounces.ndr(r.tenantId(), t.networkMessageId(), t.mailFrom(), t.content(), t.receivedAt(),
                        List.of(new Bounces.Failure(r.address(), status, text)));
                if (ledger.failed(r, t.networkMessageId(), "next hop " + hop + " refused: " + text, ndr).join()) {
                    failed.incrementAndGet();
                    if (ndr != null) bounced.incrementAndGet();
                }
                log.info("event=relay_failed network_message_id={} recipient_id={} reply=\"{}\" ndr={}", t.networkMessageId(), r.id(), text, ndr != null);
            } else {
                transient_(r, t, "next hop " + hop + " deferred: " + text + " tls=" + result.tls());
            }
        }
    }

    /** Deferred with backoff, or Failed with a delivery-expired NDR once older than max age. */
    private void transient_(ClaimedRecipient r, DeliveryLedger.Target t, String reason) {
        if (Duration.between(t.receivedAt(), Instant.now()).compareTo(settings.maxAge()) >= 0) {
            var ndr = bounces.ndr(r.tenantId(), t.networkMessageId(), t.mailFrom(), t.content(), t.receivedAt(),
                    List.of(new Bounces.Failure(r.address(), "5.4.7", "550 5.4.7 delivery expired (last error: " + reason + ")")));
            if (ledger.failed(r, t.networkMessageId(), "delivery expired: " + reason, ndr).join()) {
                failed.incrementAndGet();
                if (ndr != null) bounced.incrementAndGet();
            }
            log.warn("event=relay_expired network_message_id={} recipient_id={} reason=\"{}\"", t.networkMessageId(), r.id(), reason);
        } else {
            long next = System.currentTimeMillis() + settings.backoff(r.attempts() + 1).toMillis();
            if (ledger.deferred(r, t.networkMessageId(), reason, next).join()) deferred.incrementAndGet();
            log.info("event=relay_deferred network_message_id={} recipient_id={} attempts={} reason=\"{}\"", t.networkMessageId(), r.id(), r.attempts() + 1, reason);
        }
    }

    /** The copy that leaves the gateway: without the organization's internal stamps (outbound header firewall). */
    static byte[] outbound(byte[] content) {
        return Message.parse(content).without(f -> f.hasPrefix(ProtectedHeaders.ORGANIZATION_PREFIX)).bytes();
    }

    /** The enhanced status code of a reply text ({@code 550 5.1.1 ...} → {@code 5.1.1}), else the fallback. */
    static String enhanced(String text, String fallback) {
        String[] parts = text.split(" ");
        if (parts.length > 1 && parts[1].matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) return parts[1];
        return fallback;
    }


    @Override
    public void close() {
        loop.close();
        log.info("event=relay_stopped owner={}", settings.ownerId());
    }
}
