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
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0).describedAs("The organization's unique name"))
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    if (!p.shouldProcess(p.string("Name"))) return List.of();
                    return List.of(Views.Organization.of(call(() -> ctx.services().tenants().create(p.string("Name")))));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-Tenant").operatorOnly()
                .synopsis("Lists organizations, or shows one.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName())
                .handler((p, ctx) -> {
                    if (p.has("Identity")) return List.of(Views.Organization.of(call(() -> ctx.services().tenants().get(p.string("Identity")))));
                    return ctx.services().tenants().list().stream().map(Views.Organization::of).toList();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Remove-Tenant").operatorOnly()
                .synopsis("Removes an organization with its domains, mailboxes, settings and tokens.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName())
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
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0))
                .parameter(ParameterDefinition.of("Organization", ParameterType.string()).describedAs("The organization; default: the current one"))
                .parameter(ParameterDefinition.of("Operator", ParameterType.switchParameter()).describedAs("An operator token (all organizations)"))
                .supportsShouldProcess()
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
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0))
                .handler((p, ctx) -> {
                    if (!p.has("Identity")) return ctx.services().tokens().list(scope(ctx));
                    return find(ctx, p.string("Identity"));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Remove-AdminToken")
                .synopsis("Revokes an admin API token.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName())
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
