// The admin cmdlet registry: every Exchange Online cmdlet Gatehouse has, and those it knows it lacks.
package dev.gatehouse.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.cmdlet.CmdletRegistry;

/**
 * The registry of every admin cmdlet, shared by the shell, scripts and the REST API, so that parsing,
 * binding, validation and tenant scoping happen in exactly one place. It also knows the Exchange Online
 * cmdlets Gatehouse doesn't have yet ({@link #EXCHANGE_ONLINE_NOT_YET}), so that pasting one gets PowerShell's
 * "not recognized" error saying so, instead of a bare "check the spelling".
 */
public final class AdminCmdlets {

    private AdminCmdlets() {}

    private static final String OUTBOUND = "Gatehouse sends outbound mail through the smart host given to gatehouse serve "
            + "--relay-host.";
    private static final String FILTERING = "Gatehouse has no anti-spam or anti-malware filtering; mail flow rules "
            + "(New-TransportRule) are its policies.";

    /**
     * Exchange Online cmdlets Gatehouse doesn't have yet, each with where to look meanwhile ("" when there is
     * nowhere). The one list: when one of them is implemented, remove it here (the registry refuses a
     * cmdlet that is also on this list).
     */
    public static final Map<String, String> EXCHANGE_ONLINE_NOT_YET = ordered(
            "Get-MailDetailATPReport", "",
            "Get-HostedContentFilterPolicy", FILTERING,
            "Set-HostedContentFilterPolicy", FILTERING,
            "New-HostedContentFilterPolicy", FILTERING,
            "Get-HostedConnectionFilterPolicy", FILTERING,
            "Get-MalwareFilterPolicy", FILTERING,
            "Get-TenantAllowBlockListItems", FILTERING,
            "New-TenantAllowBlockListItems", FILTERING,
            "Get-DkimSigningConfig", "",
            "New-DkimSigningConfig", "",
            "Get-OutboundConnector", OUTBOUND,
            "New-OutboundConnector", OUTBOUND,
            "Set-OutboundConnector", OUTBOUND,
            "Remove-OutboundConnector", OUTBOUND,
            "Get-RemoteDomain", "",
            "Get-TransportConfig", "",
            "Get-Recipient", "Get-Mailbox finds a mailbox by any of its addresses.",
            "Get-DistributionGroup", "",
            "Get-MailContact", "",
            "Get-MailUser", "");

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The sentence the not-recognized error adds for each cmdlet of {@link #EXCHANGE_ONLINE_NOT_YET}. */
    static Map<String, String> notYetExplanations() {
        Map<String, String> out = new LinkedHashMap<>();
        EXCHANGE_ONLINE_NOT_YET.forEach((name, meanwhile) -> out.put(name, "'" + name + "' is an Exchange Online cmdlet that "
                + "Gatehouse doesn't have yet." + (meanwhile.isEmpty() ? "" : " " + meanwhile)));
        return out;
    }

    public static CmdletRegistry<AdminContext> registry() {
        CmdletRegistry<AdminContext> r = new CmdletRegistry<AdminContext>()
                .guard((definition, ctx) -> { if (definition.operatorOnly()) ctx.requireOperator(definition.name()); });
        TenantCmdlets.register(r);
        DirectoryCmdlets.register(r);
        OrganizationCmdlets.register(r);
        AntiPhishCmdlets.register(r);
        MessageAuthenticationCmdlets.register(r);
        ConnectorCmdlets.register(r);
        TransportRuleCmdlets.register(r);
        QuarantineCmdlets.register(r);
        TraceCmdlets.register(r);
        HistoricalSearchCmdlets.register(r);
        MailFlowReportCmdlets.register(r);
        HuntingCmdlets.register(r);
        r.scriptAdvice(HuntingCmdlets::kqlAdvice);
        r.notYetAvailable(notYetExplanations());
        return r;
    }
}
