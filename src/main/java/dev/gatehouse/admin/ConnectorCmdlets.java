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
 * {@code TlsSenderCertificateThumbprint}), and {@code Get-DirectSendReport -StartDate -EndDate}. Thin: bind,
 * call {@link InboundConnectorService} (which validates), show {@link InboundConnectorView}.
 */
final class ConnectorCmdlets {

    private ConnectorCmdlets() {}

    /** What Get-InboundConnector shows. */
    public record InboundConnectorView(String Name, String ConnectorType, boolean Enabled, List<String> SenderDomains,
                                       List<String> SenderIPAddresses, boolean RestrictDomainsToIPAddresses,
                                       String TlsSenderCertificateName, boolean RestrictDomainsToCertificate,
                                       String TlsSenderCertificateThumbprint, boolean RequireTls, boolean TreatMessagesAsInternal,
                                       boolean CloudServicesMailEnabled, List<String> AssociatedAcceptedDomains, String Comment,
                                       String Guid, Instant WhenCreated, Instant WhenChanged, String Identity) {
        static InboundConnectorView of(InboundConnector c) {
            return new InboundConnectorView(c.Name(), c.ConnectorType().name(), c.Enabled(), c.SenderDomains(), c.SenderIPAddresses(),
                    c.RestrictDomainsToIPAddresses(), c.TlsSenderCertificateName(), c.RestrictDomainsToCertificate(),
                    c.TlsSenderCertificateThumbprint(), c.RequireTls(), c.TreatMessagesAsInternal(), c.CloudServicesMailEnabled(),
                    c.AssociatedAcceptedDomains(), c.Comment(), c.Guid(), c.WhenCreated(), c.WhenChanged(), c.Name());
        }
    }

    private static InboundConnectorService service(AdminContext ctx) { return new InboundConnectorService(ctx.services().store()); }

    private static CmdletDefinition.Builder<AdminContext> properties(CmdletDefinition.Builder<AdminContext> b) {
        return b.parameter(ParameterDefinition.of("ConnectorType", ParameterType.enumOf(ConnectorType.class)))
                .parameter(ParameterDefinition.of("SenderDomains", ParameterType.multiValued()))
                .parameter(ParameterDefinition.of("SenderIPAddresses", ParameterType.multiValued()))
                .parameter(ParameterDefinition.of("RestrictDomainsToIPAddresses", ParameterType.bool()))
                .parameter(ParameterDefinition.of("TlsSenderCertificateName", ParameterType.string()))
                .parameter(ParameterDefinition.of("RestrictDomainsToCertificate", ParameterType.bool()))
                .parameter(ParameterDefinition.of("TlsSenderCertificateThumbprint", ParameterType.string())
                        .describedAs("Beyond Exchange: the SHA-256 fingerprint of the sender's certificate; a pinned certificate needs no CA"))
                .parameter(ParameterDefinition.of("RequireTls", ParameterType.bool()))
                .parameter(ParameterDefinition.of("Enabled", ParameterType.bool()))
                .parameter(ParameterDefinition.of("TreatMessagesAsInternal", ParameterType.bool()))
                .parameter(ParameterDefinition.of("CloudServicesMailEnabled", ParameterType.bool()))
                .parameter(ParameterDefinition.of("AssociatedAcceptedDomains", ParameterType.multiValued()))
                .parameter(ParameterDefinition.of("Comment", ParameterType.string()))
                .supportsShouldProcess();
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
                cleared(p, "Comment"), cleared(p, "TlsSenderCertificateThumbprint"));
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
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0)))
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("New-InboundConnector");
                    if (!p.shouldProcess(p.string("Name"))) return List.of();
                    return List.of(InboundConnectorView.of(call(() -> service(ctx).create(t, settings(p, p.string("Name"), null)))));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-InboundConnector")
                .synopsis("Lists the organization's inbound connectors, or shows one.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName())
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-InboundConnector");
                    if (p.has("Identity")) return List.of(InboundConnectorView.of(call(() -> service(ctx).get(t, p.string("Identity")))));
                    return service(ctx).list(t).stream().map(InboundConnectorView::of).toList();
                }).build());
        r.register(properties(CmdletDefinition.<AdminContext>builder("Set-InboundConnector")
                .synopsis("Changes an inbound connector; the next SMTP transaction uses the change.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName())
                .parameter(ParameterDefinition.of("Name", ParameterType.string())))
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Set-InboundConnector");
                    InboundConnector c = call(() -> service(ctx).get(t, p.string("Identity")));
                    if (!p.shouldProcess(c.Name())) return List.of();
                    call(() -> service(ctx).set(t, c.Name(), settings(p, p.string("Name"), c)));
                    return List.of();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Remove-InboundConnector")
                .synopsis("Removes an inbound connector.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName())
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
                        + " that RejectDirectSend would refuse.")
                .parameter(ParameterDefinition.of("StartDate", ParameterType.dateTime()))
                .parameter(ParameterDefinition.of("EndDate", ParameterType.dateTime()))
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-DirectSendReport");
                    Instant end = p.find("EndDate", OffsetDateTime.class).map(OffsetDateTime::toInstant).orElse(Instant.now());
                    Instant start = p.find("StartDate", OffsetDateTime.class).map(OffsetDateTime::toInstant)
                            .orElse(end.minus(java.time.Duration.ofDays(10)));
                    if (!start.isBefore(end)) throw new CmdletException("-StartDate must be earlier than -EndDate");
                    return List.copyOf(new DirectSendReport(ctx.services().store()).run(t, start, end));
                }).build());
    }
}
