package dev.gatehouse.admin;

import java.util.List;

import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.directory.OrganizationConfig;
import dev.gatehouse.directory.OrganizationSettings;
import dev.gatehouse.directory.Tenant;

/**
 * {@code Get-/Set-OrganizationConfig}: the organization-wide switches. Each setting is a typed property
 * here (name, type, default) and stored as a key in the organization config; features add theirs.
 */
final class OrganizationCmdlets {

    private OrganizationCmdlets() {}

    /** What Get-OrganizationConfig shows. */
    public record OrganizationConfigView(String Name, String Guid, boolean RejectDirectSend, boolean RejectDirectSendHeaderFrom,
                                         String Identity) {}

    static final String REJECT_DIRECT_SEND = OrganizationSettings.REJECT_DIRECT_SEND;
    static final String REJECT_DIRECT_SEND_HEADER_FROM = OrganizationSettings.REJECT_DIRECT_SEND_HEADER_FROM;

    static OrganizationConfigView view(Tenant t, OrganizationConfig c) {
        OrganizationSettings s = OrganizationSettings.of(c);
        return new OrganizationConfigView(t.Name(), t.Guid(), s.rejectDirectSend(), s.rejectDirectSendHeaderFrom(), t.Name());
    }

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(CmdletDefinition.<AdminContext>builder("Get-OrganizationConfig")
                .synopsis("Shows the organization's settings.")
                .example("Get-OrganizationConfig", "Shows the current organization's settings, RejectDirectSend among them.")
                .example("Get-OrganizationConfig | Format-List RejectDirectSend,RejectDirectSendHeaderFrom",
                        "Shows whether anonymous mail from the organization's own domains is refused.")
                .handler((p, ctx) -> {
                    Tenant t = ctx.requireTenant("Get-OrganizationConfig");
                    return List.of(view(t, ctx.services().orgConfig().get(t.id())));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Set-OrganizationConfig")
                .synopsis("Changes the organization's settings.")
                .parameter(ParameterDefinition.of(REJECT_DIRECT_SEND, ParameterType.bool())
                        .describedAs("$true refuses anonymous mail (matching no inbound connector by IP or certificate) whose MAIL "
                                + "FROM (P1) domain is one of the organization's accepted domains, or a subdomain of one with "
                                + "MatchSubDomains: 550 5.7.68 TenantInboundAttribution at RCPT TO. Like Exchange it doesn't look at "
                                + "the header From, and a refused message leaves no trace or quarantine record, only a refusal-log "
                                + "row. Default $false. Unlike Exchange, the change applies to the next SMTP transaction, not "
                                + "within 30 minutes."))
                .parameter(ParameterDefinition.of(REJECT_DIRECT_SEND_HEADER_FROM, ParameterType.bool())
                        .describedAs("Beyond Exchange: $true also refuses anonymous mail whose header From (P2) has an address in "
                                + "one of the organization's accepted domains, or none at all (550 5.7.68 at the end of DATA); "
                                + "this covers the spoof that RejectDirectSend lets through (an outside MAIL FROM with your domain "
                                + "in From). Default $false."))
                .supportsShouldProcess()
                .example("Set-OrganizationConfig -RejectDirectSend $true",
                        "Refuses Direct Send: anonymous mail that claims one of your domains as MAIL FROM. Run "
                                + "Get-DirectSendReport first to find scanners and apps that still need a connector.")
                .example("Set-OrganizationConfig -RejectDirectSendHeaderFrom $true",
                        "Also refuses anonymous mail whose header From shows one of your domains.")
                .handler((p, ctx) -> {
                    Tenant t = ctx.requireTenant("Set-OrganizationConfig");
                    if (!p.shouldProcess(t.Name())) return List.of();
                    if (p.has(REJECT_DIRECT_SEND)) {
                        Boolean v = p.get(REJECT_DIRECT_SEND, Boolean.class);
                        AdminContext.call(() -> ctx.services().orgConfig().set(t.id(), REJECT_DIRECT_SEND, String.valueOf(Boolean.TRUE.equals(v))));
                    }
                    if (p.has(REJECT_DIRECT_SEND_HEADER_FROM)) {
                        Boolean v = p.get(REJECT_DIRECT_SEND_HEADER_FROM, Boolean.class);
                        AdminContext.call(() -> ctx.services().orgConfig().set(t.id(), REJECT_DIRECT_SEND_HEADER_FROM, String.valueOf(Boolean.TRUE.equals(v))));
                    }
                    return List.of();
                }).build());
    }
}
