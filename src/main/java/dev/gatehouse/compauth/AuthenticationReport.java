// One message's sender authentication explained line by line: what Test-MessageAuthentication and auth-check print.
package dev.gatehouse.compauth;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.gatehouse.arc.ArcResult;
import dev.gatehouse.directory.AntiPhishSettings;
import dev.gatehouse.dkim.DkimResult;
import dev.gatehouse.dmarc.DmarcResult;
import dev.gatehouse.mail.Message;
import dev.gatehouse.spf.SpfResult;

/**
 * Runs the same checks, the same composite-authentication table and the same policy as the accept path
 * ({@link AuthenticationStage}), for a message an admin has in hand, and says why each verdict is what it is:
 * like {@code spfquery} and {@code opendmarc-check}, but for all of them together, with compauth's reason
 * code spelled out and the {@code Authentication-Results} field the gateway would stamp.
 */
public final class AuthenticationReport {
    private AuthenticationReport() {}

    /** One line of the report: the check ({@code SPF}, {@code DKIM}, ...), its result word, and why. */
    public record Line(String Check, String Result, String Reason) {}

    /** The tenant's side of the decision: which domains are its own, whose ARC seals it trusts, its policy. */
    public record Tenant(Predicate<String> acceptedDomain, List<String> trustedSealers, AntiPhishSettings policy) {}

    public static List<Line> run(SenderChecks checks, InetAddress client, String helo, String mailFrom, Message message, Tenant tenant) {
        SpfResult spf = checks.spf(client, helo, mailFrom);
        List<DkimResult> dkim = checks.dkim(message);
        ArcResult arc = checks.arc(message);
        DmarcResult dmarc = checks.dmarc(message, spf, dkim);
        boolean accepted = dmarc.fromDomain() != null && tenant.acceptedDomain().test(dmarc.fromDomain());
        boolean shownOwn = message.headerFrom().domains().stream().anyMatch(tenant.acceptedDomain());
        CompAuth c = CompositeAuthentication.evaluate(spf, dkim, dmarc, arc, accepted, shownOwn && !accepted, tenant.trustedSealers());
        AntiPhishSettings.Action action = AuthenticationStage.action(c, dmarc, tenant.policy());
        var outcome = new AuthenticationStage.Outcome(client, null, c, action, dmarc);

        List<Line> lines = new ArrayList<>();
        lines.add(new Line("SPF", spf.result().word(), spf(spf, client)));
        if (dkim.isEmpty()) lines.add(new Line("DKIM", "none", "message not signed"));
        for (DkimResult d : dkim) lines.add(new Line("DKIM", d.result().word(), dkim(d)));
        lines.add(new Line("DMARC", dmarc.result().word(), dmarc(dmarc) + "; action=" + AuthenticationStage.dmarcAction(outcome)));
        lines.add(new Line("ARC", arc.result().word(), arc(arc, tenant.trustedSealers())));
        lines.add(new Line("CompAuth", c.result().word(), "reason=" + c.reason() + ": " + meaning(c, dmarc)));
        lines.add(new Line("Action", action == null ? "Deliver" : action.name(), action(action, c, dmarc, tenant.policy())));
        lines.add(new Line("Authentication-Results", "",
                AuthenticationHeaders.authenticationResults(client, spf, dkim, dmarc, AuthenticationStage.dmarcAction(outcome), c).replace("\r\n ", " ")));
        return lines;
    }

    static String spf(SpfResult s, InetAddress client) {
        StringBuilder sb = new StringBuilder(s.identity()).append(' ').append(s.sender() == null ? s.domain() : s.sender());
        sb.append(", client ").append(client.getHostAddress());
        if (s.mechanism() != null) sb.append(": matched ").append(s.mechanism());
        if (s.problem() != null) sb.append(": ").append(s.problem());
        if (s.explanation() != null) sb.append(" (explanation: ").append(s.explanation()).append(')');
        return sb.toString();
    }

    static String dkim(DkimResult d) {
        String who = "d=" + d.domain() + " s=" + d.selector() + " a=" + d.algorithm();
        String length = d.bodyLengthTag() >= 0 ? ", l=" + d.bodyLengthTag() : "";
        return who + length + ": " + (d.reason() == null ? d.result().word() : d.reason());
    }

    static String dmarc(DmarcResult d) {
        if (d.fromDomain() == null) return d.problem() == null ? "no single From domain" : d.problem();
        StringBuilder sb = new StringBuilder("header.from=").append(d.fromDomain());
        if (d.orgDomain() != null && !d.orgDomain().equals(d.fromDomain())) sb.append(" (organizational domain ").append(d.orgDomain()).append(')');
        sb.append(", p=").append(d.policy().name().toLowerCase(java.util.Locale.ROOT)).append(", pct=").append(d.pct());
        if (d.sampledOut()) sb.append(" (sampled out)");
        sb.append(", SPF ").append(d.spfAligned() ? "aligned" : "not aligned").append(", DKIM ").append(d.dkimAligned() ? "aligned" : "not aligned");
        if (d.problem() != null) sb.append(": ").append(d.problem());
        return sb.toString();
    }

    static String arc(ArcResult a, List<String> trusted) {
        return switch (a.result()) {
            case NONE -> "no ARC sets";
            case FAIL -> a.reason() == null ? "chain did not validate" : a.reason();
            case PASS -> a.instances() + " set(s), sealed by " + String.join(", ", a.sealers())
                    + (trusted.isEmpty() ? "; no trusted sealers (Set-ArcConfig)" : "; trusted sealers: " + String.join(", ", trusted));
        };
    }

    /** compauth's reason in words. */
    static String meaning(CompAuth c, DmarcResult d) {
        return switch (c.reason()) {
            case "100" -> "DMARC passed";
            case "109" -> "no DMARC record, but SPF or DKIM aligned with " + d.fromDomain();
            case "130" -> "DMARC failed, but a trusted ARC sealer's first hop saw it pass";
            case "000" -> "DMARC failed and " + d.fromDomain() + " asks for " + d.policy().name().toLowerCase(java.util.Locale.ROOT);
            case "010" -> "DMARC failed, " + d.fromDomain() + " asks for " + d.policy().name().toLowerCase(java.util.Locale.ROOT)
                    + ", and it is one of your accepted domains";
            case "601" -> "implicit fail: the From shows one of your accepted domains and nothing authenticates it (intra-org spoofing)";
            case "201" -> "softpass: SPF or DKIM passed for another domain, and " + d.fromDomain() + " has no policy that says otherwise";
            case "302" -> "not checked: DNS did not answer in time";
            default -> "implicit fail: nothing authenticates the From domain";
        };
    }

    static String action(AntiPhishSettings.Action a, CompAuth c, DmarcResult d, AntiPhishSettings p) {
        if (a == null) return c.spoof() ? "spoof intelligence is off (EnableSpoofIntelligence $false): stamped only" : "delivered normally";
        String setting = c.enforcedDmarc() && p.honorDmarcPolicy()
                ? (d.policy() == DmarcResult.Policy.REJECT ? "DmarcRejectAction" : "DmarcQuarantineAction") : "AuthenticationFailAction";
        return AntiPhishSettings.POLICY_NAME + ", " + setting + ": " + switch (a) {
            case MoveToJmf -> "delivered to the Junk Email folder (SCL 5)";
            case Quarantine -> "held in quarantine (type Phish)";
            case Reject -> "refused with 550 5.7.509";
        };
    }
}
