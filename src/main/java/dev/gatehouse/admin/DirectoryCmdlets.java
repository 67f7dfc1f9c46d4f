package dev.gatehouse.admin;

import static dev.gatehouse.admin.AdminContext.call;

import java.util.List;

import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.MultiValuedEdit;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.directory.DomainType;

/**
 * Accepted domains and mailboxes of the current organization, with Exchange Online's cmdlet names and
 * parameters ({@code New-AcceptedDomain -Name -DomainName -DomainType -MatchSubDomains},
 * {@code New-Mailbox -Name -PrimarySmtpAddress -EmailAddresses}). Validation lives in the services.
 */
final class DirectoryCmdlets {
    /** The audit log: every override of a safety check, with who made it. */
    private static final org.slf4j.Logger AUDIT = org.slf4j.LoggerFactory.getLogger("dev.gatehouse.audit");

    private DirectoryCmdlets() {}

    private static ParameterDefinition identity(boolean required) {
        ParameterDefinition p = ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName();
        return required ? p.required() : p;
    }

    static void register(CmdletRegistry<AdminContext> r) {
        ParameterType domainType = ParameterType.enumOf(DomainType.class);
        r.register(CmdletDefinition.<AdminContext>builder("New-AcceptedDomain")
                .synopsis("Adds an accepted domain to the organization.")
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0))
                .parameter(ParameterDefinition.of("DomainName", ParameterType.string()).required())
                .parameter(ParameterDefinition.of("DomainType", domainType))
                .parameter(ParameterDefinition.of("MatchSubDomains", ParameterType.bool()))
                .parameter(ParameterDefinition.of("AllowOverlapWithOtherOrganization", ParameterType.switchParameter())
                        .describedAs("Operator only (hosting): add a domain that is a subdomain or a parent of another organization's accepted domain"))
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("New-AcceptedDomain");
                    boolean overlap = p.isSet("AllowOverlapWithOtherOrganization");
                    if (overlap) ctx.requireOperator("New-AcceptedDomain -AllowOverlapWithOtherOrganization");
                    if (!p.shouldProcess(p.string("DomainName"))) return List.of();
                    DomainType type = p.find("DomainType", DomainType.class).orElse(DomainType.Authoritative);
                    boolean sub = p.find("MatchSubDomains", Boolean.class).orElse(false);
                    var created = call(() -> ctx.services().domains().create(t, p.string("Name"), p.string("DomainName"), type, sub, overlap));
                    if (overlap) {
                        AUDIT.warn("event=admin_override principal={} organization={} cmdlet=New-AcceptedDomain domain={}"
                                + " override=AllowOverlapWithOtherOrganization", ctx.principal().name(), t, created.DomainName());
                    }
                    return List.of(Views.AcceptedDomainView.of(created));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-AcceptedDomain")
                .synopsis("Lists the organization's accepted domains, or shows one.")
                .parameter(identity(false))
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-AcceptedDomain");
                    if (p.has("Identity")) return List.of(Views.AcceptedDomainView.of(call(() -> ctx.services().domains().get(t, p.string("Identity")))));
                    return ctx.services().domains().list(t).stream().map(Views.AcceptedDomainView::of).toList();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Set-AcceptedDomain")
                .synopsis("Changes an accepted domain's type or subdomain matching.")
                .parameter(identity(true))
                .parameter(ParameterDefinition.of("DomainType", domainType))
                .parameter(ParameterDefinition.of("MatchSubDomains", ParameterType.bool()))
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Set-AcceptedDomain");
                    var d = call(() -> ctx.services().domains().get(t, p.string("Identity")));
                    if (!p.shouldProcess(d.Name())) return List.of();
                    call(() -> ctx.services().domains().set(t, d.Name(), p.get("DomainType", DomainType.class), p.get("MatchSubDomains", Boolean.class)));
                    return List.of();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Remove-AcceptedDomain")
                .synopsis("Removes an accepted domain.")
                .parameter(identity(true))
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Remove-AcceptedDomain");
                    var d = call(() -> ctx.services().domains().get(t, p.string("Identity")));
                    if (!p.shouldProcess(d.Name())) return List.of();
                    AdminContext.run(() -> ctx.services().domains().remove(t, d.Name()));
                    return List.of();
                }).build());

        r.register(CmdletDefinition.<AdminContext>builder("New-Mailbox")
                .synopsis("Creates a mailbox with a primary and optional proxy SMTP addresses.")
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0))
                .parameter(ParameterDefinition.of("PrimarySmtpAddress", ParameterType.string()))
                .parameter(ParameterDefinition.of("EmailAddresses", ParameterType.stringArray()))
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("New-Mailbox");
                    if (!p.shouldProcess(p.string("Name"))) return List.of();
                    @SuppressWarnings("unchecked") List<String> proxies = (List<String>) p.get("EmailAddresses");
                    return List.of(Views.MailboxView.of(call(() -> ctx.services().mailboxes()
                            .create(t, p.string("Name"), p.string("PrimarySmtpAddress"), proxies))));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-Mailbox")
                .synopsis("Lists the organization's mailboxes, or shows one (by name, guid or any address).")
                .parameter(identity(false))
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-Mailbox");
                    if (p.has("Identity")) return List.of(Views.MailboxView.of(call(() -> ctx.services().mailboxes().get(t, p.string("Identity")))));
                    return ctx.services().mailboxes().list(t).stream().map(Views.MailboxView::of).toList();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Set-Mailbox")
                .synopsis("Changes a mailbox's primary address or its addresses (-EmailAddresses @{Add=...; Remove=...} edits the list).")
                .parameter(identity(true))
                .parameter(ParameterDefinition.of("PrimarySmtpAddress", ParameterType.string()))
                .parameter(ParameterDefinition.of("EmailAddresses", ParameterType.multiValued()))
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Set-Mailbox");
                    var m = call(() -> ctx.services().mailboxes().get(t, p.string("Identity")));
                    if (!p.shouldProcess(m.Name())) return List.of();
                    List<String> addresses = null;
                    if (p.get("EmailAddresses") instanceof MultiValuedEdit edit) addresses = edited(m.EmailAddresses(), edit);
                    List<String> finalAddresses = addresses;
                    call(() -> ctx.services().mailboxes().set(t, m.Name(), p.string("PrimarySmtpAddress"), finalAddresses));
                    return List.of();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Remove-Mailbox")
                .synopsis("Removes a mailbox.")
                .parameter(identity(true))
                .supportsShouldProcess()
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Remove-Mailbox");
                    var m = call(() -> ctx.services().mailboxes().get(t, p.string("Identity")));
                    if (!p.shouldProcess(m.Name())) return List.of();
                    AdminContext.run(() -> ctx.services().mailboxes().remove(t, m.Name()));
                    return List.of();
                }).build());
    }

    /**
     * Applies {@code -EmailAddresses} to the current list ({@code SMTP:} primary, {@code smtp:} proxies): a
     * plain list replaces it; {@code @{Add=..; Remove=..}} edits it, matching with or without the prefix.
     */
    static List<String> edited(List<String> current, MultiValuedEdit edit) {
        if (edit.replace().isPresent()) return edit.replace().get().stream().map(String::valueOf).toList();
        java.util.Set<String> removed = new java.util.HashSet<>();
        for (Object o : edit.remove()) removed.add(bare(String.valueOf(o)).toLowerCase(java.util.Locale.ROOT));
        List<String> out = new java.util.ArrayList<>();
        for (String a : current) if (!removed.contains(bare(a).toLowerCase(java.util.Locale.ROOT))) out.add(a);
        for (Object o : edit.add()) out.add(String.valueOf(o));
        return out;
    }

    /** {@code smtp:a@b} and {@code SMTP:a@b} → {@code a@b}. */
    private static String bare(String a) {
        return a.regionMatches(true, 0, "smtp:", 0, 5) ? a.substring(5) : a;
    }
}
