// The report stage of the pipeline: NDRs for recipients rules rejected, and the notifications rules asked for.
package dev.gatehouse.ndr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.mail.TenantCopy;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.Stage;
import dev.gatehouse.pipeline.Verdict;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.TraceEventType;

/**
 * The gateway's own messages caused by the verdicts of earlier stages, written in the transaction that
 * commits the message so each is sent exactly once:
 * <ul>
 * <li>a <b>partial reject</b> (some recipients {@link Verdict.Reject}ed, not all: all is a refusal at DATA)
 *     gives the sender one NDR per tenant, listing that tenant's rejected recipients with the rule's reply,
 *     built from that tenant's copy (its stamps are never attached: {@link Bounces}); each rejected
 *     recipient gets an {@code Ndr} event;</li>
 * <li>each {@code GenerateNotification} request becomes a message from postmaster, its tokens read from
 *     the copy the rule matched; a {@code Notification} event says where it went, or why it wasn't sent.</li>
 * </ul>
 * Reports bypass mail flow rules (spec §5: rules evaluate all messages except NDRs).
 */
public final class ReportStage implements Stage {
    private final Bounces bounces;

    public ReportStage(Bounces bounces) { this.bounces = bounces; }

    @Override
    public Refusal apply(Accepting m) {
        List<IncomingMessage> reports = new ArrayList<>();
        for (Accepting.NotificationRequest n : m.notifications()) {
            IncomingMessage note = bounces.notification(n.tenantId(), n.recipient(), m.subject(), Bounces.expand(n.text(), n.copy()));
            if (note != null) reports.add(note);
            m.event(n.tenantId(), n.recipient(), TraceEventType.Notification, note == null
                    ? "GenerateNotification: '" + n.recipient() + "' can't receive it, not sent"
                    : "GenerateNotification: notification " + note.networkMessageId() + " queued to " + note.recipients().getFirst().address());
        }
        Map<Long, List<Accepting.Recipient>> rejected = new LinkedHashMap<>();
        for (Accepting.Recipient r : m.recipients()) {
            if (r.verdict() instanceof Verdict.Reject) rejected.computeIfAbsent(r.row().tenantId(), k -> new ArrayList<>()).add(r);
        }
        for (var byTenant : rejected.entrySet()) {
            long owner = byTenant.getKey();
            List<Bounces.Failure> failures = new ArrayList<>();
            for (Accepting.Recipient r : byTenant.getValue()) {
                Verdict.Reject rj = (Verdict.Reject) r.verdict();
                failures.add(new Bounces.Failure(r.row().address(), rj.status(), "550 " + rj.reason()));
            }
            byte[] copy = TenantCopy.assemble(byTenant.getValue().getFirst().row().stampHeaders(), m.stored().bytes());
            IncomingMessage ndr = bounces.ndr(owner, m.networkMessageId(), m.mailFrom(), copy, m.receivedAt(), failures);
            if (ndr != null) {
                reports.add(ndr);
                m.ndrQueued();
            }
            for (Bounces.Failure f : failures) {
                m.event(owner, f.recipient(), TraceEventType.Ndr, f.diagnostic() + (ndr == null
                        ? (m.mailFrom().isEmpty() ? " (null sender: no NDR)" : " (the sender can't receive an NDR: none sent)")
                        : " (non-delivery report " + ndr.networkMessageId() + " queued to " + ndr.recipients().getFirst().address() + ")"));
            }
        }
        if (!reports.isEmpty()) m.hook((ctx, messageRowId, recipientRowIds) -> {
            for (IncomingMessage report : reports) MessageQueue.write(ctx, report);
        });
        return null;
    }
}
