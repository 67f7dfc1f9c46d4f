// A tenant's anti-phishing policy: what happens to mail that fails composite authentication (spoofs).
package dev.gatehouse.directory;

import java.util.Locale;

/**
 * The settings of Exchange Online's default anti-phishing policy ({@code Office365 AntiPhish Default}) that
 * decide what the gateway does with a message composite authentication failed; the names and defaults are
 * Exchange's ({@code Set-AntiPhishPolicy}).
 *
 * @param enableSpoofIntelligence  $true: a message that fails composite authentication implicitly (no DMARC
 *                                 policy applied: compauth reasons 001 and 6xx) gets {@code authenticationFailAction}
 * @param honorDmarcPolicy         $true: a message that fails DMARC where the domain's policy is quarantine or
 *                                 reject gets {@code dmarcQuarantineAction} or {@code dmarcRejectAction}; $false:
 *                                 it is handled as a spoof ({@code authenticationFailAction}), Exchange's
 *                                 {@code action=oreject}
 * @param dmarcQuarantineAction    for p=quarantine: Quarantine (default) or MoveToJmf
 * @param dmarcRejectAction        for p=reject: Reject (default: 550 5.7.509 at end of data) or Quarantine
 * @param authenticationFailAction for spoofs: MoveToJmf (default: delivered to the Junk Email folder) or Quarantine
 */
public record AntiPhishSettings(boolean enableSpoofIntelligence, boolean honorDmarcPolicy, Action dmarcQuarantineAction,
                               Action dmarcRejectAction, Action authenticationFailAction) {

    /** What happens to a message: Exchange's action names. */
    public enum Action { MoveToJmf, Quarantine, Reject }

    public static final String POLICY_NAME = "Office365 AntiPhish Default";
    static final String PREFIX = "AntiPhish.";
    public static final String ENABLE_SPOOF_INTELLIGENCE = "EnableSpoofIntelligence";
    public static final String HONOR_DMARC_POLICY = "HonorDmarcPolicy";
    public static final String DMARC_QUARANTINE_ACTION = "DmarcQuarantineAction";
    public static final String DMARC_REJECT_ACTION = "DmarcRejectAction";
    public static final String AUTHENTICATION_FAIL_ACTION = "AuthenticationFailAction";

    public static final AntiPhishSettings DEFAULTS = new AntiPhishSettings(true, true, Action.Quarantine, Action.Reject, Action.MoveToJmf);

    /** The org_config key a setting is stored under. */
    public static String key(String setting) { return PREFIX + setting; }

    static AntiPhishSettings of(OrganizationConfig c) {
        return new AntiPhishSettings(c.getBoolean(key(ENABLE_SPOOF_INTELLIGENCE), true), c.getBoolean(key(HONOR_DMARC_POLICY), true),
                action(c, DMARC_QUARANTINE_ACTION, Action.Quarantine), action(c, DMARC_REJECT_ACTION, Action.Reject),
                action(c, AUTHENTICATION_FAIL_ACTION, Action.MoveToJmf));
    }

    private static Action action(OrganizationConfig c, String setting, Action fallback) {
        String v = c.get(key(setting));
        if (v == null) return fallback;
        for (Action a : Action.values()) if (a.name().toLowerCase(Locale.ROOT).equals(v.strip().toLowerCase(Locale.ROOT))) return a;
        return fallback;
    }
}
