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

    private static final String DOMAIN_IDENTITY = "The accepted domain's Name or its DomainName (e.g. contoso.com), not case-sensitive.";
    private static final String MAILBOX_IDENTITY = "The mailbox's Name, its Guid, or any of its email addresses (primary or proxy), "
            + "not case-sensitive.";
    private static final String DOMAIN_TYPE = "Authoritative (the default): every recipient in the domain must be a mailbox here; mail "
            + "to unknown addresses is refused with 550 5.4.1 (Exchange's Directory-Based Edge Blocking). InternalRelay: unknown "
            + "recipients are accepted too, and mail for an address without a mailbox is kept in the organization's _relay Maildir "
            + "(mail/<guid>/_relay/<address>/) where Exchange would relay it on to your own servers. Exchange's ExternalRelay is "
            + "on-premises only and not available.";
    private static final String MATCH_SUB_DOMAINS = "$true: mail to and from any subdomain of the domain (sales.contoso.com for "
            + "contoso.com) counts as this domain, for recipients and for RejectDirectSend. Allowed only on InternalRelay domains, as "
            + "in Exchange. Default $false.";

    private static ParameterDefinition identity(boolean required, String description) {
        ParameterDefinition p = ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName()
                .describedAs(description);
        return required ? p.required() : p;
    }

    static void register(CmdletRegistry<AdminContext> r) {
        ParameterType domainType = ParameterType.enumOf(DomainType.class);
        r.register(CmdletDefinition.<AdminContext>builder("New-AcceptedDomain")
                .synopsis("Adds an accepted domain to the organization.")
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0)
                        .describedAs("A name for the accepted domain, unique in the organization; usually the domain name itself."))
                .parameter(ParameterDefinition.of("DomainName", ParameterType.string()).required()
                        .describedAs("The SMTP domain, e.g. contoso.com (an internationalised name is stored in its xn-- form). A "
                                + "domain belongs to one organization only; one that is a subdomain or a parent of another "
                                + "organization's domain is refused, naming that domain."))
                .parameter(ParameterDefinition.of("DomainType", domainType).describedAs(DOMAIN_TYPE))
                .parameter(ParameterDefinition.of("MatchSubDomains", ParameterType.bool()).describedAs(MATCH_SUB_DOMAINS))
                .parameter(ParameterDefinition.of("AllowOverlapWithOtherOrganization", ParameterType.switchParameter())
                        .describedAs("Beyond Exchange, operator only (hosting): adds a domain even though it is a subdomain or a "
                                + "parent of another organization's accepted domain. Written to the audit log."))
                .supportsShouldProcess()
                .example("New-AcceptedDomain -Name contoso.net -DomainName contoso.net",
                        "Adds contoso.net as an Authoritative domain: mail is accepted for its existing mailboxes only.")
                .example("New-AcceptedDomain -Name \"Contoso subsidiaries\" -DomainName contoso.org -DomainType InternalRelay -MatchSubDomains $true",
                        "Adds contoso.org and every subdomain of it; mail for addresses without a mailbox here is accepted too.")
                .example("New-AcceptedDomain -Name eu.fabrikam.com -DomainName eu.fabrikam.com -AllowOverlapWithOtherOrganization",
                        "Operator only: gives the current organization a subdomain of another organization's fabrikam.com "
                                + "(a hosting setup); the override is audited.")
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
                .parameter(identity(false, DOMAIN_IDENTITY + " Without it, every accepted domain of the organization is listed."))
                .example("Get-AcceptedDomain", "Lists the organization's accepted domains with their type.")
                .example("Get-AcceptedDomain contoso.com | Format-List", "Shows every property of contoso.com.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-AcceptedDomain");
                    if (p.has("Identity")) return List.of(Views.AcceptedDomainView.of(call(() -> ctx.services().domains().get(t, p.string("Identity")))));
                    return ctx.services().domains().list(t).stream().map(Views.AcceptedDomainView::of).toList();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Set-AcceptedDomain")
                .synopsis("Changes an accepted domain's type or subdomain matching.")
                .parameter(identity(true, DOMAIN_IDENTITY))
                .parameter(ParameterDefinition.of("DomainType", domainType).describedAs(DOMAIN_TYPE))
                .parameter(ParameterDefinition.of("MatchSubDomains", ParameterType.bool()).describedAs(MATCH_SUB_DOMAINS))
                .supportsShouldProcess()
                .example("Set-AcceptedDomain contoso.net -DomainType InternalRelay -MatchSubDomains $true",
                        "Makes contoso.net InternalRelay and matches its subdomains too (with RejectDirectSend on, anonymous "
                                + "mail from any subdomain is then refused as well).")
                .example("Set-AcceptedDomain contoso.net -MatchSubDomains $false -DomainType Authoritative",
                        "Back to the default: only contoso.net itself, and only its existing mailboxes.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Set-AcceptedDomain");
                    var d = call(() -> ctx.services().domains().get(t, p.string("Identity")));
                    if (!p.shouldProcess(d.Name())) return List.of();
                    call(() -> ctx.services().domains().set(t, d.Name(), p.get("DomainType", DomainType.class), p.get("MatchSubDomains", Boolean.class)));
                    return List.of();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Remove-AcceptedDomain")
                .synopsis("Removes an accepted domain.")
                .parameter(identity(true, DOMAIN_IDENTITY + " Refused while a mailbox still has an address in the domain, as "
                        + "in Exchange."))
                .example("Remove-AcceptedDomain contoso.net", "Removes contoso.net; mail to it is refused from then on.")
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
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0)
                        .describedAs("The mailbox's name, unique in the organization."))
                .parameter(ParameterDefinition.of("PrimarySmtpAddress", ParameterType.string())
                        .describedAs("The mailbox's primary address (user@domain), in one of the organization's accepted domains "
                                + "(or a subdomain of one with MatchSubDomains). Required unless -EmailAddresses has an SMTP: "
                                + "(upper-case) entry. An address belongs to one recipient only, across all organizations."))
                .parameter(ParameterDefinition.of("EmailAddresses", ParameterType.stringArray())
                        .describedAs("More addresses the mailbox receives mail for (proxy addresses), comma-separated, with or "
                                + "without the smtp: prefix; an SMTP: (upper-case) entry is the primary address when "
                                + "-PrimarySmtpAddress is not given. Each must be in an accepted domain."))
                .supportsShouldProcess()
                .example("New-Mailbox -Name Dave -PrimarySmtpAddress dave@contoso.com",
                        "Creates the mailbox Dave; mail to dave@contoso.com is delivered to its Maildir.")
                .example("New-Mailbox -Name Erin -PrimarySmtpAddress erin@contoso.com -EmailAddresses smtp:e.smith@contoso.com,smtp:sales@contoso.com",
                        "Creates a mailbox that also receives mail sent to e.smith@contoso.com and sales@contoso.com.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("New-Mailbox");
                    if (!p.shouldProcess(p.string("Name"))) return List.of();
                    @SuppressWarnings("unchecked") List<String> proxies = (List<String>) p.get("EmailAddresses");
                    return List.of(Views.MailboxView.of(call(() -> ctx.services().mailboxes()
                            .create(t, p.string("Name"), p.string("PrimarySmtpAddress"), proxies))));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-Mailbox")
                .synopsis("Lists the organization's mailboxes, or shows one (by name, guid or any address).")
                .parameter(identity(false, MAILBOX_IDENTITY + " Without it, every mailbox of the organization is listed."))
                .example("Get-Mailbox", "Lists the organization's mailboxes.")
                .example("Get-Mailbox sales@contoso.com | Format-List Name,PrimarySmtpAddress,EmailAddresses",
                        "Finds the mailbox that receives mail for sales@contoso.com (any of its addresses works).")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-Mailbox");
                    if (p.has("Identity")) return List.of(Views.MailboxView.of(call(() -> ctx.services().mailboxes().get(t, p.string("Identity")))));
                    return ctx.services().mailboxes().list(t).stream().map(Views.MailboxView::of).toList();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Set-Mailbox")
                .synopsis("Changes a mailbox's primary address or its addresses (-EmailAddresses @{Add=...; Remove=...} edits the list).")
                .parameter(identity(true, MAILBOX_IDENTITY))
                .parameter(ParameterDefinition.of("PrimarySmtpAddress", ParameterType.string())
                        .describedAs("A new primary address in an accepted domain; as in Exchange, the former primary address stays "
                                + "on the mailbox as a proxy unless -EmailAddresses is given too."))
                .parameter(ParameterDefinition.of("EmailAddresses", ParameterType.multiValued())
                        .describedAs("The mailbox's addresses: a list (smtp:a@contoso.com,smtp:b@contoso.com) replaces them all, "
                                + "SMTP: (upper-case) marking the primary; @{Add='smtp:x@contoso.com'; Remove='smtp:y@contoso.com'} "
                                + "adds and removes single addresses (with or without the prefix)."))
                .supportsShouldProcess()
                .example("Set-Mailbox Dave -EmailAddresses @{Add='smtp:d.jones@contoso.com'}",
                        "Adds the proxy address d.jones@contoso.com to Dave's mailbox and keeps the others.")
                .example("Set-Mailbox Dave -PrimarySmtpAddress david@contoso.com",
                        "Makes david@contoso.com the primary address; dave@contoso.com stays as a proxy.")
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
                .parameter(identity(true, MAILBOX_IDENTITY + " Its addresses become free; in an Authoritative domain mail to them "
                        + "is then refused with 550 5.4.1."))
                .example("Remove-Mailbox Erin", "Removes Erin's mailbox and frees its three addresses.")
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
