package dev.gatehouse.admin;

import dev.gatehouse.cmdlet.CmdletRegistry;

/**
 * The registry of every admin cmdlet, shared by the shell, scripts and the REST API, so that parsing,
 * binding, validation and tenant scoping happen in exactly one place.
 */
public final class AdminCmdlets {

    private AdminCmdlets() {}

    public static CmdletRegistry<AdminContext> registry() {
        CmdletRegistry<AdminContext> r = new CmdletRegistry<AdminContext>()
                .guard((definition, ctx) -> { if (definition.operatorOnly()) ctx.requireOperator(definition.name()); });
        TenantCmdlets.register(r);
        DirectoryCmdlets.register(r);
        OrganizationCmdlets.register(r);
        ConnectorCmdlets.register(r);
        TransportRuleCmdlets.register(r);
        QuarantineCmdlets.register(r);
        return r;
    }
}
