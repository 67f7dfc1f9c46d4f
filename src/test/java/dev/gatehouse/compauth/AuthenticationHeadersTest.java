// The stamped fields read as Exchange's do, and nothing from outside can break out of them.
package dev.gatehouse.compauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gatehouse.dkim.DkimResult;
import dev.gatehouse.dmarc.DmarcResult;
import dev.gatehouse.spf.SpfResult;

class AuthenticationHeadersTest {
    private static final InetAddress CLIENT = InetAddress.ofLiteral("203.0.113.50");

    @Test
    void writesScenarioOnesAuthenticationResultsInExchangesShape() {
        SpfResult spf = new SpfResult(SpfResult.Result.SOFTFAIL, "mailfrom", "contoso.com", "alice@contoso.com", "~all", null, null);
        DmarcResult dmarc = new DmarcResult(DmarcResult.Result.FAIL, "contoso.com", "contoso.com", DmarcResult.Policy.NONE, 100, false,
                false, false, "none", null);
        String v = AuthenticationHeaders.authenticationResults(CLIENT, spf, List.of(), dmarc, "none",
                new CompAuth(CompAuth.Result.FAIL, "601", true, false));
        assertThat(v.replace("\r\n ", " ")).isEqualTo("spf=softfail (sender IP is 203.0.113.50) smtp.mailfrom=contoso.com; "
                + "dkim=none (message not signed) header.d=none; dmarc=fail action=none header.from=contoso.com; compauth=fail reason=601");
        for (String line : ("Authentication-Results: " + v).split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(78);
    }

    @Test
    void oneDkimClausePerSignatureWithItsReason() {
        SpfResult spf = new SpfResult(SpfResult.Result.PASS, "mailfrom", "esp.example", "b@esp.example", "ip4:203.0.113.0/24", null, null);
        List<DkimResult> dkim = List.of(
                new DkimResult(DkimResult.Result.PASS, "fabrikam.com", "s1", "rsa-sha256", "signature was verified", -1, true),
                new DkimResult(DkimResult.Result.FAIL, "esp.example", "s2", "ed25519-sha256", "body hash did not verify", -1, true));
        DmarcResult dmarc = new DmarcResult(DmarcResult.Result.PASS, "fabrikam.com", "fabrikam.com", DmarcResult.Policy.REJECT, 100, false,
                false, true, "none", null);
        String v = AuthenticationHeaders.authenticationResults(CLIENT, spf, dkim, dmarc, "none", new CompAuth(CompAuth.Result.PASS, "100", false, false))
                .replace("\r\n ", " ");
        assertThat(v).contains("dkim=pass (signature was verified) header.d=fabrikam.com;",
                "dkim=fail (body hash did not verify) header.d=esp.example;", "dmarc=pass action=none header.from=fabrikam.com;",
                "compauth=pass reason=100");
    }

    @Test
    void valuesFromOutsideCannotEndTheFieldOrAddAResult() {
        SpfResult spf = new SpfResult(SpfResult.Result.FAIL, "mailfrom", "evil.example\r\nX-Injected: 1; compauth=pass", "x@evil.example", null,
                null, null);
        DkimResult bad = new DkimResult(DkimResult.Result.FAIL, "d.example) dkim=pass (x", "s", "rsa-sha256", "reason\r\nwith; compauth=pass", -1, true);
        DmarcResult dmarc = new DmarcResult(DmarcResult.Result.FAIL, "contoso.com;compauth=pass", null, DmarcResult.Policy.NONE, 100, false,
                false, false, "none", null);
        String v = AuthenticationHeaders.authenticationResults(CLIENT, spf, List.of(bad), dmarc, "none",
                new CompAuth(CompAuth.Result.FAIL, "601", true, false));
        String unfolded = v.replace("\r\n ", " ");
        assertThat(unfolded).doesNotContain("\r", "\n", "X-Injected:").containsOnlyOnce("compauth=");
        assertThat(unfolded).containsOnlyOnce("dkim=");
    }

    @Test
    void aThousandSignaturesWriteNoMoreClausesThanTheVerifierChecks() {
        SpfResult spf = new SpfResult(SpfResult.Result.NONE, "mailfrom", "x.example", "a@x.example", null, null, null);
        List<DkimResult> many = java.util.Collections.nCopies(1000,
                new DkimResult(DkimResult.Result.NEUTRAL, "x.example", "s", "rsa-sha256", "too many signatures", -1, true));
        DmarcResult dmarc = new DmarcResult(DmarcResult.Result.NONE, "x.example", "x.example", DmarcResult.Policy.NONE, 100, false, false, false,
                "none", null);
        String v = AuthenticationHeaders.authenticationResults(CLIENT, spf, many, dmarc, "none", new CompAuth(CompAuth.Result.FAIL, "001", false, false));
        assertThat(v.split("dkim=", -1)).hasSize(dev.gatehouse.dkim.DkimVerifier.MAX_SIGNATURES + 1);
    }

    @Test
    void antispamReportListsTheFieldsInExchangesOrder() {
        var r = new AuthenticationHeaders.AntispamReport(CLIENT, "mail.example.net", "mail.example.net", 5, "SPM", "SPOOF", "9.11", "INB");
        assertThat(AuthenticationHeaders.antispamReport(r)).isEqualTo(
                "CIP:203.0.113.50;CTRY:;LANG:;SCL:5;SRV:;IPV:NLI;SFV:SPM;H:mail.example.net;PTR:mail.example.net;CAT:SPOOF;SFTY:9.11;SFS:;DIR:INB;");
    }
}
