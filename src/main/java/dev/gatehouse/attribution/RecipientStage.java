// Stage 1 of the accept path: the recipients attribution decided at RCPT TO, each with its tenant's stamp.
package dev.gatehouse.attribution;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.ProtectedHeaders;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Attribution;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.Route;
import dev.gatehouse.pipeline.Stage;
import dev.gatehouse.pipeline.Verdict;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;

/**
 * Turns the routes of the transaction into the recipients to store: one per tenant and address (a
 * recipient given twice is delivered once), Pending for local delivery or AwaitingRelay for an Originating
 * message to a domain no tenant accepts, each with its attribution and its tenant's stamp fields
 * ({@link Stamps}). A hybrid connector's {@code X-MS-Exchange-CrossPremises-*} fields are read here, from
 * the message as received, before the header firewall removes them.
 */
public final class RecipientStage implements Stage {
    private final String authSource;

    /** @param authSource the gateway's name, written as {@code AuthSource} in the stamps */
    public RecipientStage(String authSource) { this.authSource = authSource; }

    @Override
    public Refusal apply(Accepting m) {
        List<Map.Entry<String, String>> crossPremises = crossPremisesFields(m);
        Set<String> seen = new HashSet<>();
        List<Accepting.Recipient> out = new ArrayList<>(m.routes().size());
        for (Route route : m.routes()) {
            if (!seen.add(route.tenantId() + "\0" + sameMailbox(route.address()))) continue; // RCPT given twice: deliver once
            Attribution a = route.attribution();
            out.add(new Accepting.Recipient(new QueuedRecipient(route.tenantId(), route.address(), route.mailboxId(),
                    a.relay() ? RecipientStatus.AwaitingRelay : RecipientStatus.Pending, a.connector(), a.directionality(), a.authAs(),
                    a.directSend(), Stamps.of(a, route.tenantGuid(), authSource, crossPremises)), Verdict.DELIVER));
        }
        m.recipients(out);
        return null;
    }

    /**
     * One key per mailbox: the domain compared without case (RFC 5321 §2.4), the local part as written (it
     * may be case-sensitive at the next hop). Local recipients are already canonical (the directory's address).
     */
    static String sameMailbox(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at + 1) + address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }

    /** The cross-premises fields as received (name suffix → value), only when a recipient's connector promotes them. */
    private static List<Map.Entry<String, String>> crossPremisesFields(Accepting m) {
        if (m.routes().stream().noneMatch(r -> r.attribution().promotesCrossPremisesHeaders())) return List.of();
        String prefix = ProtectedHeaders.CROSS_PREMISES_PREFIX;
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (HeaderField f : m.received().fields()) {
            if (f.hasPrefix(prefix)) out.add(Map.entry(f.name().substring(prefix.length()), f.value()));
        }
        return out;
    }
}
