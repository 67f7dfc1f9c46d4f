// Turns one committed event into the hunting rows it stands for (a copy's accept, a quarantine release).
package dev.gatehouse.hunting;

import java.util.List;
import java.util.Locale;

import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;

import dev.gatehouse.mail.Addresses;
import dev.gatehouse.mail.Text;
import dev.gatehouse.queue.EventFeed;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.TraceRow;
import dev.gatehouse.trace.TraceEvents;

/**
 * The column values and why each is what it is are in decision 0016 (docs/decisions/0016-hunting-tables.md). In short:
 * one EmailEvents row per recipient copy, its verdict as the accept decided it (the Receive event and the events the
 * pipeline wrote with it); one EmailAttachmentInfo row per attachment per copy; one EmailUrlInfo row per URL per
 * message (on the tenant's first copy); one EmailPostDeliveryEvents row per release. Strings Gatehouse can't know yet
 * (threats, Entra object ids, language) are "", numbers it can't know are null. {@code ReportId} is the event's id
 * (with a suffix per attachment or URL), unique and the same after a rebuild.
 */
final class EmailRows {
    private EmailRows() {}

    /** Sender authentication isn't evaluated yet (SPF, DKIM, DMARC, compauth): an empty verdict list, not an invented one. */
    static final String NO_AUTHENTICATION_DETAILS = "{}";
    static final String ETR = "Enterprise Transport Rules (ETR)";
    static final String ETR_ORG_POLICY = "Exchange transport rule";

    /** What the accept decided for one copy, in Defender's words. */
    record Outcome(String deliveryAction, String deliveryLocation, String emailAction, String emailActionPolicy, String policyGuid,
                   String orgLevelAction, String orgLevelPolicy) {}

    /** The sender fields of the header From: the first address and its display name (decoded, as the message model reads it). */
    record Sender(String address, String displayName) {}

    /**
     * The verdict for the copy: a quarantine, a delete, a rejection or a redirect by an enforced mail flow rule blocks
     * it; otherwise it is delivered to the mailbox, or relayed when it has none. The action shown is the strongest of
     * the enforced rule actions (quarantine, delete/reject, redirect, Bcc, subject, header); a rule in a test mode acts
     * on nothing and shows nothing.
     */
    static Outcome outcome(List<MessageTraceEvent> acceptEvents, Long mailboxId) {
        String strongest = null;
        String guid = "";
        boolean quarantined = false, dropped = false, redirected = false;
        for (MessageTraceEvent e : acceptEvents) {
            switch (e.event()) {
                case Quarantine -> quarantined = true;
                case Drop, Fail -> dropped = true;
                case Redirect -> redirected = true;
                case RuleAction -> {
                    String data = e.detail() == null ? "" : e.detail();
                    if (!"Enforce".equals(TraceEvents.field(data, "mode"))) continue;
                    String action = emailAction(TraceEvents.field(data, "action"));
                    if (action != null && rank(action) > rank(strongest)) {
                        strongest = action;
                        guid = TraceEvents.field(data, "ruleId");
                    }
                }
                default -> { }
            }
        }
        String action = quarantined ? "Blocked" : dropped || redirected ? "Blocked" : "Delivered";
        String location = quarantined ? "Quarantine" : dropped || redirected ? "Dropped" : mailboxId != null ? "Inbox/Folder" : "On-premises/External";
        if (strongest == null) return new Outcome(action, location, "No action taken", "", "", "", "");
        String org = switch (strongest) {
            case "send to quarantine" -> "Quarantine";
            case "Delete message" -> "Block";
            default -> "";
        };
        return new Outcome(action, location, strongest, ETR, guid, org, org.isEmpty() ? "" : ETR_ORG_POLICY);
    }

    /** Defender's EmailAction for a mail flow rule action (Exchange's action name), or null when it has none. */
    static String emailAction(String ruleAction) {
        return switch (ruleAction) {
            case "Quarantine" -> "send to quarantine";
            case "DeleteMessage", "RejectMessage" -> "Delete message";
            case "RedirectMessage" -> "Redirect message";
            case "BlindCopyTo" -> "Bcc message";
            case "PrependSubject" -> "Modify subject";
            case "SetHeader" -> "Add X-header";
            default -> null;
        };
    }

    private static int rank(String emailAction) {
        if (emailAction == null) return 0;
        return switch (emailAction) {
            case "send to quarantine" -> 6;
            case "Delete message" -> 5;
            case "Redirect message" -> 4;
            case "Bcc message" -> 3;
            case "Modify subject" -> 2;
            default -> 1;
        };
    }

    /** Inbound for mail from outside, Intra-org for the tenant's own mail to its accepted domains, else Outbound. */
    static String direction(String directionality, boolean toAcceptedDomain) {
        if (!"Originating".equals(directionality)) return "Inbound";
        return toAcceptedDomain ? "Intra-org" : "Outbound";
    }

    static Sender sender(String headerFrom) {
        if (headerFrom == null || headerFrom.isBlank()) return new Sender("", "");
        try {
            for (Address a : Text.mime4jAddressList(headerFrom)) {
                Mailbox m = a instanceof Mailbox mb ? mb : a instanceof Group g && !g.getMailboxes().isEmpty() ? g.getMailboxes().get(0) : null;
                if (m != null && m.getLocalPart() != null && m.getDomain() != null) {
                    return new Sender(m.getAddress(), m.getName() == null ? "" : m.getName());
                }
            }
        } catch (RuntimeException unreadable) {
            // fall back to the address scan below: a From no parser reads still names whatever address it holds
        }
        var found = Addresses.scan(headerFrom);
        return new Sender(found.isEmpty() ? "" : found.iterator().next(), "");
    }

    /** One EmailEvents row in schema order; {@code from} is {@link #sender} of the copy's header From (parsed once per copy). */
    static Object[] emailEvent(EventFeed.Entry e, Sender from, boolean toAcceptedDomain, ContentFacts facts) {
        TraceRow c = e.copy().copy();
        Outcome o = outcome(e.acceptEvents(), e.mailboxId());
        String ip = c.clientIp() == null ? "" : c.clientIp();
        boolean v6 = ip.indexOf(':') >= 0;
        String mailFrom = c.sender() == null ? "" : c.sender();
        return new Object[] {
                c.received(), c.networkMessageId(), c.internetMessageId(), mailFrom, from.address(),
                from.displayName(), "", domain(mailFrom), domain(from.address()), v6 ? "" : ip, v6 ? ip : "",
                c.recipient(), "", c.subject(), null, direction(c.directionality(), toAcceptedDomain), o.deliveryAction(),
                o.deliveryLocation(), "", "", "", "", null,
                o.emailAction(), o.emailActionPolicy(), o.policyGuid(), NO_AUTHENTICATION_DETAILS, facts == null ? null : facts.attachments().size(),
                facts == null ? null : facts.urls().size(), "", c.inboundConnector(), o.orgLevelAction(), o.orgLevelPolicy(), "", "",
                Long.toString(e.id()), "", o.deliveryLocation(), o.deliveryAction()};
    }

    static Object[] attachment(EventFeed.Entry e, Sender from, ContentFacts.Attachment a, int index) {
        TraceRow c = e.copy().copy();
        return new Object[] {c.received(), c.networkMessageId(), from.address(), from.displayName(), "", c.recipient(), "",
                a.fileName(), a.fileType(), a.sha256(), a.fileSize(), "", "", "", e.id() + "-" + (index + 1)};
    }

    static Object[] url(EventFeed.Entry e, ContentFacts.Url u, int index) {
        TraceRow c = e.copy().copy();
        return new Object[] {c.received(), c.networkMessageId(), u.url(), u.domain(), u.location(), e.id() + "-u" + (index + 1)};
    }

    /** A release from the hosted quarantine: an admin's manual remediation that put the copy in the mailbox. */
    static Object[] release(EventFeed.Entry e) {
        TraceRow c = e.copy().copy();
        return new Object[] {e.copy().at(), c.networkMessageId(), c.internetMessageId(), "Quarantine release", "Manual remediation",
                "AdminAction", "Success", e.copy().copy().recipient(), e.mailboxId() != null ? "Inbox/Folder" : "On-premises/External",
                "", "", Long.toString(e.id())};
    }

    private static String domain(String address) {
        return Addresses.domainOf(address).toLowerCase(Locale.ROOT);
    }
}
