// The mail flow rules stage of the pipeline: evaluate each tenant's rules and set each recipient's verdict.
package dev.gatehouse.rules;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.Recipients;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.pipeline.Stage;
import dev.gatehouse.pipeline.Verdict;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.smtp.SmtpReply;

/**
 * Runs between the header-From check and the durable enqueue, so the verdict is committed with the message
 * in the same transaction. Each tenant's rules read that tenant's copy as it will be delivered (its stamp
 * fields after the header firewall: {@link Accepting#tenantView}) and see only that tenant's recipients.
 * This stage only decides: it sets each recipient's status and {@link Verdict}, adds the content variants
 * that edits make, the trace events of every matched rule, and the notifications rules ask for. The
 * quarantine stage stores the quarantined copies and the report stage writes NDRs and notifications.
 *
 * <p>When every recipient of the transaction is rejected the DATA reply carries the first rule's status
 * and text ({@code 550 5.7.1 Blocked}), and the message is kept in message trace as Failed with the rule
 * named (as Exchange records it), without its content. A rule that fails with {@code RuleErrorAction Defer}
 * refuses the message with {@code 451 4.7.500} and nothing is stored.
 */
public final class RuleStage implements Stage {
    private static final Logger log = LoggerFactory.getLogger(RuleStage.class);
    /** Wall-clock budget of one message's rule evaluation (regex runaway guard). */
    static final long EVALUATION_BUDGET_MILLIS = 2_000;
    public static final SmtpReply DEFERRED = SmtpReply.of(451, "4.7.500", "Server busy, rule evaluation failed, please try again later");

    private final RuleEngine engine;
    private final Organization org;

    public RuleStage(RuleEngine engine, Organization org) {
        this.engine = engine;
        this.org = org;
    }

    /** The directory as the rules see the organization. */
    public static Organization organization(Directory directory) {
        return new Organization() {
            @Override public boolean inOrganization(long tenantId, String address) { return directory.inOrganization(tenantId, address); }

            @Override public Recipient resolve(long tenantId, String address) {
                Recipients.Resolved r = directory.recipientOf(tenantId, address);
                return r == null ? null : new Recipient(r.address(), r.mailboxId());
            }
        };
    }

    @Override
    public Refusal apply(Accepting m) {
        // one evaluation per tenant, stamp and client address (attribution writes the stamp per tenant; Enhanced
        // Filtering may find an original client per recipient): the rules read the message as that tenant's copy
        // will be delivered, its stamp fields (AuthAs, directionality) included, and -SenderIpRanges that address
        Map<String, List<Accepting.Recipient>> groups = new LinkedHashMap<>();
        boolean anyRules = false;
        for (Accepting.Recipient r : m.recipients()) {
            QueuedRecipient row = r.row();
            InetAddress ip = m.clientIpFor(row.tenantId(), row.address());
            groups.computeIfAbsent(row.tenantId() + "\0" + (row.stampHeaders() == null ? "" : row.stampHeaders()) + "\0"
                    + (ip == null ? "" : ip.getHostAddress()), k -> new ArrayList<>()).add(r);
            anyRules |= !engine.rules(row.tenantId()).isEmpty();
        }
        if (!anyRules) return null;

        Deadline deadline = Deadline.in(EVALUATION_BUDGET_MILLIS);
        List<Accepting.Recipient> out = new ArrayList<>();
        Map<List<HeaderEdit>, Integer> variants = new LinkedHashMap<>();
        Verdict.Reject firstReject = null;
        boolean allRejected = true;
        for (List<Accepting.Recipient> group : groups.values()) {
            QueuedRecipient first = group.getFirst().row();
            long tenant = first.tenantId();
            List<CompiledRule> rules = engine.rules(tenant);
            if (rules.isEmpty()) {
                out.addAll(group);
                allRejected = false;
                continue;
            }
            MessageFacts facts = new MessageFacts(m.tenantView(first.stampHeaders()), m.mailFrom(), m.clientIpFor(tenant, first.address()));
            List<Organization.Recipient> rcpts = group.stream().map(r -> new Organization.Recipient(r.row().address(), r.row().mailboxId())).toList();
            RuleVerdict v = RuleEvaluator.evaluate(rules, tenant, facts, rcpts, org, m.receivedAt(), deadline);
            if (v.deferReason() != null) {
                log.warn("event=rules_deferred network_message_id={} tenant_id={} reason=\"{}\"", m.networkMessageId(), tenant, v.deferReason());
                return new Refusal(DEFERRED, RefusalReason.RULES_DEFERRED);
            }
            notes(m, tenant, facts, v.notes());
            for (int i = 0; i < v.outcomes().size(); i++) {
                RuleVerdict.Outcome o = v.outcomes().get(i);
                QueuedRecipient source = o.added() ? first : group.get(i).row(); // outcomes keep the input order, added ones come last
                Integer variant = null;
                if (!o.edits().isEmpty()) {
                    variant = variants.computeIfAbsent(o.edits(), edits -> m.addVariant(ContentEditor.apply(m.stored(), edits)));
                }
                Verdict verdict = verdict(o);
                // only the envelope's recipients decide the DATA reply: a copy a rule added (CopyTo, BlindCopyTo)
                // follows its original and must not turn "every recipient rejected" into a 250 and an NDR
                if (verdict instanceof Verdict.Reject rj) {
                    if (firstReject == null) firstReject = rj;
                } else if (!o.added()) {
                    allRejected = false;
                }
                out.add(new Accepting.Recipient(source.withVerdict(o.address(), o.mailboxId(), status(verdict, o.added() ? null : source),
                        o.reason(), variant), verdict));
                if (verdict instanceof Verdict.Delete) m.event(tenant, o.address(), TraceEventType.Drop, o.reason());
            }
        }
        m.recipients(out);
        if (allRejected && firstReject != null) {
            log.info("event=rejected_by_rule network_message_id={} rule=\"{}\" reply=\"550 {}\"", m.networkMessageId(), firstReject.ruleName(),
                    firstReject.reason());
            return new Refusal(SmtpReply.of(550, firstReject.status(), firstReject.text()), RefusalReason.TRANSPORT_RULE, true);
        }
        return null;
    }

    /** The trace events of the rules' notes; notifications go to the report stage, with the copy their tokens read. */
    private static void notes(Accepting m, long tenant, MessageFacts facts, List<RuleVerdict.Note> notes) {
        for (RuleVerdict.Note n : notes) {
            if ("Notification".equals(n.type())) {
                m.notification(new Accepting.NotificationRequest(tenant, n.recipient(), n.detail(), facts.message()));
                continue;
            }
            m.event(tenant, n.recipient(), TraceEventType.valueOf(n.type()), n.detail());
        }
    }

    private static Verdict verdict(RuleVerdict.Outcome o) {
        return switch (o.disposition()) {
            case Deliver -> Verdict.DELIVER;
            case Quarantine -> new Verdict.Quarantine(o.ruleName(), o.ruleGuid());
            case Reject -> new Verdict.Reject(o.rejectStatus(), o.rejectText(), o.ruleName(), o.ruleGuid());
            case Delete -> new Verdict.Delete(o.reason(), o.ruleName(), o.ruleGuid());
            case Redirected -> new Verdict.Redirected(o.reason());
        };
    }

    /** The stored status: a delivered recipient keeps its own (Pending or AwaitingRelay), an added one is Pending. */
    private static RecipientStatus status(Verdict v, QueuedRecipient source) {
        return switch (v) {
            case Verdict.Deliver d -> source == null ? RecipientStatus.Pending : source.status();
            case Verdict.Quarantine q -> RecipientStatus.Quarantined;
            case Verdict.Reject r -> RecipientStatus.Failed;
            case Verdict.Delete d -> RecipientStatus.Failed;
            case Verdict.Redirected r -> RecipientStatus.Redirected;
        };
    }
}
