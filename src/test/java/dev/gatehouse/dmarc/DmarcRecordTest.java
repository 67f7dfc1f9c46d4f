// DmarcRecordTest: RFC 7489 §6.3/6.4 record syntax: what is a DMARC record, what is a valid one, and what each tag means.
package dev.gatehouse.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.dmarc.DmarcRecord.Alignment;
import dev.gatehouse.dmarc.DmarcResult.Policy;

class DmarcRecordTest {

    private static DmarcRecord valid(String txt) {
        DmarcRecord.Parsed p = DmarcRecord.parse(txt);
        assertThat(p).as(txt).isInstanceOf(DmarcRecord.Parsed.Valid.class);
        return ((DmarcRecord.Parsed.Valid) p).record();
    }

    private static String invalid(String txt) {
        DmarcRecord.Parsed p = DmarcRecord.parse(txt);
        assertThat(p).as(txt).isInstanceOf(DmarcRecord.Parsed.Invalid.class);
        return ((DmarcRecord.Parsed.Invalid) p).problem();
    }

    @Test
    void aMinimalRecordHasTheRfcDefaults() {
        DmarcRecord r = valid("v=DMARC1; p=none");
        assertThat(r.policy()).isEqualTo(Policy.NONE);
        assertThat(r.subdomainPolicy()).isNull();
        assertThat(r.pct()).isEqualTo(100);
        assertThat(r.dkimAlignment()).isEqualTo(Alignment.RELAXED);
        assertThat(r.spfAlignment()).isEqualTo(Alignment.RELAXED);
        assertThat(r.failureOptions()).containsExactly("0");
        assertThat(r.reportInterval()).isEqualTo(86400);
        assertThat(r.policyFromRua()).isFalse();
    }

    @Test
    void everyTagIsRead() {
        DmarcRecord r = valid("v=DMARC1;p=reject;sp=quarantine;pct=25;adkim=s;aspf=s;fo=1:d;rf=afrf;ri=3600;"
                + "rua=mailto:agg@contoso.com!10m,mailto:second@contoso.com;ruf=mailto:forensic@contoso.com");
        assertThat(r.policy()).isEqualTo(Policy.REJECT);
        assertThat(r.subdomainPolicy()).isEqualTo(Policy.QUARANTINE);
        assertThat(r.policyFor(false)).isEqualTo(Policy.REJECT);
        assertThat(r.policyFor(true)).isEqualTo(Policy.QUARANTINE);
        assertThat(r.pct()).isEqualTo(25);
        assertThat(r.dkimAlignment()).isEqualTo(Alignment.STRICT);
        assertThat(r.spfAlignment()).isEqualTo(Alignment.STRICT);
        assertThat(r.failureOptions()).containsExactly("1", "d");
        assertThat(r.reportInterval()).isEqualTo(3600);
        assertThat(r.aggregateUris()).containsExactly("mailto:agg@contoso.com!10m", "mailto:second@contoso.com");
        assertThat(r.failureUris()).containsExactly("mailto:forensic@contoso.com");
    }

    @Test
    void withoutSpThePolicyCoversSubdomains() {
        assertThat(valid("v=DMARC1; p=quarantine").policyFor(true)).isEqualTo(Policy.QUARANTINE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "v = DMARC1 ; p = reject ;",          // white space around names and values, trailing separator
            "v=DMARC1;\tp=reject",
            "V=DMARC1; P=Reject",                  // ABNF literals are case-insensitive (the version value is not)
            "v=DMARC1; p=reject;; pct=100",       // an empty segment is skipped, as deployed receivers do
            "v=DMARC1; rua=mailto:a@b.example; p=reject; np=none; future_tag=whatever", // any order; unknown tags ignored
            "v=DMARC1; p=reject; rua=not a uri",  // a reporting URI that does not parse is dropped, not fatal
    })
    void acceptedSpellingsOfPReject(String txt) {
        assertThat(valid(txt).policy()).isEqualTo(Policy.REJECT);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "v=spf1 include:spf.protection.outlook.com -all",
            "google-site-verification=abc",
            "v=DMARC2; p=reject",                 // another version
            "v=dmarc1; p=reject",                 // the value must match precisely (%x44.4d.41.52.43.31)
            "v=DMARC1p=reject",                   // the first tag's value is DMARC1p=reject
            "p=reject; v=DMARC1",                 // v must be first
            " ; v=DMARC1; p=reject",
            "",
    })
    void textThatIsNotADmarcRecordIsIgnoredByDiscovery(String txt) {
        assertThat(DmarcRecord.parse(txt)).isInstanceOf(DmarcRecord.Parsed.NotDmarc.class);
    }

    @Test
    void nullIsNotADmarcRecord() {
        assertThat(DmarcRecord.parse(null)).isInstanceOf(DmarcRecord.Parsed.NotDmarc.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "v=DMARC1; p=reject; pct=101            | pct=101 is not a whole number from 0 to 100",
            "v=DMARC1; p=reject; pct=-1             | pct=-1 is not a whole number from 0 to 100",
            "v=DMARC1; p=reject; pct=50%            | pct=50% is not a whole number from 0 to 100",
            "v=DMARC1; p=reject; adkim=x            | adkim=x is not r or s",
            "v=DMARC1; p=reject; aspf=relaxed       | aspf=relaxed is not r or s",
            "v=DMARC1; p=reject; fo=2               | fo=2 is not a list of 0, 1, d and s",
            "v=DMARC1; p=reject; ri=daily           | ri=daily is not a number of seconds",
            "v=DMARC1; p=reject; rf=a:              | rf=a: is not a list of report formats",
            "v=DMARC1; p=reject; p=none             | p= appears twice",
            "v=DMARC1; v=DMARC1; p=none             | v= appears twice",
            "v=DMARC1; p=reject; oops               | 'oops' is not tag=value",
            "v=DMARC1; p=reject; 1x=y               | '1x' is not a tag name",
            "v=DMARC1; p=bogus                      | p=bogus is not none, quarantine or reject",
            "v=DMARC1; sp=reject                    | p= is missing",
            "v=DMARC1; p=reject; sp=nope            | sp=nope is not none, quarantine or reject",
            "v=DMARC1; p=reject; rua=mailto:x@ü.de  | the value of rua= has a character outside printable ASCII",
    })
    void syntaxErrorsMakeTheRecordInvalidAndSayWhy(String txt, String problem) {
        assertThat(invalid(txt)).isEqualTo(problem);
    }

    @Test
    void aControlCharacterInAValueIsShownSafely() {
        String problem = invalid("v=DMARC1; p=reject\u0000\r\nInjected: yes");
        assertThat(problem).doesNotContain("\r", "\n", "\u0000");
    }

    @Test
    void aRecordWithABadPolicyButAValidRuaIsReadAsPNone() {
        // RFC 7489 §6.6.3 step 6
        DmarcRecord r = valid("v=DMARC1; p=bogus; rua=mailto:dmarc@contoso.com");
        assertThat(r.policy()).isEqualTo(Policy.NONE);
        assertThat(r.policyFromRua()).isTrue();
        assertThat(r.aggregateUris()).containsExactly("mailto:dmarc@contoso.com");
        DmarcRecord missing = valid("v=DMARC1; rua=mailto:dmarc@contoso.com; sp=reject");
        assertThat(missing.policyFor(true)).isEqualTo(Policy.NONE);
        assertThat(valid("v=DMARC1; p=reject; sp=bad; rua=mailto:d@contoso.com").policy()).isEqualTo(Policy.NONE);
        // ... but a rua with no valid URI does not rescue it
        assertThat(invalid("v=DMARC1; p=bogus; rua=not a uri")).isEqualTo("p=bogus is not none, quarantine or reject");
    }

    @Test
    void pctBoundsAreAccepted() {
        assertThat(valid("v=DMARC1; p=reject; pct=0").pct()).isZero();
        assertThat(valid("v=DMARC1; p=reject; pct=100").pct()).isEqualTo(100);
        assertThat(valid("v=DMARC1; p=reject; pct=007").pct()).isEqualTo(7);
    }

    @Test
    void aHugeRecordIsParsedWithoutBlowingTheStack() {
        String big = "v=DMARC1; p=reject; x=" + "a ".repeat(40_000) + "; fo=" + "1:".repeat(10_000) + "0";
        assertThat(valid(big).failureOptions()).hasSize(10_001);
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; rf=" + "a:".repeat(30_000) + "a"))
                .isInstanceOf(DmarcRecord.Parsed.Valid.class);
        assertThat(valid("v=DMARC1; p=none; ri=" + "9".repeat(32)).reportInterval()).isEqualTo(Long.MAX_VALUE);
        assertThat(invalid("v=DMARC1; p=none; ri=" + "9".repeat(33))).startsWith("ri=999");
    }
}
