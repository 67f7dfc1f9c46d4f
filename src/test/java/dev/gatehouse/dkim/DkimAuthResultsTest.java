// DkimAuthResultsTest: the dkim= clauses of Authentication-Results, as Exchange writes them and safe for a header.
package dev.gatehouse.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class DkimAuthResultsTest {

    static DkimResult result(DkimResult.Result r, String domain, String reason) {
        return new DkimResult(r, domain, "s1", "rsa-sha256", reason, -1, true);
    }

    @Test
    void writesOneClausePerSignatureInExchangesWords() {
        String clauses = DkimAuthResults.clauses(List.of(
                result(DkimResult.Result.PASS, "contoso.com", "signature was verified"),
                result(DkimResult.Result.FAIL, "contoso.com", "body hash did not verify"),
                result(DkimResult.Result.PERMERROR, "fabrikam.com", "no key for signature")));
        assertThat(clauses).isEqualTo("dkim=pass (signature was verified) header.d=contoso.com; "
                + "dkim=fail (body hash did not verify) header.d=contoso.com; "
                + "dkim=permerror (no key for signature) header.d=fabrikam.com");
    }

    @Test
    void anUnsignedMessageIsNone() {
        assertThat(DkimAuthResults.clauses(List.of())).isEqualTo("dkim=none (message not signed) header.d=none");
    }

    @Test
    void hostileReasonsAndDomainsCannotBreakTheField() {
        String clause = DkimAuthResults.clause(result(DkimResult.Result.FAIL, "evil.example\r\nX-Injected: yes",
                "a) dkim=pass (b; c\r\n\tX: \u00e9" + "x".repeat(500)));
        assertThat(clause).doesNotContain("\r", "\n", "X-Injected", ";", "=pass").matches("[\\x20-\\x7e]+");
        assertThat(clause).startsWith("dkim=fail (a dkimpass b cX: x").endsWith(") header.d=none");
        assertThat(clause.length()).isLessThan(160);
    }

    @Test
    void atMostTenClausesAreWritten() {
        List<DkimResult> many = Collections.nCopies(1000, result(DkimResult.Result.NEUTRAL, null, "too many signatures"));
        assertThat(DkimAuthResults.clauses(many).split("; ")).hasSize(10);
    }
}
