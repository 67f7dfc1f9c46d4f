// Test-MessageAuthentication: an admin's check of SPF, DKIM, DMARC, ARC and compauth for one message.
package dev.gatehouse.admin;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletException;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.compauth.AuthenticationReport;
import dev.gatehouse.compauth.SenderChecks;
import dev.gatehouse.directory.AcceptedDomain;
import dev.gatehouse.directory.OrganizationSettings;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.mail.Message;

/**
 * Runs the gateway's own checks, with its resolver and the organization's accepted domains, trusted ARC
 * sealers and anti-phishing policy, on a message described by the admin: what the accept path would stamp
 * and do, with the reason for each verdict. No peer has this for composite authentication. The message's
 * text comes as {@code -Message}; {@code ./gatehouse shell} turns {@code -MessageFile PATH} into it by reading
 * the file on the admin's machine (the gateway never opens a path a caller names).
 */
final class MessageAuthenticationCmdlets {
    private MessageAuthenticationCmdlets() {}

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(CmdletDefinition.<AdminContext>builder("Test-MessageAuthentication")
                .synopsis("Checks SPF, DKIM, DMARC, ARC and composite authentication for a message, and says why.")
                .parameter(ParameterDefinition.of("ClientIp", ParameterType.string()).required()
                        .describedAs("The connecting (or, behind a third-party filter, the original) client's IPv4 or IPv6 address."))
                .parameter(ParameterDefinition.of("Helo", ParameterType.string()).required().describedAs("The name the client gave in HELO/EHLO."))
                .parameter(ParameterDefinition.of("MailFrom", ParameterType.string()).required()
                        .describedAs("The MAIL FROM address (P1); \"\" for the null sender <>."))
                .parameter(ParameterDefinition.of("Message", ParameterType.string())
                        .describedAs("The message's text, header and body, as received (for DKIM, ARC and the From domain). Without it, "
                                + "the From is taken to be the MAIL FROM address and the message unsigned."))
                .parameter(ParameterDefinition.of("MessageFile", ParameterType.string())
                        .describedAs("In ./gatehouse shell: a file on your machine holding the message (.eml); the shell sends its "
                                + "text as -Message. Over the REST API pass -Message instead."))
                .example("Test-MessageAuthentication -ClientIp 203.0.113.50 -Helo mail.example.net -MailFrom alice@contoso.com",
                        "Shows what anonymous mail claiming alice@contoso.com from that address gets: SPF, DMARC, compauth and the action.")
                .example("Test-MessageAuthentication -ClientIp 198.51.100.7 -Helo mx.partner.example -MailFrom news@partner.example "
                        + "-Message 'From: Contoso News <news@contoso.com>'", "Checks a message whose From differs from its MAIL FROM: "
                        + "DMARC and compauth judge the From domain. In ./gatehouse shell, -MessageFile ./newsletter.eml sends a "
                        + "saved message, its DKIM signatures and ARC chain included.")
                .handler((p, ctx) -> {
                    Tenant t = ctx.requireTenant("Test-MessageAuthentication");
                    SenderChecks checks = ctx.services().senderChecks();
                    if (checks == null) throw new CmdletException("Sender authentication isn't available here: this gateway has no DNS resolver.");
                    if (p.has("MessageFile")) {
                        throw new CmdletException("-MessageFile '" + p.get("MessageFile", String.class) + "': the gateway doesn't open files; "
                                + "./gatehouse shell reads it on your machine, or pass the message's text as -Message.");
                    }
                    InetAddress ip = address(p.get("ClientIp", String.class));
                    String mailFrom = mailFrom(p.get("MailFrom", String.class));
                    Message message = message(p.has("Message") ? p.get("Message", String.class) : null, mailFrom);
                    List<AcceptedDomain> domains = AdminContext.call(() -> ctx.services().domains().list(t.id()));
                    OrganizationSettings settings = OrganizationSettings.of(AdminContext.call(() -> ctx.services().orgConfig().get(t.id())));
                    var tenant = new AuthenticationReport.Tenant(d -> accepted(domains, d), settings.arcTrustedSealers(), settings.antiPhish());
                    return List.copyOf(AuthenticationReport.run(checks, ip, p.get("Helo", String.class), mailFrom, message, tenant));
                }).build());
    }

    static InetAddress address(String text) {
        String s = text == null ? "" : text.strip();
        try {
            if (s.isEmpty() || s.length() > 45) throw new IllegalArgumentException();
            return InetAddress.ofLiteral(s); // a literal only: never a DNS lookup
        } catch (IllegalArgumentException e) {
            throw new CmdletException("-ClientIp '" + text + "': give an IPv4 or IPv6 address, such as 203.0.113.50 or 2001:db8::50.");
        }
    }

    static String mailFrom(String text) {
        String s = text == null ? "" : text.strip();
        if (s.startsWith("<") && s.endsWith(">")) s = s.substring(1, s.length() - 1);
        if (!s.isEmpty() && (s.indexOf('@') <= 0 || s.indexOf('@') == s.length() - 1 || s.length() > 320 || s.chars().anyMatch(c -> c <= ' '))) {
            throw new CmdletException("-MailFrom '" + text + "': give an address such as alice@contoso.com, or \"\" for the null sender.");
        }
        return s;
    }

    /** The message as given (characters up to U+00FF are its bytes, as the shell sends a file), or a bare one with From. */
    static Message message(String text, String mailFrom) {
        if (text == null || text.isEmpty()) {
            String from = mailFrom.isEmpty() ? "" : "From: <" + mailFrom + ">\r\n";
            return Message.parse((from + "Subject: Test-MessageAuthentication\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        boolean bytes = text.chars().allMatch(c -> c <= 0xff);
        String crlf = text.replaceAll("\r?\n", "\r\n");
        return Message.parse(crlf.getBytes(bytes ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
    }

    static boolean accepted(List<AcceptedDomain> domains, String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        for (AcceptedDomain a : domains) {
            String name = a.DomainName().toLowerCase(Locale.ROOT);
            if (d.equals(name) || (a.MatchSubDomains() && d.endsWith("." + name))) return true;
        }
        return false;
    }
}
