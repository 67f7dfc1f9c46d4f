// Stage after the rules: what the anti-phishing policy does with spoofs, and the antispam report on every copy.
package dev.gatehouse.compauth;

import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.directory.AntiPhishSettings;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.mail.Message;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.pipeline.Stage;
import dev.gatehouse.pipeline.Verdict;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.smtp.SmtpReply;

/**
 * Exchange filters content after the mail flow rules (spec §4.3, pipeline order), so this stage runs after
 * {@code RuleStage}: for a recipient the rules left to be delivered, the action {@link AuthenticationStage}
 * chose from the tenant's anti-phishing policy is applied: MoveToJmf stamps SCL 5 (the mailbox files the copy
 * under Junk Email, as Exchange's SCL junk threshold does), Quarantine holds it in the hosted quarantine
 * (type Phish, policy {@code Office365 AntiPhish Default}), Reject refuses it with Exchange's 550 5.7.509. A
 * rule that set SCL -1 ({@code -SetSCL -1}) bypasses this, as in Exchange ({@code SFV:SKN}).
 *
 * <p>Every copy gets {@code X-Forefront-Antispam-Report} ({@code CIP}, {@code SCL}, {@code SFV}, {@code H},
 * {@code PTR}, {@code CAT:SPOOF} or {@code CAT:NONE}, {@code SFTY:9.11} for intra-org spoofing, {@code DIR}),
 * {@code X-MS-Exchange-Organization-SCL} and {@code X-Microsoft-Antispam}.
 */
public final class SpoofActionStage implements Stage {
    static final String DMARC_REJECT_STATUS = "5.7.509";

    @Override
    public Refusal apply(Accepting m) {
        AuthenticationStage.Outcomes outcomes = m.state(AuthenticationStage.Outcomes.class);
        List<Accepting.Recipient> out = new ArrayList<>(m.recipients().size());
        boolean allRejected = !m.recipients().isEmpty();
        Verdict.Reject firstReject = null;
        for (Accepting.Recipient r : m.recipients()) {
            AuthenticationStage.Outcome o = outcomes == null ? null : outcomes.of(r.row().tenantId(), r.row().address());
            Accepting.Recipient done = apply(m, r, o);
            out.add(done);
            if (done.verdict() instanceof Verdict.Reject rj) {
                if (firstReject == null) firstReject = rj;
            } else {
                allRejected = false;
            }
        }
        m.recipients(out);
        if (allRejected && firstReject != null && firstReject.ruleGuid() == null) {
            return new Refusal(SmtpReply.of(550, firstReject.status(), firstReject.text()), RefusalReason.DMARC_REJECT, true);
        }
        return null;
    }

    private Accepting.Recipient apply(Accepting m, Accepting.Recipient r, AuthenticationStage.Outcome o) {
        QueuedRecipient row = r.row();
        Integer ruleScl = ruleScl(m, row);
        Verdict verdict = r.verdict();
        int scl;
        String sfv;
        if (o == null) { // the organization's own mail (OnPremises connector): not filtered
            scl = ruleScl != null ? ruleScl : -1;
            sfv = ruleScl != null ? (ruleScl >= 5 ? "SKS" : "SKN") : "SKI";
        } else if (ruleScl != null && ruleScl == -1) {
            scl = -1;
            sfv = "SKN";
        } else if (o.action() == null) {
            scl = ruleScl != null ? ruleScl : 1;
            sfv = ruleScl != null ? (ruleScl >= 5 ? "SKS" : "NSPM") : "NSPM";
        } else {
            scl = Math.max(5, ruleScl == null ? 5 : ruleScl);
            sfv = "SPM";
            if (verdict instanceof Verdict.Deliver) verdict = verdict(o);
        }
        String stamp = (row.stampHeaders() == null ? "" : row.stampHeaders()) + fields(m, row, o, scl, sfv);
        QueuedRecipient next = row.withStamp(stamp);
        if (verdict != r.verdict()) {
            RecipientStatus status = verdict instanceof Verdict.Quarantine ? RecipientStatus.Quarantined : RecipientStatus.Failed;
            String error = verdict instanceof Verdict.Reject rj ? "550 " + rj.reason() : null;
            next = next.withStatus(status, error);
        }
        return new Accepting.Recipient(next, verdict);
    }

    /** The verdict for a copy the rules left to be delivered, when the policy acts on it; Deliver for Junk. */
    private static Verdict verdict(AuthenticationStage.Outcome o) {
        return switch (o.action()) {
            case MoveToJmf -> Verdict.DELIVER;
            case Quarantine -> new Verdict.Quarantine(AntiPhishSettings.POLICY_NAME, null, "Phish", "AntiPhishPolicy");
            case Reject -> new Verdict.Reject(DMARC_REJECT_STATUS, "Access denied, sending domain ["
                    + AuthenticationHeaders.domain(o.dmarc().fromDomain()).toUpperCase(java.util.Locale.ROOT)
                    + "] does not pass DMARC verification and has a DMARC policy of reject.", AntiPhishSettings.POLICY_NAME, null);
        };
    }

    private static String fields(Accepting m, QueuedRecipient row, AuthenticationStage.Outcome o, int scl, String sfv) {
        String dir = row.directionality() == Directionality.Incoming ? "INB" : row.status() == RecipientStatus.AwaitingRelay ? "OUT" : "INT";
        boolean spoof = o != null && o.compauth().spoof();
        String sfty = spoof && o.compauth().intraOrg() ? "9.11" : null;
        var report = new AuthenticationHeaders.AntispamReport(o == null ? m.client().ip() : o.client(), m.client().helo(), o == null ? null : o.ptr(),
                scl, sfv, spoof ? "SPOOF" : "NONE", sfty, dir);
        return "X-Forefront-Antispam-Report: " + AuthenticationHeaders.antispamReport(report) + "\r\nX-MS-Exchange-Organization-SCL: " + scl
                + "\r\nX-Microsoft-Antispam: BCL:0;\r\n";
    }

    /** The SCL a rule set for this copy ({@code -SetSCL}, written into its content variant), or null. */
    private static Integer ruleScl(Accepting m, QueuedRecipient row) {
        if (row.variant() == null) return null;
        String v = Message.parse(m.variant(row.variant())).first("X-MS-Exchange-Organization-SCL");
        if (v == null) return null;
        try {
            int scl = Integer.parseInt(v.strip());
            return scl >= -1 && scl <= 9 ? scl : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
