// Where an accepted recipient goes: the route the SMTP session keeps for it from RCPT TO to end of data.
package dev.gatehouse.pipeline;

/**
 * @param tenantGuid the tenant's guid (stamps, Maildir)
 * @param address    the recipient as it resolved: a mailbox's primary address, or the address itself
 * @param mailboxId  the mailbox, or null (an InternalRelay address, or a relayed recipient)
 */
public record Route(long tenantId, String tenantGuid, String address, Long mailboxId, Attribution attribution) {
    public Route(long tenantId, String tenantGuid, String address, Long mailboxId) {
        this(tenantId, tenantGuid, address, mailboxId, Attribution.defaultConnector(false));
    }
}
