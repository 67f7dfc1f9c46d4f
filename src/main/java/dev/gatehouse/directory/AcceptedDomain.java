// An accepted domain of a tenant, with Exchange's property names.
package dev.gatehouse.directory;

import java.time.Instant;

/** @param DomainName lower case, A-labels; unique across all tenants */
public record AcceptedDomain(long id, long tenantId, String Name, String DomainName, DomainType DomainType,
                             boolean MatchSubDomains, Instant WhenCreated) {
    public String Identity() { return Name; }
}
