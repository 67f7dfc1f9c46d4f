// Beyond Exchange (opt-in, -RejectDirectSendHeaderFrom): the RejectDirectSend test applied to the header From.
package dev.gatehouse.attribution;

import java.time.Instant;

import dev.gatehouse.directory.Directory;
import dev.gatehouse.mail.HeaderFrom;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.pipeline.Stage;

/**
 * Closes the P2 gap of spec §11, beside the envelope check it mirrors ({@link RecipientAttribution}'s
 * RejectDirectSend): anonymous mail (the default connector, Incoming) is refused with the 5.7.68 reply at end
 * of data when a recipient's tenant opted in and the header From claims one of that tenant's accepted
 * domains, or can't be read at all. "Claims" means any address of {@link HeaderFrom}: every mailbox any
 * reader could find in any From field, so {@code From: ceo@contoso.com (x@example.org)},
 * {@code From: x@example.org, ceo@contoso.com}, two From fields, {@code From : ...} and
 * {@code ceo@contoso.com.} are all the claim they look like. A message without any From field claims
 * nothing and passes (decision 0011). SMTP has one reply for the whole DATA, so one opted-in tenant's
 * refusal refuses the transaction (docs/decisions/connectors-header-from-refuses-whole-message.md). The
 * refusal goes to the {@link RefusalLog} of every recipient's tenant, not to message trace.
 */
public final class HeaderFromCheck implements Stage {
    private final Directory directory;
    private final RefusalLog refusals;

    /** @param refusals where refusals are logged; null for none (unit tests) */
    public HeaderFromCheck(Directory directory, RefusalLog refusals) {
        this.directory = directory;
        this.refusals = refusals;
    }

    @Override
    public Refusal apply(Accepting m) {
        HeaderFrom from = null;
        boolean refused = false;
        for (Accepting.Recipient r : m.recipients()) {
            long tenant = r.row().tenantId();
            if (!anonymousDefault(r) || !directory.settings(tenant).rejectDirectSendHeaderFrom()) continue;
            if (from == null) from = m.stored().headerFrom();
            if (claimsOwnDomain(from, tenant)) { refused = true; break; }
        }
        if (!refused) return null;
        Refusal refusal = new Refusal(RecipientAttribution.DIRECT_SEND, RefusalReason.REJECT_DIRECT_SEND_HEADER_FROM);
        if (refusals != null) {
            // every recipient's tenant sees that its mail was refused (SMTP has one reply for the whole DATA)
            Instant now = Instant.now();
            for (Accepting.Recipient r : m.recipients()) {
                refusals.record(new RefusalLog.Refusal(r.row().tenantId(), now, m.client().ipText(), m.client().helo(),
                        m.client().tlsProtocol(), m.mailFrom(), r.row().address(), refusal.reason(), refusal.reply().toString(), null));
            }
        }
        return refusal;
    }

    private static boolean anonymousDefault(Accepting.Recipient r) {
        return "".equals(r.row().inboundConnector()) && r.row().directionality() == dev.gatehouse.mail.Directionality.Incoming;
    }

    /** The From names one of the tenant's accepted domains, or has a From field in which no address can be read. */
    boolean claimsOwnDomain(HeaderFrom from, long tenantId) {
        if (from.unparseable()) return true;
        for (String d : from.domains()) if (directory.isAcceptedDomain(tenantId, d)) return true;
        return false;
    }
}
