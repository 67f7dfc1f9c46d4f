// The mail flow rules stage of the pipeline: evaluate every tenant's rules, turn verdicts into what is enqueued.
package dev.gatehouse.rules;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.RecipientResolution;
import dev.gatehouse.ndr.Bounces;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.quarantine.QuarantineStore;
import dev.gatehouse.quarantine.QuarantinedCopy;
import dev.gatehouse.queue.EnqueueHook;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.smtp.SmtpReply;
import dev.gatehouse.trace.MessageTraceEvent;
import dev.gatehouse.trace.TraceEventType;

/**
 * Runs between intake and the durable enqueue, so the verdict is committed with the message in the same
 * transaction: each recipient row carries its status (Pending, Quarantined, Failed, Redirected), its own
 * content when rules edited it differently from the others, the trace events of every matched rule, and
 * the quarantine copies. The rules read each tenant's copy as it will be delivered: the tenant's stamp
 * fields (AuthAs, MessageDirectionality, ... written by attribution) followed by the stored content, after
 * the header firewall. Each tenant's rules see only that tenant's recipients.
 *
 * <p>When every recipient of the transaction is rejected the DATA reply carries the rule's status and text
 * ({@code 550 5.7.1 Blocked}) and nothing is stored. A partial reject is stored as Failed, and one NDR to the
 * sender (the rule's status and text per rejected recipient) is written in the same transaction, with an
 * {@code Ndr} event. {@code GenerateNotification} writes one notification per matched recipient the same way.
 */
public final class RuleStage {
    private static final Logger log = LoggerFactory.getLogger(RuleStage.class);
    /** Wall-clock budget of one message's rule evaluation (regex runaway guard). */
    static final long EVALUATION_BUDGET_MILLIS = 2_000;
    public static final SmtpReply DEFERRED = SmtpReply.of(451, "4.7.500", "Server busy, rule evaluation failed, please try again later");

    private final RuleEngine engine;

    private final Organization org;
    private final Bounces bounces;

    /** @param bounces builds the NDRs of partial rejects and the GenerateNotification messages */
    public RuleStage(RuleEngine engine, Organization org, Bounces bounces) {
        this.engine = engine;
        this.org = org;
        this.bounces = java.util.Objects.requireNonNull(bounces, "bounces");
    }

    /** The directory as the rules see the organization. */
    public static Organization organization(Directory directory) {
        return new Organization() {
            @Override public boolean inOrganization(long tenantId, String address) {
                return switch (directory.resolveRecipient(address)) {
                    case RecipientResolution.Accepted a -> a.tenantId() == tenantId;
                    case RecipientResolution.UnknownRecipient u -> u.tenantId() == tenantId;
                    case RecipientResolution.NoTenant n -> false;
                };
            }

            @Override public Recipient resolve(long tenantId, String address) {
                return directory.resolveRecipient(address) instanceof RecipientResolution.Accepted a && a.tenantId() == tenantId
                        ? new Recipient(a.canonicalAddress(), a.mailboxId()) : null;
            }
        };
    }

    /** What to enqueue, or the reply that refuses the message (then nothing is enqueued). */
    public record Result(SmtpReply reply, List<QueuedRecipient> recipients, List<byte[]> variants, List<MessageTraceEvent> events,
                         EnqueueHook hook) {}

    public Result apply(String networkMessageId, Instant receivedAt, byte[] content, String mailFrom, InetAddress clientIp,
                        String subject, String internetMessageId, List<QueuedRecipient> recipients) {
        // one evaluation per tenant (and per stamp, which attribution writes per tenant): the rules read the
        // message as that tenant's copy will be delivered, its stamp fields (AuthAs, directionality) included
        Map<String, List<QueuedRecipient>> groups = new LinkedHashMap<>();
        boolean anyRules = false;
        for (QueuedRecipient r : recipients) {
            groups.computeIfAbsent(r.tenantId() + "\0" + (r.stampHeaders() == null ? "" : r.stampHeaders()), k -> new ArrayList<>()).add(r);
            anyRules |= !engine.rules(r.tenantId()).isEmpty();
        }
        if (!anyRules) return new Result(null, recipients, List.of(), List.of(), EnqueueHook.NONE);

        Deadline deadline = Deadline.in(EVALUATION_BUDGET_MILLIS);
        List<QueuedRecipient> out = new ArrayList<>();
        List<byte[]> variants = new ArrayList<>();
        List<List<HeaderEdit>> variantEdits = new ArrayList<>();
        List<MessageTraceEvent> events = new ArrayList<>();
        List<QuarantinedCopy> copies = new ArrayList<>();
        List<IncomingMessage> reports = new ArrayList<>();
        // partial rejects per tenant: each tenant's NDR is built from its own copy and lists only its recipients
        java.util.Map<Long, List<Bounces.Failure>> rejected = new java.util.LinkedHashMap<>();
        java.util.Map<Long, byte[]> rejectCopies = new java.util.HashMap<>();
        String firstReject = null;
        boolean allRejected = true;
        for (List<QueuedRecipient> group : groups.values()) {
            QueuedRecipient first = group.getFirst();
            long tenant = first.tenantId();
            List<CompiledRule> rules = engine.rules(tenant);
            if (rules.isEmpty()) {
                out.addAll(group);
                allRejected = false;
                continue;
            }
            MessageFacts facts = new MessageFacts(dev.gatehouse.intake.TenantCopy.assemble(first.stampHeaders(), content), mailFrom, clientIp);
            List<Organization.Recipient> rcpts = group.stream().map(r -> new Organization.Recipient(r.address(), r.mailboxId())).toList();
            RuleVerdict v = RuleEvaluator.evaluate(rules, tenant, facts, rcpts, org, receivedAt, deadline);
            if (v.deferReason() != null) {
                log.warn("event=rules_deferred network_message_id={} tenant_id={} reason=\"{}\"", networkMessageId, tenant, v.deferReason());
                return new Result(DEFERRED, List.of(), List.of(), List.of(), EnqueueHook.NONE);
            }
            for (RuleVerdict.Note n : v.notes()) {
                if ("Notification".equals(n.type())) {
                    IncomingMessage note = bounces.notification(tenant, n.recipient(), subject, Bounces.expand(n.detail(), facts.content()));
                    if (note != null) reports.add(note);
                    events.add(new MessageTraceEvent(tenant, networkMessageId, n.recipient(), TraceEventType.Notification, note == null
                            ? "GenerateNotification: '" + n.recipient() + "' can't receive it, not sent"
                            : "GenerateNotification: notification " + note.networkMessageId() + " queued to " + note.recipients().getFirst().address(),
                            receivedAt));
                    continue;
                }
                events.add(new MessageTraceEvent(tenant, networkMessageId, n.recipient(), TraceEventType.valueOf(n.type()), n.detail(), receivedAt));
            }
            for (int i = 0; i < v.outcomes().size(); i++) {
                RuleVerdict.Outcome o = v.outcomes().get(i);
                QueuedRecipient source = o.added() ? null : group.get(i); // outcomes keep the input order, added ones come last
                Integer variant = null;
                byte[] own = content;
                if (!o.edits().isEmpty()) {
                    int idx = variantEdits.indexOf(o.edits());
                    if (idx < 0) {
                        variantEdits.add(o.edits());
                        variants.add(ContentEditor.apply(content, o.edits()));
                        idx = variants.size() - 1;
                    }
                    variant = idx;
                    own = variants.get(idx);
                }
                if (o.disposition() != RuleVerdict.Disposition.Reject) allRejected = false;
                else if (firstReject == null) firstReject = o.reason();
                String status = switch (o.disposition()) {
                    case Deliver -> source == null ? QueuedRecipient.PENDING : source.status();
                    case Quarantine -> QueuedRecipient.QUARANTINED;
                    case Reject, Delete -> QueuedRecipient.FAILED;
                    case Redirected -> QueuedRecipient.REDIRECTED;
                };
                out.add((source == null ? first : source).withVerdict(o.address(), o.mailboxId(), status, o.reason(), variant));
                switch (o.disposition()) {
                    case Quarantine -> {
                        events.add(new MessageTraceEvent(tenant, networkMessageId, o.address(), TraceEventType.Quarantine,
                                "Message quarantined in: DefaultFolderType:QuarantinedEmailSecured", receivedAt));
                        copies.add(new QuarantinedCopy(tenant, networkMessageId, o.address(), o.mailboxId(), mailFrom, subject,
                                internetMessageId, receivedAt, o.ruleName(), o.ruleGuid(),
                                dev.gatehouse.intake.TenantCopy.assemble(first.stampHeaders(), own)));
                    }
                    case Reject -> {
                        rejectCopies.putIfAbsent(tenant, facts.content());
                        rejected.computeIfAbsent(tenant, k -> new ArrayList<>())
                                .add(new Bounces.Failure(o.address(), o.reason().substring(0, o.reason().indexOf(' ')), "550 " + o.reason()));
                    }
                    case Delete -> events.add(new MessageTraceEvent(tenant, networkMessageId, o.address(), TraceEventType.Drop, o.reason(), receivedAt));
                    default -> { }
                }
            }
        }
        if (allRejected && firstReject != null) {
            int sp = firstReject.indexOf(' ');
            log.info("event=rejected_by_rule network_message_id={} reply=\"550 {}\"", networkMessageId, firstReject);
            return new Result(SmtpReply.of(550, firstReject.substring(0, sp), firstReject.substring(sp + 1)), List.of(), List.of(), List.of(), EnqueueHook.NONE);
        }
        for (var byTenant : rejected.entrySet()) { // a partial reject: per tenant, one NDR for its rejected recipients
            long owner = byTenant.getKey();
            IncomingMessage ndr = bounces.ndr(owner, networkMessageId, mailFrom, rejectCopies.get(owner), receivedAt, byTenant.getValue());
            if (ndr != null) reports.add(ndr);
            for (Bounces.Failure f : byTenant.getValue()) {
                events.add(new MessageTraceEvent(owner, networkMessageId, f.recipient(), TraceEventType.Ndr, f.diagnostic() + (ndr == null
                        ? (mailFrom == null || mailFrom.isEmpty() ? " (null sender: no NDR)" : " (the sender can't receive an NDR: none sent)")
                        : " (non-delivery report " + ndr.networkMessageId() + " queued to " + ndr.recipients().getFirst().address() + ")"),
                        receivedAt));
            }
        }
        EnqueueHook hook = copies.isEmpty() && reports.isEmpty() ? EnqueueHook.NONE : (ctx, messageRowId, recipientRowIds) -> {
            for (QuarantinedCopy c : copies) QuarantineStore.insert(ctx, messageRowId, c);
            for (IncomingMessage m : reports) MessageQueue.write(ctx, m);
        };
        return new Result(null, out, variants, events, hook);
    }
}
