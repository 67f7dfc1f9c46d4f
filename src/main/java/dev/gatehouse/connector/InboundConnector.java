// An inbound connector of one tenant, with Exchange Online's property names (spec §3.1).
package dev.gatehouse.connector;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code inbound_connectors}. Lists are normalised: domains lower case (A-labels, {@code *} and
 * {@code *.domain} kept as written), IPs as {@code a.b.c.d} or {@code a.b.c.d/nn}.
 *
 * @param TlsSenderCertificateName      null when the connector does not match by certificate name
 * @param TlsSenderCertificateThumbprint SHA-256 of the sender's leaf certificate (64 lower-case hex), or null;
 *                                      beyond Exchange: a pinned certificate needs no CA and no name
 * @param EFSkipIPs                     Enhanced Filtering: the public addresses to skip when looking for the original
 *                                      client (an address, a range a-b or a CIDR block, IPv4 or IPv6, as written);
 *                                      used only while {@code EFSkipLastIP} is false
 * @param EFSkipLastIP                  Enhanced Filtering: skip only the last hop (the connecting server)
 * @param EFUsers                       Enhanced Filtering applies only when every recipient is one of these; empty = all
 */
public record InboundConnector(long id, long tenantId, String Guid, String Name, ConnectorType ConnectorType,
                               List<String> SenderDomains, List<String> SenderIPAddresses,
                               boolean RestrictDomainsToIPAddresses, String TlsSenderCertificateName,
                               boolean RestrictDomainsToCertificate, boolean RequireTls, boolean Enabled,
                               boolean TreatMessagesAsInternal, boolean CloudServicesMailEnabled,
                               List<String> AssociatedAcceptedDomains, String Comment,
                               String TlsSenderCertificateThumbprint, List<String> EFSkipIPs, boolean EFSkipLastIP,
                               List<String> EFUsers, Instant WhenCreated, Instant WhenChanged) {
    public InboundConnector {
        SenderDomains = List.copyOf(SenderDomains);
        SenderIPAddresses = List.copyOf(SenderIPAddresses);
        AssociatedAcceptedDomains = List.copyOf(AssociatedAcceptedDomains);
        EFSkipIPs = List.copyOf(EFSkipIPs);
        EFUsers = List.copyOf(EFUsers);
    }

    /**
     * Enhanced Filtering for Connectors is on (spec §3.1): {@code EFSkipLastIP $true}, or {@code $false} with a non-empty
     * {@code EFSkipIPs} (an empty list turns it off).
     */
    public boolean enhancedFiltering() { return EFSkipLastIP || !EFSkipIPs.isEmpty(); }

    public String Identity() { return Name; }

    /** True when the connector can be matched by the sender's IP address. */
    public boolean matchesByIp() { return !SenderIPAddresses.isEmpty(); }

    /** True when the connector can be matched by the sender's certificate (name or pinned thumbprint). */
    public boolean matchesByCertificate() { return TlsSenderCertificateName != null || TlsSenderCertificateThumbprint != null; }

    /** Whether {@code SenderDomains} covers the MAIL FROM domain ("" for the null sender: only {@code *}). */
    public boolean coversSenderDomain(String domain) {
        for (String pattern : SenderDomains) if (DomainPattern.matches(pattern, domain)) return true;
        return false;
    }

    /** Whether the recipient's accepted domain is in scope ({@code AssociatedAcceptedDomains} empty = all). */
    public boolean coversRecipientDomain(String acceptedDomain) {
        if (AssociatedAcceptedDomains.isEmpty()) return true;
        for (String d : AssociatedAcceptedDomains) if (d.equalsIgnoreCase(acceptedDomain)) return true;
        return false;
    }
}
