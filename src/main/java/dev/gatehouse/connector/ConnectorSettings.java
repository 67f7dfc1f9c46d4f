// The settable properties of New-/Set-InboundConnector; null means "not given" (New: default, Set: unchanged).
package dev.gatehouse.connector;

import java.util.List;

/** Raw values as the admin gave them; {@link InboundConnectorService} validates and normalises them. */
public record ConnectorSettings(String Name, ConnectorType ConnectorType, List<String> SenderDomains,
                                List<String> SenderIPAddresses, Boolean RestrictDomainsToIPAddresses,
                                String TlsSenderCertificateName, Boolean RestrictDomainsToCertificate, Boolean RequireTls,
                                Boolean Enabled, Boolean TreatMessagesAsInternal, Boolean CloudServicesMailEnabled,
                                List<String> AssociatedAcceptedDomains, String Comment, String TlsSenderCertificateThumbprint,
                                List<String> EFSkipIPs, Boolean EFSkipLastIP, List<String> EFUsers) {

    /** Without the Enhanced Filtering properties (unchanged on Set, off on New). */
    public ConnectorSettings(String Name, ConnectorType ConnectorType, List<String> SenderDomains, List<String> SenderIPAddresses,
                             Boolean RestrictDomainsToIPAddresses, String TlsSenderCertificateName, Boolean RestrictDomainsToCertificate,
                             Boolean RequireTls, Boolean Enabled, Boolean TreatMessagesAsInternal, Boolean CloudServicesMailEnabled,
                             List<String> AssociatedAcceptedDomains, String Comment, String TlsSenderCertificateThumbprint) {
        this(Name, ConnectorType, SenderDomains, SenderIPAddresses, RestrictDomainsToIPAddresses, TlsSenderCertificateName,
                RestrictDomainsToCertificate, RequireTls, Enabled, TreatMessagesAsInternal, CloudServicesMailEnabled,
                AssociatedAcceptedDomains, Comment, TlsSenderCertificateThumbprint, null, null, null);
    }

    /** Nothing given. */
    public static ConnectorSettings none() {
        return new ConnectorSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** For properties that may be cleared with {@code $null}: the value, or "" meaning "clear". */
    public static final String CLEAR = "";
}
