// The compauth decision table: what each combination of SPF, DKIM, DMARC and ARC results stamps.
package dev.gatehouse.compauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatehouse.arc.ArcResult;
import dev.gatehouse.directory.AntiPhishSettings;
import dev.gatehouse.directory.AntiPhishSettings.Action;
import dev.gatehouse.dkim.DkimResult;
import dev.gatehouse.dmarc.DmarcResult;
import dev.gatehouse.dmarc.DmarcResult.Policy;
import dev.gatehouse.spf.SpfResult;

class CompositeAuthenticationTest {

    /**
     * Rows: SPF result, DKIM (none | pass:domain | fail:domain), DMARC result, its policy, sampled out, From
     * domain accepted by the tenant, ARC (none | pass-trusted | pass-untrusted) → compauth result and reason.
     */
    @ParameterizedTest(name = "spf={0} dkim={1} dmarc={2} p={3} sampled={4} accepted={5} arc={6} -> {7} {8}")
    @CsvSource({
            // scenario 1: anonymous alice@contoso.com from a stranger's IP, contoso.com p=none: intra-org implicit fail
            "SOFTFAIL, none,            FAIL,          NONE,       false, true,  none,           FAIL,     601",
            // scenario 3: MAIL FROM evil.example passes SPF, From contoso.com: still intra-org spoofing
            "PASS,     none,            FAIL,          NONE,       false, true,  none,           FAIL,     601",
            // the same against an outside domain that published p=none: softpass (something passed), not a spoof
            "PASS,     none,            FAIL,          NONE,       false, false, none,           SOFTPASS, 201",
            "NONE,     none,            NONE,          NONE,       false, false, none,           FAIL,     001",
            "NONE,     pass:esp.example, NONE,         NONE,       false, false, none,           SOFTPASS, 201",
            "PASS,     none,            PASS,          REJECT,     false, false, none,           PASS,     100",
            "NONE,     pass:contoso.com, PASS,         NONE,       false, true,  none,           PASS,     100",
            "PASS,     none,            BESTGUESSPASS, NONE,       false, false, none,           PASS,     109",
            // enforced policies: explicit fails
            "FAIL,     none,            FAIL,          REJECT,     false, false, none,           FAIL,     000",
            "FAIL,     none,            FAIL,          QUARANTINE, false, true,  none,           FAIL,     010",
            // pct sampled the policy out: implicit, like p=none
            "FAIL,     none,            FAIL,          REJECT,     true,  false, none,           FAIL,     001",
            // ARC: a trusted sealer whose first hop saw dmarc=pass overrides the failure; an untrusted one doesn't
            "FAIL,     fail:lists.example, FAIL,       REJECT,     false, false, pass-trusted,   PASS,     130",
            "FAIL,     fail:lists.example, FAIL,       REJECT,     false, false, pass-untrusted, FAIL,     000",
            "TEMPERROR, none,           TEMPERROR,     NONE,       false, true,  none,           NONE,     302",
    })
    void decidesAsTheTableSays(SpfResult.Result spf, String dkim, DmarcResult.Result dmarc, Policy policy, boolean sampledOut,
                               boolean accepted, String arc, CompAuth.Result result, String reason) {
        CompAuth c = CompositeAuthentication.evaluate(spf(spf), dkim(dkim), dmarc(dmarc, policy, sampledOut), arc(arc), accepted, false,
                List.of("lists.example"));
        assertThat(c.result()).isEqualTo(result);
        assertThat(c.reason()).isEqualTo(reason);
        assertThat(c.intraOrg()).isEqualTo(accepted);
    }

    @org.junit.jupiter.api.Test
    void aPassForAnotherDomainCannotCoverOneOfYourOwnThatTheReaderSees() {
        // "alice@contoso.com" <x@evil.example>: DMARC judged evil.example and it passed
        CompAuth c = CompositeAuthentication.evaluate(spf(SpfResult.Result.PASS), dkim("none"), dmarc(DmarcResult.Result.PASS, Policy.NONE, false),
                arc("none"), false, true, List.of());
        assertThat(c.result()).isEqualTo(CompAuth.Result.FAIL);
        assertThat(c.reason()).isEqualTo("601");
        assertThat(c.intraOrg()).isTrue();
    }

    @ParameterizedTest(name = "{0} p={1} honor={2} spoofIntel={3} -> {4}")
    @CsvSource({
            "601, NONE,       true,  true,  MoveToJmf",
            "601, NONE,       true,  false, ",
            "000, REJECT,     true,  true,  Reject",
            "000, QUARANTINE, true,  true,  Quarantine",
            // HonorDmarcPolicy off: the domain's reject becomes a spoof (action=oreject), MoveToJmf by default
            "000, REJECT,     false, true,  MoveToJmf",
            "100, REJECT,     true,  true,  ",
    })
    void theAntiPhishPolicyPicksTheAction(String reason, Policy policy, boolean honor, boolean spoofIntelligence, Action expected) {
        boolean enforced = reason.startsWith("0") && !reason.equals("001");
        CompAuth c = new CompAuth(reason.startsWith("1") ? CompAuth.Result.PASS : CompAuth.Result.FAIL, reason, reason.startsWith("6"), enforced);
        var settings = new AntiPhishSettings(spoofIntelligence, honor, Action.Quarantine, Action.Reject, Action.MoveToJmf);
        assertThat(AuthenticationStage.action(c, dmarc(DmarcResult.Result.FAIL, policy, false), settings)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "p={0} action={1} -> action={2}")
    @CsvSource({
            "REJECT,     Reject,     false, reject",
            "REJECT,     MoveToJmf,  false, oreject",
            "REJECT,     Quarantine, true,  pct.reject",
            "QUARANTINE, Quarantine, false, quarantine",
            "QUARANTINE, MoveToJmf,  false, oquarantine",
            "NONE,       MoveToJmf,  false, none",
    })
    void writesExchangesActionWord(Policy policy, Action action, boolean sampledOut, String word) {
        DmarcResult d = dmarc(DmarcResult.Result.FAIL, policy, sampledOut);
        var o = new AuthenticationStage.Outcome(null, null, new CompAuth(CompAuth.Result.FAIL, "000", false, true), action, d);
        assertThat(AuthenticationStage.dmarcAction(o)).isEqualTo(word);
    }

    static SpfResult spf(SpfResult.Result r) {
        return new SpfResult(r, "mailfrom", "contoso.com", "alice@contoso.com", null, null, null);
    }

    static List<DkimResult> dkim(String spec) {
        if (spec.equals("none")) return List.of();
        String[] p = spec.split(":");
        return List.of(new DkimResult(p[0].equals("pass") ? DkimResult.Result.PASS : DkimResult.Result.FAIL, p[1], "s1", "rsa-sha256",
                p[0].equals("pass") ? "signature was verified" : "body hash did not verify", -1, true));
    }

    static DmarcResult dmarc(DmarcResult.Result r, Policy p, boolean sampledOut) {
        return new DmarcResult(r, "contoso.com", "contoso.com", p, sampledOut ? 0 : 100, sampledOut, false, false, "none", null);
    }

    static ArcResult arc(String spec) {
        return switch (spec) {
            case "pass-trusted" -> new ArcResult(ArcResult.Result.PASS, 1, List.of("lists.example"),
                    "mx.lists.example; spf=pass smtp.mailfrom=contoso.com; dmarc=pass header.from=contoso.com", null);
            case "pass-untrusted" -> new ArcResult(ArcResult.Result.PASS, 2, List.of("lists.example", "relay.other.example"),
                    "mx.lists.example; dmarc=pass header.from=contoso.com", null);
            default -> ArcResult.NONE;
        };
    }
}
