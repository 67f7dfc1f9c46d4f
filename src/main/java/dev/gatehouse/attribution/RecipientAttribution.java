package dev.gatehouse.attribution;

import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.RecipientResolution;
import dev.gatehouse.smtp.MailFrom;
import dev.gatehouse.smtp.RcptDecision;
import dev.gatehouse.smtp.SessionInfo;
import dev.gatehouse.smtp.SmtpReply;

/**
 * Decides, for one RCPT TO, which tenant the recipient belongs to, or refuses it with Exchange Online's
 * reply (spec §1.2): a domain no tenant accepts is a relay attempt ({@code 550 5.7.64}); an unknown
 * address in an Authoritative domain is refused by Directory-Based Edge Blocking ({@code 550 5.4.1});
 * InternalRelay domains accept any address. Each recipient is attributed on its own, so one transaction
 * may carry recipients of several tenants. Connector selection and RejectDirectSend extend this class.
 */
public final class RecipientAttribution {

    public static final SmtpReply RELAY_DENIED = SmtpReply.of(550, "5.7.64", "TenantAttribution; Relay Access Denied");
    public static final SmtpReply UNKNOWN_RECIPIENT = SmtpReply.of(550, "5.4.1", "Recipient address rejected: Access denied");

    private final Directory directory;

    public RecipientAttribution(Directory directory) {
        this.directory = directory;
    }

    /** Where an accepted recipient goes: the route the SMTP session keeps for it. */
    public record Route(long tenantId, String tenantGuid, String address, Long mailboxId) {}

    public RcptDecision decide(SessionInfo session, MailFrom from, String recipient) {
        return switch (directory.resolveRecipient(recipient)) {
            case RecipientResolution.NoTenant n -> new RcptDecision.Reject(RELAY_DENIED);
            case RecipientResolution.UnknownRecipient u -> new RcptDecision.Reject(UNKNOWN_RECIPIENT);
            case RecipientResolution.Accepted a ->
                    new RcptDecision.Accept(new Route(a.tenantId(), a.tenantGuid(), a.canonicalAddress(), a.mailboxId()));
        };
    }
}
