// Get-/Set-AntiPhishPolicy and Get-/Set-ArcConfig: what happens to spoofs, and whose ARC seals are trusted.
package dev.gatehouse.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.gatehouse.cmdlet.BoundParameters;
import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletException;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.MultiValuedEdit;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.directory.AntiPhishSettings;
import dev.gatehouse.directory.AntiPhishSettings.Action;
import dev.gatehouse.directory.OrganizationSettings;
import dev.gatehouse.directory.Tenant;

/**
 * The anti-phishing policy of a tenant is Exchange's default policy, {@code Office365 AntiPhish Default}: one
 * per organization, changed with {@code Set-AntiPhishPolicy}, read by composite authentication on every
 * message. Custom policies scoped to some recipients ({@code New-AntiPhishPolicy}/{@code -Rule}) are not
 * offered. {@code Set-ArcConfig -ArcTrustedSealers} names the forwarding services whose ARC chain may vouch
 * for a message that forwarding broke (compauth reason 130).
 */
final class AntiPhishCmdlets {
    private AntiPhishCmdlets() {}

    /** What Get-AntiPhishPolicy shows. */
    public record AntiPhishPolicyView(String Name, String Identity, boolean IsDefault, boolean Enabled, boolean EnableSpoofIntelligence,
                                      boolean HonorDmarcPolicy, String DmarcQuarantineAction, String DmarcRejectAction,
                                      String AuthenticationFailAction, String SpoofQuarantineTag) {}

    /** What Get-ArcConfig shows. */
    public record ArcConfigView(String Identity, String ArcTrustedSealers) {}

    private static final String DEFAULT_ARC_IDENTITY = "default";

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(CmdletDefinition.<AdminContext>builder("Get-AntiPhishPolicy")
                .synopsis("Shows the anti-phishing policy: what happens to spoofed mail.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0)
                        .describedAs("The policy's name; there is one, 'Office365 AntiPhish Default'."))
                .example("Get-AntiPhishPolicy | Format-List Name,EnableSpoofIntelligence,HonorDmarcPolicy,*Action",
                        "Shows what happens to mail that fails composite authentication.")
                .handler((p, ctx) -> {
                    Tenant t = ctx.requireTenant("Get-AntiPhishPolicy");
                    if (p.has("Identity")) requireDefault(p.get("Identity", String.class));
                    return List.of(view(settings(ctx, t).antiPhish()));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Set-AntiPhishPolicy")
                .synopsis("Changes what happens to mail that fails composite authentication (spoofs) or DMARC.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0)
                        .describedAs("'Office365 AntiPhish Default', the organization's policy."))
                .parameter(ParameterDefinition.of(AntiPhishSettings.ENABLE_SPOOF_INTELLIGENCE, ParameterType.bool())
                        .describedAs("$true (default): mail that fails composite authentication without a DMARC policy applying "
                                + "(compauth=fail reason=001 or 6xx, e.g. anonymous mail showing your own domain in From) gets "
                                + "-AuthenticationFailAction. $false: it is only stamped."))
                .parameter(ParameterDefinition.of(AntiPhishSettings.HONOR_DMARC_POLICY, ParameterType.bool())
                        .describedAs("$true (default): when the From domain's DMARC policy is quarantine or reject and the message "
                                + "fails DMARC, -DmarcQuarantineAction or -DmarcRejectAction applies. $false: such mail is treated "
                                + "as a spoof (action=oreject in Authentication-Results)."))
                .parameter(ParameterDefinition.of(AntiPhishSettings.DMARC_QUARANTINE_ACTION, ParameterType.enumOf("SpoofDmarcQuarantineAction",
                        "Quarantine", "MoveToJmf")).describedAs("For p=quarantine: Quarantine (default) or MoveToJmf (the Junk Email folder)."))
                .parameter(ParameterDefinition.of(AntiPhishSettings.DMARC_REJECT_ACTION, ParameterType.enumOf("SpoofDmarcRejectAction",
                        "Reject", "Quarantine")).describedAs("For p=reject: Reject (default: 550 5.7.509 at the end of DATA) or Quarantine."))
                .parameter(ParameterDefinition.of(AntiPhishSettings.AUTHENTICATION_FAIL_ACTION, ParameterType.enumOf("SpoofAuthenticationFailAction",
                        "MoveToJmf", "Quarantine")).describedAs("For spoofs: MoveToJmf (default: the Junk Email folder) or Quarantine."))
                .supportsShouldProcess()
                .example("Set-AntiPhishPolicy -Identity \"Office365 AntiPhish Default\" -AuthenticationFailAction Quarantine",
                        "Quarantines spoofed mail instead of delivering it to Junk.")
                .example("Set-AntiPhishPolicy \"Office365 AntiPhish Default\" -HonorDmarcPolicy $true -DmarcRejectAction Reject",
                        "Refuses mail that fails DMARC for a domain whose policy is p=reject.")
                .handler((p, ctx) -> {
                    Tenant t = ctx.requireTenant("Set-AntiPhishPolicy");
                    requireDefault(p.get("Identity", String.class));
                    if (!p.shouldProcess(AntiPhishSettings.POLICY_NAME)) return List.of();
                    for (String s : List.of(AntiPhishSettings.ENABLE_SPOOF_INTELLIGENCE, AntiPhishSettings.HONOR_DMARC_POLICY,
                            AntiPhishSettings.DMARC_QUARANTINE_ACTION, AntiPhishSettings.DMARC_REJECT_ACTION, AntiPhishSettings.AUTHENTICATION_FAIL_ACTION)) {
                        if (!p.has(s)) continue;
                        Object v = p.get(s);
                        String stored = v == null ? null : v instanceof Boolean b ? String.valueOf(b) : String.valueOf(v);
                        AdminContext.call(() -> ctx.services().orgConfig().set(t.id(), AntiPhishSettings.key(s), stored));
                    }
                    return List.of();
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-ArcConfig")
                .synopsis("Shows the ARC sealers the organization trusts.")
                .example("Get-ArcConfig", "Shows the trusted ARC sealers.")
                .handler((p, ctx) -> {
                    Tenant t = ctx.requireTenant("Get-ArcConfig");
                    return List.of(new ArcConfigView(t.Name() + "\\" + DEFAULT_ARC_IDENTITY,
                            String.join(",", settings(ctx, t).arcTrustedSealers())));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Set-ArcConfig")
                .synopsis("Sets the ARC sealers whose chain may vouch for forwarded mail that failed DMARC.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0)
                        .describedAs("'default' (or '<organization>\\default')."))
                .parameter(ParameterDefinition.of(OrganizationSettings.ARC_TRUSTED_SEALERS, ParameterType.multiValued())
                        .describedAs("Domains (the d= of an ARC-Seal), comma-separated or a list: when a message fails DMARC but "
                                + "carries a valid ARC chain sealed by one of them, whose first hop saw authentication pass, "
                                + "composite authentication passes it (compauth=pass reason=130). $null clears the list."))
                .supportsShouldProcess()
                .example("Set-ArcConfig -Identity default -ArcTrustedSealers \"lists.example.org,forwarder.example.net\"",
                        "Trusts two forwarding services' ARC seals.")
                .handler((p, ctx) -> {
                    Tenant t = ctx.requireTenant("Set-ArcConfig");
                    String id = p.get("Identity", String.class);
                    if (!DEFAULT_ARC_IDENTITY.equalsIgnoreCase(id) && !(t.Name() + "\\" + DEFAULT_ARC_IDENTITY).equalsIgnoreCase(id)) {
                        throw CmdletException.notFound("-Identity '" + id + "': the ARC configuration is 'default'.");
                    }
                    if (!p.shouldProcess(DEFAULT_ARC_IDENTITY) || !p.has(OrganizationSettings.ARC_TRUSTED_SEALERS)) return List.of();
                    List<String> sealers = sealers(p, settings(ctx, t).arcTrustedSealers());
                    AdminContext.call(() -> ctx.services().orgConfig().set(t.id(), OrganizationSettings.ARC_TRUSTED_SEALERS,
                            sealers.isEmpty() ? null : String.join(",", sealers)));
                    return List.of();
                }).build());
    }

    private static OrganizationSettings settings(AdminContext ctx, Tenant t) {
        return OrganizationSettings.of(AdminContext.call(() -> ctx.services().orgConfig().get(t.id())));
    }

    static AntiPhishPolicyView view(AntiPhishSettings s) {
        return new AntiPhishPolicyView(AntiPhishSettings.POLICY_NAME, AntiPhishSettings.POLICY_NAME, true, true, s.enableSpoofIntelligence(),
                s.honorDmarcPolicy(), s.dmarcQuarantineAction().name(), s.dmarcRejectAction().name(), s.authenticationFailAction().name(),
                "DefaultFullAccessPolicy");
    }

    private static void requireDefault(String identity) {
        if (identity == null || !identity.strip().equalsIgnoreCase(AntiPhishSettings.POLICY_NAME)) {
            throw CmdletException.notFound("-Identity '" + identity + "': the organization has one anti-phishing policy, '"
                    + AntiPhishSettings.POLICY_NAME + "'.");
        }
    }

    /** The new list: each value split at commas, each a domain name (validated), lower case, no repeats. */
    private static List<String> sealers(BoundParameters p, List<String> current) {
        Object v = p.get(OrganizationSettings.ARC_TRUSTED_SEALERS);
        if (v == null) return List.of();
        List<String> out = new ArrayList<>();
        for (String value : ((MultiValuedEdit) v).applyTo(current)) {
            for (String part : value.split(",")) {
                String d = part.strip().toLowerCase(Locale.ROOT);
                if (d.isEmpty()) continue;
                if (d.length() > 253 || !d.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+")) {
                    throw new CmdletException("-ArcTrustedSealers '" + part.strip() + "': a sealer is a domain name such as forwarder.example.net.");
                }
                if (!out.contains(d)) out.add(d);
            }
        }
        return out;
    }
}
