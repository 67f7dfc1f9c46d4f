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
                .handler((p, ctx) -> {
                    Tenant t = ctx.requireTenant("Get-OrganizationConfig");
                    return List.of(view(t, ctx.services().orgConfig().get(t.id())));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Set-OrganizationConfig")
                .synopsis("Changes the organization's settings.")
                .parameter(ParameterDefinition.of(REJECT_DIRECT_SEND, ParameterType.bool())
                        .describedAs("Refuse anonymous mail whose MAIL FROM domain is one of the organization's accepted domains (550 5.7.68)"))
                .parameter(ParameterDefinition.of(REJECT_DIRECT_SEND_HEADER_FROM, ParameterType.bool())
                        .describedAs("Beyond Exchange: also refuse anonymous mail whose header From domain is an accepted domain (550 5.7.68)"))
                .supportsShouldProcess()
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
