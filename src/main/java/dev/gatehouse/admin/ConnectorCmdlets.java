// New-/Get-/Set-/Remove-InboundConnector and Get-DirectSendReport: the admin cmdlets of inbound connectors.
package dev.gatehouse.admin;

import static dev.gatehouse.admin.AdminContext.call;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import dev.gatehouse.attribution.DirectSendReport;
import dev.gatehouse.cmdlet.BoundParameters;
import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletException;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.MultiValuedEdit;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.connector.ConnectorSettings;
import dev.gatehouse.connector.ConnectorType;
import dev.gatehouse.connector.InboundConnector;
import dev.gatehouse.connector.InboundConnectorService;

/**
 * {@code New-/Get-/Set-/Remove-InboundConnector} with Exchange Online's parameters (spec §3.1, plus
 * {@code TlsSenderCertificateThumbprint}; Enhanced Filtering's {@code EFSkipIPs}, {@code EFSkipLastIP}, {@code EFUsers}),
 * and {@code Get-DirectSendReport -StartDate -EndDate [-IncludeRefused]}. Thin: bind, call
 * {@link InboundConnectorService} (which validates), show {@link InboundConnectorView}, and warn about Enhanced
 * Filtering settings that do nothing.
 */
final class ConnectorCmdlets {

    private ConnectorCmdlets() {}

    /** What Get-InboundConnector shows. */
    public record InboundConnectorView(String Name, String ConnectorType, boolean Enabled, List<String> SenderDomains,
                                       List<String> SenderIPAddresses, boolean RestrictDomainsToIPAddresses,
                                       String TlsSenderCertificateName, boolean RestrictDomainsToCertificate,
                                       String TlsSenderCertificateThumbprint, boolean RequireTls, boolean TreatMessagesAsInternal,
                                       boolean CloudServicesMailEnabled, List<String> AssociatedAcceptedDomains, boolean EFSkipLastIP,
                                       List<String> EFSkipIPs, List<String> EFUsers, String Comment,
                                       String Guid, Instant WhenCreated, Instant WhenChanged, String Identity) {
        static InboundConnectorView of(InboundConnector c) {
            return new InboundConnectorView(c.Name(), c.ConnectorType().name(), c.Enabled(), c.SenderDomains(), c.SenderIPAddresses(),
                    c.RestrictDomainsToIPAddresses(), c.TlsSenderCertificateName(), c.RestrictDomainsToCertificate(),
                    c.TlsSenderCertificateThumbprint(), c.RequireTls(), c.TreatMessagesAsInternal(), c.CloudServicesMailEnabled(),
                    c.AssociatedAcceptedDomains(), c.EFSkipLastIP(), c.EFSkipIPs(), c.EFUsers(), c.Comment(), c.Guid(), c.WhenCreated(),
                    c.WhenChanged(), c.Name());
        }
    }

    /**
     * What Get-DirectSendReport shows without -IncludeRefused: every row is Accepted, and the columns stay those
     * of the accepted report (no SampleRecipient); with the switch the rows are {@link DirectSendReport.Row}.
     */
    public record DirectSendView(String SenderIP, String MailFromDomain, String Outcome, int MessageCount, int RecipientCount,
                                 Instant FirstSeen, Instant LastSeen, String SampleSender) {
        static DirectSendView of(DirectSendReport.Row r) {
            return new DirectSendView(r.SenderIP(), r.MailFromDomain(), r.Outcome(), r.MessageCount(), r.RecipientCount(), r.FirstSeen(),
                    r.LastSeen(), r.SampleSender());
        }
    }

    private static final String CONNECTOR_IDENTITY = "The connector's Name or Guid, not case-sensitive.";

    private static InboundConnectorService service(AdminContext ctx) { return new InboundConnectorService(ctx.services().store()); }

    private static CmdletDefinition.Builder<AdminContext> properties(CmdletDefinition.Builder<AdminContext> b, boolean set) {
        String multi = set ? " A list replaces the current values; @{Add=...; Remove=...} edits them; $null clears them." : "";
        b.parameter(ParameterDefinition.of("ConnectorType", ParameterType.enumOf(ConnectorType.class))
                        .describedAs("Partner (the default): a partner organization or a third-party service (a scanner, an app, a "
                                + "filtering MX in front of Gatehouse); its mail stays Incoming and anonymous. OnPremises: your own "
                                + "mail servers; their mail is Originating and may relay to the internet, and with "
                                + "-CloudServicesMailEnabled or -TreatMessagesAsInternal it counts as internal."))
                .parameter(ParameterDefinition.of("SenderDomains", ParameterType.multiValued())
                        .describedAs("The MAIL FROM (P1) domains the connector accepts mail for, comma-separated: contoso.com, "
                                + "*.contoso.com (the domain and its subdomains) or * (every domain); no wildcard inside a name. "
                                + "Required on New-InboundConnector." + multi))
                .parameter(ParameterDefinition.of("SenderIPAddresses", ParameterType.multiValued())
                        .describedAs("The sending servers' IPv4 addresses, comma-separated: single addresses (198.51.100.7) or "
                                + "CIDR blocks from /24 to /32 (192.0.2.0/24). As in Exchange, no IPv6 and no a-b ranges. Mail from "
                                + "these addresses is attributed to the connector (the longest prefix wins)." + multi))
                .parameter(ParameterDefinition.of("RestrictDomainsToIPAddresses", ParameterType.bool())
                        .describedAs("Partner only. $true refuses mail for -SenderDomains that comes from any other address than "
                                + "-SenderIPAddresses (550 5.7.51 TenantInboundAttribution at RCPT TO): use it to accept mail only "
                                + "through a third-party MX gateway. Needs -SenderIPAddresses. Default $false."))
                .parameter(ParameterDefinition.of("TlsSenderCertificateName", ParameterType.string())
                        .describedAs("The name the sender's TLS certificate must carry (subject CN or a DNS SAN): "
                                + "mail.contoso.com, or *.contoso.com for the domain and its subdomains. The certificate must be "
                                + "valid and chain to a trusted CA (the JDK's, plus serve --tls-client-ca). On an OnPremises "
                                + "connector the name, or a wildcard's domain, must be an accepted domain of the organization. "
                                + "$null clears it."))
                .parameter(ParameterDefinition.of("RestrictDomainsToCertificate", ParameterType.bool())
                        .describedAs("Partner only. $true refuses mail for -SenderDomains from any server that doesn't present the "
                                + "certificate of -TlsSenderCertificateName (or -TlsSenderCertificateThumbprint): 550 5.7.51 at RCPT "
                                + "TO. Default $false."))
                .parameter(ParameterDefinition.of("TlsSenderCertificateThumbprint", ParameterType.string())
                        .describedAs("Beyond Exchange: the SHA-256 fingerprint of the sender's certificate (64 hex digits; colons "
                                + "and spaces ignored), e.g. from openssl x509 -noout -fingerprint -sha256. A pinned certificate needs "
                                + "no CA but must be within its validity period; a renewed certificate needs a new pin. $null "
                                + "clears it."))
                .parameter(ParameterDefinition.of("RequireTls", ParameterType.bool())
                        .describedAs("$true refuses mail that matches the connector but was sent without STARTTLS (530 5.7.0, "
                                + "RFC 3207's reply; Exchange doesn't document its code). Default $false when not given (the "
                                + "Exchange reference contradicts itself on the default)."))
                .parameter(ParameterDefinition.of("Enabled", ParameterType.bool())
                        .describedAs("$false keeps the connector but ignores it, as if it didn't exist: its mail falls back to the "
                                + "default connector. Default $true."))
                .parameter(ParameterDefinition.of("TreatMessagesAsInternal", ParameterType.bool())
                        .describedAs("OnPremises only, and not with -CloudServicesMailEnabled $true. $true makes mail from your "
                                + "servers internal (AuthAs Internal, Originating). Exchange warns that internal mail bypasses "
                                + "anti-spam filtering. Default $false."))
                .parameter(ParameterDefinition.of("CloudServicesMailEnabled", ParameterType.bool())
                        .describedAs("For hybrid OnPremises connectors (what Exchange's Hybrid Configuration Wizard sets): $true "
                                + "keeps the X-MS-Exchange-CrossPremises-* headers from your servers and promotes them to "
                                + "X-MS-Exchange-Organization-* (AuthAs Internal); $false removes them. Default $false."))
                .parameter(ParameterDefinition.of("AssociatedAcceptedDomains", ParameterType.multiValued())
                        .describedAs("Limits the connector to mail for recipients in these accepted domains of the organization "
                                + "(comma-separated). Default: every accepted domain. Microsoft advises using it only for testing."
                                + multi))
                .parameter(ParameterDefinition.of("Comment", ParameterType.string())
                        .describedAs("Free text for admins, at most 1024 characters; $null clears it."))
                .supportsShouldProcess();
        return enhancedFiltering(b, multi);
    }

    /** Enhanced Filtering for Connectors (skip listing): -EFSkipIPs, -EFSkipLastIP, -EFUsers. */
    private static CmdletDefinition.Builder<AdminContext> enhancedFiltering(CmdletDefinition.Builder<AdminContext> b, String multi) {
        return b.parameter(ParameterDefinition.of("EFSkipIPs", ParameterType.multiValued())
                        .describedAs("Enhanced Filtering: the public addresses of the servers in front of Gatehouse (your MX "
                                + "filtering service and its internal hops), comma-separated: an address (192.0.2.25), a range "
                                + "(192.0.2.1-192.0.2.254) or a CIDR block (192.0.2.0/24, 2001:db8::/32). Gatehouse skips these "
                                + "hops in the Received fields to find the original client, whose address SPF, DMARC and the rule "
                                + "condition -SenderIpRanges then read. Private (RFC 1918), loopback and link-local addresses are "
                                + "refused: they are always skipped. Used only while -EFSkipLastIP is $false; an empty list with "
                                + "-EFSkipLastIP $false turns Enhanced Filtering off. Once it finds an original client, a rule "
                                + "that names the gateway's own addresses in -SenderIpRanges or -ExceptIfSenderIpRanges no longer "
                                + "matches that mail." + multi))
                .parameter(ParameterDefinition.of("EFSkipLastIP", ParameterType.bool())
                        .describedAs("Enhanced Filtering: $true skips only the last hop (the server that connected to "
                                + "Gatehouse) and takes the address its Received field names as the original client; $false "
                                + "(the default) skips the addresses of -EFSkipIPs instead, and with no addresses there Enhanced "
                                + "Filtering is off."))
                .parameter(ParameterDefinition.of("EFUsers", ParameterType.multiValued())
                        .describedAs("Enhanced Filtering applies only to messages whose recipients (in this organization) are "
                                + "all in this list, comma-separated SMTP addresses, e.g. to try it on a few mailboxes first; "
                                + "any address of a mailbox stands for the mailbox. A message with any other recipient is filtered "
                                + "on the connecting address for everyone, as in Exchange. Default: every recipient." + multi));
    }

    /** The given properties; multi-valued ones applied to {@code current} (null on New). */
    private static ConnectorSettings settings(BoundParameters p, String name, InboundConnector current) {
        return new ConnectorSettings(name, p.get("ConnectorType", ConnectorType.class),
                list(p, "SenderDomains", current == null ? List.of() : current.SenderDomains()),
                list(p, "SenderIPAddresses", current == null ? List.of() : current.SenderIPAddresses()),
                p.get("RestrictDomainsToIPAddresses", Boolean.class), cleared(p, "TlsSenderCertificateName"),
                p.get("RestrictDomainsToCertificate", Boolean.class), p.get("RequireTls", Boolean.class), p.get("Enabled", Boolean.class),
                p.get("TreatMessagesAsInternal", Boolean.class), p.get("CloudServicesMailEnabled", Boolean.class),
                list(p, "AssociatedAcceptedDomains", current == null ? List.of() : current.AssociatedAcceptedDomains()),
                cleared(p, "Comment"), cleared(p, "TlsSenderCertificateThumbprint"),
                list(p, "EFSkipIPs", current == null ? List.of() : current.EFSkipIPs()), p.get("EFSkipLastIP", Boolean.class),
                list(p, "EFUsers", current == null ? List.of() : current.EFUsers()));
    }

    /** What the admin should know about the connector as saved: Enhanced Filtering settings that do nothing. */
    private static void warnings(BoundParameters p, InboundConnector c) {
        if (c.EFSkipLastIP() && !c.EFSkipIPs().isEmpty()) {
            p.writeWarning("-EFSkipIPs of '" + c.Name() + "' is kept but not used while -EFSkipLastIP is $true: only the last hop "
                    + "(and private addresses) is skipped. Set -EFSkipLastIP $false to skip the listed addresses instead.");
        }
        if (!c.enhancedFiltering() && !c.EFUsers().isEmpty()) {
            p.writeWarning("-EFUsers of '" + c.Name() + "' has no effect: Enhanced Filtering is off on this connector until "
                    + "-EFSkipLastIP is $true or -EFSkipIPs lists addresses.");
        }
    }

    /** Absent: null (unchanged); {@code $null}: empty list (cleared); a list or @{Add;Remove}: the new list. */
    private static List<String> list(BoundParameters p, String name, List<String> current) {
        if (!p.has(name)) return null;
        Object v = p.get(name);
        if (v == null) return List.of();
        return ((MultiValuedEdit) v).applyTo(current);
    }

    /** Absent: null (unchanged); {@code $null}: "" (cleared). */
    private static String cleared(BoundParameters p, String name) {
        if (!p.has(name)) return null;
        String v = p.string(name);
        return v == null ? ConnectorSettings.CLEAR : v;
    }

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(properties(CmdletDefinition.<AdminContext>builder("New-InboundConnector")
                .synopsis("Creates an inbound connector (Partner or OnPremises) matched by certificate or IP.")
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0)
                        .describedAs("The connector's name, unique in the organization; message trace and the refusal log show it.")), false)
                .example("New-InboundConnector \"Scanner\" -ConnectorType Partner -SenderDomains contoso.com -SenderIPAddresses 198.51.100.7",
                        "Lets the office scanner at 198.51.100.7 keep sending as contoso.com once RejectDirectSend is on: "
                                + "its mail is attributed to this connector, not to the default one.")
                .example("New-InboundConnector \"Hybrid\" -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com -CloudServicesMailEnabled $true",
                        "Connects your on-premises Exchange servers by certificate, as the Hybrid Configuration Wizard does: "
                                + "their mail is internal and may relay to the internet.")
                .example("New-InboundConnector \"Mail gateway\" -SenderDomains * -SenderIPAddresses 192.0.2.0/24 -RestrictDomainsToIPAddresses $true",
                        "Accepts mail only through the third-party filtering service at 192.0.2.0/24 that your MX record "
                                + "points to; anyone else gets 550 5.7.51.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("New-InboundConnector");
                    if (!p.shouldProcess(p.string("Name"))) return List.of();
                    InboundConnector created = call(() -> service(ctx).create(t, settings(p, p.string("Name"), null)));
                    warnings(p, created);
                    return List.of(InboundConnectorView.of(created));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-InboundConnector")
                .synopsis("Lists the organization's inbound connectors, or shows one.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName()
                        .describedAs(CONNECTOR_IDENTITY + " Without it, every inbound connector of the organization is listed."))
                .example("Get-InboundConnector", "Lists the organization's inbound connectors.")
                .example("Get-InboundConnector Scanner | Format-List", "Shows every setting of the connector Scanner.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-InboundConnector");
                    if (p.has("Identity")) return List.of(InboundConnectorView.of(call(() -> service(ctx).get(t, p.string("Identity")))));
                    return service(ctx).list(t).stream().map(InboundConnectorView::of).toList();
                }).build());
        r.register(properties(CmdletDefinition.<AdminContext>builder("Set-InboundConnector")
                .synopsis("Changes an inbound connector; the next SMTP transaction uses the change.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName()
                        .describedAs(CONNECTOR_IDENTITY))
                .parameter(ParameterDefinition.of("Name", ParameterType.string())
                        .describedAs("A new name for the connector, unique in the organization.")), true)
                .example("Set-InboundConnector Scanner -SenderIPAddresses @{Add='198.51.100.8'}",
                        "Adds a second scanner address to the connector and keeps the first.")
                .example("Set-InboundConnector \"Mail gateway\" -Enabled $false",
                        "Turns the lockdown off without deleting the connector: its mail falls back to the default connector.")
                .example("Get-InboundConnector | Set-InboundConnector -RequireTls $true",
                        "Requires STARTTLS on every inbound connector of the organization.")
                .example("Set-InboundConnector \"Mail gateway\" -EFSkipIPs 192.0.2.0/24 -EFUsers alice@contoso.com,bob@contoso.com",
                        "Turns on Enhanced Filtering for the gateway at 192.0.2.0/24, first only for mail to Alice and Bob: the "
                                + "gateway's hops are skipped in the Received fields, so SPF, DMARC and -SenderIpRanges judge the "
                                + "server that sent the mail to it, not the gateway.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Set-InboundConnector");
                    InboundConnector c = call(() -> service(ctx).get(t, p.string("Identity")));
                    if (!p.shouldProcess(c.Name())) return List.of();
                    warnings(p, call(() -> service(ctx).set(t, c.Name(), settings(p, p.string("Name"), c))));
                    return List.of();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Remove-InboundConnector")
                .synopsis("Removes an inbound connector.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName()
                        .describedAs(CONNECTOR_IDENTITY + " Its mail falls back to the default connector (and to RejectDirectSend) "
                                + "from the next SMTP transaction."))
                .example("Remove-InboundConnector Scanner", "Removes the connector Scanner.")
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Remove-InboundConnector");
                    InboundConnector c = call(() -> service(ctx).get(t, p.string("Identity")));
                    if (!p.shouldProcess(c.Name())) return List.of();
                    AdminContext.run(() -> service(ctx).remove(t, c.Name()));
                    return List.of();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-DirectSendReport")
                .synopsis("Lists, per sender IP and MAIL FROM domain, the anonymous mail from the organization's own domains"
                        + " that RejectDirectSend would refuse; with -IncludeRefused, also what was refused.")
                .parameter(ParameterDefinition.of("StartDate", ParameterType.dateTime())
                        .describedAs("The start of the period, e.g. 2026-11-01 or 11/01/2026 (month/day/year) or an ISO 8601 time "
                                + "(UTC unless an offset is given). Default: ten days before -EndDate. Mail and refusals are kept as "
                                + "long as message trace (--trace-retention, 90 days by default)."))
                .parameter(ParameterDefinition.of("EndDate", ParameterType.dateTime())
                        .describedAs("The end of the period, later than -StartDate; a date without a time means its midnight, so "
                                + "that day is left out (as in Exchange's reports). Default: now."))
                .parameter(ParameterDefinition.of("IncludeRefused", ParameterType.switchParameter())
                        .describedAs("Beyond Exchange, which keeps no record of them: also lists what the organization refused in "
                                + "the period, from its refusal log, grouped the same way and by Outcome: Refused 5.7.68 "
                                + "(RejectDirectSend), Refused 5.7.51 (connector restriction: a partner connector's "
                                + "RestrictDomainsTo*), Refused 530 5.7.0 (RequireTls), Refused 5.4.1 (no such recipient), all at "
                                + "RCPT TO, and Refused 5.7.68 (header From) at end of data (-RejectDirectSendHeaderFrom). The mail "
                                + "that got through keeps Outcome Accepted, and every row gains SampleRecipient. A refused message "
                                + "never existed, only its refused recipients did: RecipientCount counts them, and MessageCount "
                                + "counts distinct (sender IP, MAIL FROM, second), so attempts in the same second count once. "
                                + "Relay refusals for domains no organization accepts belong to no organization and are not shown."))
                .example("Get-DirectSendReport -StartDate 2026-11-01 -EndDate 2026-12-01",
                        "Lists, per sender IP and MAIL FROM domain, November's anonymous mail from your own domains: what "
                                + "RejectDirectSend would refuse. Give each legitimate sender a connector before turning it on.")
                .example("Get-DirectSendReport", "The same for the last ten days.")
                .example("Get-DirectSendReport -IncludeRefused",
                        "After turning RejectDirectSend on: per sender IP and MAIL FROM domain over the last ten days, what "
                                + "still got through (Outcome Accepted) beside what was refused and why, e.g. Refused 5.7.68 "
                                + "(RejectDirectSend), with a sample sender and recipient of each.")
                .example("Get-DirectSendReport -IncludeRefused | Format-Table Outcome,SenderIP,SampleSender,SampleRecipient,RecipientCount,LastSeen -AutoSize",
                        "The same as a narrower table: who is refused, from where, writing to whom, how often and when last.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-DirectSendReport");
                    Instant end = p.find("EndDate", OffsetDateTime.class).map(OffsetDateTime::toInstant).orElse(Instant.now());
                    Instant start = p.find("StartDate", OffsetDateTime.class).map(OffsetDateTime::toInstant)
                            .orElse(end.minus(java.time.Duration.ofDays(10)));
                    if (!start.isBefore(end)) throw new CmdletException("-StartDate must be earlier than -EndDate");
                    boolean refused = p.isSet("IncludeRefused");
                    List<DirectSendReport.Row> rows = new DirectSendReport(ctx.services().store()).run(t, start, end, refused);
                    return refused ? List.copyOf(rows) : rows.stream().map(DirectSendView::of).toList();
                }).build());
    }
}
