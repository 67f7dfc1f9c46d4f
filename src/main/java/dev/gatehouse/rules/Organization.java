// What rule evaluation needs to know about the tenant's own recipients and domains.
package dev.gatehouse.rules;

/** Answers from the directory's in-memory snapshot; never does I/O on the hot path. */
public interface Organization {
    /** The address is a mailbox of the tenant or in one of its accepted domains. */
    boolean inOrganization(long tenantId, String address);

    /** The address resolved to a recipient of this tenant (mailbox id may be null), or null when it isn't one. */
    Recipient resolve(long tenantId, String address);

    record Recipient(String address, Long mailboxId) {}
}
