// Beyond Exchange (opt-in, -RejectDirectSendHeaderFrom): the RejectDirectSend test applied to the header From.
package dev.gatehouse.server;

import java.util.Locale;

import dev.gatehouse.attribution.RecipientAttribution;
import dev.gatehouse.smtp.MailTransaction;
import dev.gatehouse.smtp.SmtpReply;

/**
 * Closes the P2 gap of spec §11: anonymous mail (default connector, Incoming) whose {@code From:} domain is an
 * accepted domain of a recipient's tenant that opted in is refused with the 5.7.68 reply at end of data.
 * SMTP has one reply for the whole DATA, so one opted-in tenant's refusal refuses the transaction
 * (docs/decisions/connectors-header-from-refuses-whole-message.md). Like RejectDirectSend, no trace record.
 */
final class HeaderFromCheck {
    private HeaderFromCheck() {}

    static SmtpReply refusal(RecipientAttribution attribution, MailTransaction tx, String headerFrom) {
        String domain = domainOf(headerFrom);
        if (domain == null) return null;
        for (MailTransaction.AcceptedRecipient r : tx.recipients()) {
            var route = (RecipientAttribution.Route) r.route();
            var a = route.attribution();
            if (!a.connector().isEmpty() || !"Incoming".equals(a.directionality())) continue;
            if (attribution.rejectsDirectSendHeaderFrom(route.tenantId()) && attribution.isAcceptedDomain(route.tenantId(), domain)) {
                return RecipientAttribution.DIRECT_SEND;
            }
        }
        return null;
    }

    /** The domain of the (first) address in a decoded From field, or null. */
    static String domainOf(String from) {
        if (from == null) return null;
        String s = from;
        int lt = s.lastIndexOf('<');
        int gt = s.lastIndexOf('>');
        if (lt >= 0 && gt > lt) s = s.substring(lt + 1, gt);
        else {
            int comma = s.indexOf(',');
            if (comma >= 0) s = s.substring(0, comma);
        }
        int at = s.lastIndexOf('@');
        if (at < 0) return null;
        String d = s.substring(at + 1).strip();
        int end = 0;
        while (end < d.length() && (Character.isLetterOrDigit(d.charAt(end)) || d.charAt(end) == '.' || d.charAt(end) == '-')) end++;
        d = d.substring(0, end).toLowerCase(Locale.ROOT);
        return d.isEmpty() ? null : d;
    }
}
