package dev.gatehouse.admin;

import static dev.gatehouse.admin.AdminContext.call;

import java.util.List;

import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletException;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.directory.Tenant;

/**
 * Operator cmdlets: organizations (tenants) and admin API tokens. A tenant admin token can't run the
 * tenant cmdlets; it may list and revoke its own organization's tokens but never create tokens.
 */
final class TenantCmdlets {

    private TenantCmdlets() {}

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(CmdletDefinition.<AdminContext>builder("New-Tenant").operatorOnly()
                .synopsis("Creates an organization (tenant).")
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0)
                        .describedAs("The organization's name, unique on this gateway (not case-sensitive). It is what the shell's "
                                + "--tenant and the REST API's /adminapi/v1/{tenant}/ name. Beyond Exchange: Exchange Online tenants "
                                + "are created by Microsoft, not by a cmdlet."))
                .supportsShouldProcess()
                .example("New-Tenant Northwind", "Creates the organization Northwind; then add its accepted domains and mailboxes "
                        + "with gatehouse shell --tenant Northwind.")
                .handler((p, ctx) -> {
                    if (!p.shouldProcess(p.string("Name"))) return List.of();
                    return List.of(Views.Organization.of(call(() -> ctx.services().tenants().create(p.string("Name")))));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-Tenant").operatorOnly()
                .synopsis("Lists organizations, or shows one.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName()
                        .describedAs("The organization's name or Guid. Without it, every organization is listed."))
                .example("Get-Tenant", "Lists every organization on the gateway with its Guid.")
                .example("Get-Tenant Contoso | Format-List", "Shows the organization Contoso.")
                .handler((p, ctx) -> {
                    if (p.has("Identity")) return List.of(Views.Organization.of(call(() -> ctx.services().tenants().get(p.string("Identity")))));
                    return ctx.services().tenants().list().stream().map(Views.Organization::of).toList();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Remove-Tenant").operatorOnly()
                .synopsis("Removes an organization with its domains, mailboxes, settings and tokens.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName()
                        .describedAs("The organization's name or Guid. Its accepted domains, mailboxes and organization settings are "
                                + "removed with it and its admin tokens revoked; mail already queued stays."))
                .example("Remove-Tenant Northwind -WhatIf", "Shows what would be removed without removing anything.")
                .example("Remove-Tenant Northwind -Confirm:$false", "Removes the organization Northwind (Gatehouse never prompts; "
                        + "-Confirm:$false is accepted for Exchange scripts).")
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    Tenant t = call(() -> ctx.services().tenants().get(p.string("Identity")));
                    if (!p.shouldProcess(t.Name())) return List.of();
                    for (AdminToken tok : ctx.services().tokens().list(new Principal.TenantAdmin("operator", t.id()))) {
                        if (!tok.Revoked()) ctx.services().tokens().revoke(new Principal.TenantAdmin("operator", t.id()), tok.Identity());
                    }
                    AdminContext.run(() -> ctx.services().tenants().remove(t.id()));
                    return List.of();
                }).build());

        r.register(CmdletDefinition.<AdminContext>builder("New-AdminToken").operatorOnly()
                .synopsis("Creates an admin API token for one organization (or, with -Operator, for all). The token is shown once.")
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0)
                        .describedAs("A label for the token (who or what uses it), shown by Get-AdminToken and in the audit log; "
                                + "the token itself is shown once, in the Token property of the result."))
                .parameter(ParameterDefinition.of("Organization", ParameterType.string())
                        .describedAs("The organization (name or Guid) the token may administer. Default: the current one (--tenant). "
                                + "Can't be combined with -Operator."))
                .parameter(ParameterDefinition.of("Operator", ParameterType.switchParameter())
                        .describedAs("Creates an operator token instead, valid for every organization and for the operator-only "
                                + "cmdlets (New-Tenant, New-AdminToken, ...)."))
                .supportsShouldProcess()
                .example("New-AdminToken \"Contoso automation\"", "Creates a token for the current organization (Contoso). Copy "
                        + "its Token value now: only its hash is kept.")
                .example("New-AdminToken \"Fabrikam helpdesk\" -Organization Fabrikam",
                        "Creates a token that can administer Fabrikam only; a tenant admin token can't run operator cmdlets.")
                .example("New-AdminToken \"Backup operator\" -Operator", "Creates a second operator token (every organization).")
                .handler((p, ctx) -> {
                    Long tenantId;
                    if (p.isSet("Operator")) {
                        if (p.has("Organization")) throw new CmdletException("-Operator and -Organization can't be combined.");
                        tenantId = null;
                    } else if (p.has("Organization")) {
                        tenantId = call(() -> ctx.services().tenants().get(p.string("Organization"))).id();
                    } else {
                        tenantId = ctx.tenantId("New-AdminToken");
                    }
                    if (!p.shouldProcess(p.string("Name"))) return List.of();
                    return List.of(call(() -> ctx.services().tokens().create(tenantId, p.string("Name"))));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-AdminToken")
                .synopsis("Lists admin API tokens (names and state, never the tokens).")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0)
                        .describedAs("The token's Name or Identity (a Guid). Without it, every token you may see is listed: the "
                                + "operator sees the current organization's (or all, without --tenant), a tenant admin its own."))
                .example("Get-AdminToken", "Lists the tokens of the current organization, revoked ones included.")
                .example("Get-AdminToken \"Contoso automation\" | Format-List", "Shows one token's owner, scope and state.")
                .handler((p, ctx) -> {
                    if (!p.has("Identity")) return ctx.services().tokens().list(scope(ctx));
                    return find(ctx, p.string("Identity"));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Remove-AdminToken")
                .synopsis("Revokes an admin API token.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName()
                        .describedAs("The token's Name or Identity (a Guid). The token stops working at once; it is kept, revoked, "
                                + "so the audit log still names it."))
                .example("Remove-AdminToken \"Contoso automation\"", "Revokes the token named Contoso automation.")
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    // Look the token up first, so -WhatIf on a token the caller can't see is "not found" too.
                    AdminToken match = find(ctx, p.string("Identity")).getFirst();
                    if (!p.shouldProcess(match.Name())) return List.of();
                    call(() -> ctx.services().tokens().revoke(scope(ctx), match.Identity()));
                    return List.of();
                }).build());
    }

    /** The tokens the caller may see whose guid or name is {@code identity}; not found when there are none. */
    private static List<AdminToken> find(AdminContext ctx, String identity) {
        var match = ctx.services().tokens().list(scope(ctx)).stream()
                .filter(t -> t.Identity().equalsIgnoreCase(identity) || t.Name().equalsIgnoreCase(identity)).toList();
        if (match.isEmpty()) throw CmdletException.notFound("The admin token '" + identity + "' couldn't be found.");
        return match;
    }

    /** The operator sees every token, or the chosen organization's; a tenant admin only its own. */
    private static Principal scope(AdminContext ctx) {
        if (ctx.principal() instanceof Principal.TenantAdmin ta) return ta;
        Tenant t = ctx.currentTenant();
        return t == null ? ctx.principal() : new Principal.TenantAdmin(ctx.principal().name(), t.id());
    }
}
