// The quarantine stage of the pipeline: a copy in the hosted quarantine for each recipient a rule quarantined.
package dev.gatehouse.quarantine;

import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.Stage;
import dev.gatehouse.pipeline.Verdict;
import dev.gatehouse.queue.TraceEventType;

/**
 * For every recipient whose verdict is {@link Verdict.Quarantine}, the bytes that recipient would have
 * received (its tenant's stamp and the rule edits made before) go into the quarantine, in the same
 * transaction that commits the message, with a {@code Quarantine} trace event as Exchange writes it. The
 * recipient's own row is already {@code Quarantined} (final for delivery); a release later adds a new
 * recipient row from the quarantined copy.
 */
public final class QuarantineStage implements Stage {
    static final String TRACE_DETAIL = "Message quarantined in: DefaultFolderType:QuarantinedEmailSecured";

    @Override
    public Refusal apply(Accepting m) {
        List<QuarantinedCopy> copies = new ArrayList<>();
        for (Accepting.Recipient r : m.recipients()) {
            if (!(r.verdict() instanceof Verdict.Quarantine q)) continue;
            m.event(r.row().tenantId(), r.row().address(), TraceEventType.Quarantine, TRACE_DETAIL);
            copies.add(new QuarantinedCopy(r.row().tenantId(), m.networkMessageId(), r.row().address(), r.row().mailboxId(), m.mailFrom(),
                    m.subject(), m.internetMessageId(), m.receivedAt(), q.ruleName(), q.ruleGuid(), m.deliveredCopy(r.row()), q.quarantineType(),
                    q.policyType()));
        }
        if (!copies.isEmpty()) m.hook((ctx, messageRowId, recipientRowIds) -> {
            for (QuarantinedCopy c : copies) QuarantineStore.insert(ctx, messageRowId, c);
        });
        return null;
    }
}
