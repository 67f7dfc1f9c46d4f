// The verdict of the directory on one RCPT TO address.
package dev.gatehouse.directory;

/** Closed set: no tenant accepts the domain; the tenant is found but not the recipient; or accepted. */
public sealed interface RecipientResolution {

    /** No tenant has the domain (or a MatchSubDomains parent of it) as an accepted domain. */
    record NoTenant() implements RecipientResolution {}

    /** The domain is Authoritative in this tenant and no mailbox has the address (DBEB: 550 5.4.1). */
    record UnknownRecipient(long tenantId) implements RecipientResolution {}

    /**
     * @param domainName       the accepted domain that matched (the parent for a MatchSubDomains match)
     * @param mailboxId        the mailbox, or null for an unknown address in an InternalRelay domain
     * @param canonicalAddress the mailbox's primary address, or the given address lower-cased
     */
    record Accepted(long tenantId, String tenantGuid, String domainName, DomainType domainType, Long mailboxId,
                    String canonicalAddress) implements RecipientResolution {}
}
