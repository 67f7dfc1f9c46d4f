// DmarcEvaluatorTest: DMARC verdicts against a real DNS server: alignment and policy tables, Exchange's scenarios 1 and 3, pct, errors.
package dev.gatehouse.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatehouse.dkim.DkimResult;
import dev.gatehouse.dmarc.DmarcResult.Policy;
import dev.gatehouse.dmarc.DmarcResult.Result;
import dev.gatehouse.dns.testing.DnsServer;
import dev.gatehouse.mail.Message;
import dev.gatehouse.spf.SpfResult;

class DmarcEvaluatorTest {

    /** What each domain publishes at {@code _dmarc.<domain>} (and a few other TXT records beside them). */
    private static final String ZONE = """
            _dmarc.contoso.com.            TXT "v=DMARC1; p=none; rua=mailto:dmarc@contoso.com"
            contoso.com.                   TXT "v=spf1 include:spf.protection.outlook.com ~all"
            _dmarc.reject.example.         TXT "v=DMARC1; p=reject; sp=quarantine"
            _dmarc.reject.example.         TXT "some-verification=12345"
            _dmarc.own.reject.example.     TXT "v=DMARC1; p=none"
            _dmarc.nosp.example.           TXT "v=DMARC1; p=quarantine"
            _dmarc.strict.example.         TXT "v=DMARC1; p=reject; adkim=s; aspf=s"
            _dmarc.pct0.example.           TXT "v=DMARC1; p=reject; pct=0"
            _dmarc.pct0q.example.          TXT "v=DMARC1; p=quarantine; pct=0"
            _dmarc.pct100.example.         TXT "v=DMARC1; p=quarantine; pct=100"
            _dmarc.pct50.example.          TXT "v=DMARC1; p=reject; pct=50"
            _dmarc.invalid.example.        TXT "v=DMARC1; p=reject; pct=200"
            _dmarc.two.example.            TXT "v=DMARC1; p=reject"
            _dmarc.two.example.            TXT "v=DMARC1; p=none"
            _dmarc.split.example.          TXT "v=DMARC1; " "p=reject"
            _dmarc.spfonly.example.        TXT "v=spf1 -all"
            _dmarc.rescued.example.        TXT "v=DMARC1; p=bogus; rua=mailto:d@rescued.example"
            _dmarc.contoso.co.uk.          TXT "v=DMARC1; p=reject"
            _dmarc.alice.blogspot.com.     TXT "v=DMARC1; p=reject"
            _dmarc.xn--bcher-kva.example.  TXT "v=DMARC1; p=reject"
            _dmarc.slow.example.           TXT "v=DMARC1; p=reject"
            norecord.example.              TXT "v=spf1 -all"
            """;

    private static DnsServer server;
    private static DmarcEvaluator evaluator;

    @BeforeAll
    static void startDns() {
        server = DnsServer.start(Map.of(".", ZONE), Set.of("_dmarc.slow.example"));
        evaluator = new DmarcEvaluator(server.resolver(), PublicSuffixList.packaged());
    }

    @AfterAll
    static void stopDns() {
        if (server != null) server.close();
    }

    /**
     * From field × SPF (result:domain; helo-pass is the null sender's HELO check) × DKIM (result:d= each) → result,
     * which identifier aligned, the policy that applies, Exchange's action word, and the header fragment.
     */
    @ParameterizedTest(name = "[{index}] From {0}, SPF {1}, DKIM {2} -> {8}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # Exchange spec scenario 1: MAIL FROM and From contoso.com, SPF softfail, no DKIM, p=none
            alice@contoso.com                      | softfail:contoso.com        | -                                  | fail          | false | false | NONE       | none           | dmarc=fail action=none header.from=contoso.com
            # scenario 3: the attacker's own MAIL FROM passes SPF, but does not align with From
            alice@contoso.com                      | pass:evil.example           | -                                  | fail          | false | false | NONE       | none           | dmarc=fail action=none header.from=contoso.com
            alice@contoso.com                      | pass:contoso.com            | -                                  | pass          | true  | false | NONE       | none           | dmarc=pass action=none header.from=contoso.com
            # relaxed: a bounce subdomain, a signing subdomain, upper case
            alice@contoso.com                      | pass:bounce.contoso.com     | -                                  | pass          | true  | false | NONE       | none           | dmarc=pass action=none header.from=contoso.com
            Alice@CONTOSO.COM                      | softfail:contoso.com        | pass:mail.contoso.com              | pass          | false | true  | NONE       | none           | dmarc=pass action=none header.from=contoso.com
            # only passing signatures count; an aligned failure beside an unaligned pass is still a failure
            alice@contoso.com                      | -                           | fail:contoso.com                   | fail          | false | false | NONE       | none           | dmarc=fail action=none header.from=contoso.com
            alice@contoso.com                      | -                           | pass:esp.example fail:contoso.com  | fail          | false | false | NONE       | none           | dmarc=fail action=none header.from=contoso.com
            alice@contoso.com                      | fail:contoso.com            | pass:esp.example pass:contoso.com  | pass          | false | true  | NONE       | none           | dmarc=pass action=none header.from=contoso.com
            # the null sender: SPF of the HELO name is the MAIL FROM check (RFC 7208 2.4)
            alice@contoso.com                      | helo-pass:mx1.contoso.com   | -                                  | pass          | true  | false | NONE       | none           | dmarc=pass action=none header.from=contoso.com
            # p=reject: Exchange overrides the reject (oreject)
            x@reject.example                       | pass:evil.example           | -                                  | fail          | false | false | REJECT     | oreject        | dmarc=fail action=oreject header.from=reject.example
            # a subdomain without its own record gets the organizational domain's sp=
            x@sub.reject.example                   | pass:evil.example           | -                                  | fail          | false | false | QUARANTINE | quarantine     | dmarc=fail action=quarantine header.from=sub.reject.example
            x@sub.reject.example                   | pass:reject.example         | -                                  | pass          | true  | false | QUARANTINE | none           | dmarc=pass action=none header.from=sub.reject.example
            # a subdomain with its own record gets that record's p=
            x@own.reject.example                   | -                           | -                                  | fail          | false | false | NONE       | none           | dmarc=fail action=none header.from=own.reject.example
            # without sp=, p= covers subdomains
            x@deep.sub.nosp.example                | -                           | -                                  | fail          | false | false | QUARANTINE | quarantine     | dmarc=fail action=quarantine header.from=deep.sub.nosp.example
            # adkim=s, aspf=s: only the exact domain aligns
            x@strict.example                       | pass:mail.strict.example    | pass:mail.strict.example           | fail          | false | false | REJECT     | oreject        | dmarc=fail action=oreject header.from=strict.example
            x@strict.example                       | pass:strict.example         | -                                  | pass          | true  | false | REJECT     | none           | dmarc=pass action=none header.from=strict.example
            x@strict.example                       | -                           | pass:strict.example                | pass          | false | true  | REJECT     | none           | dmarc=pass action=none header.from=strict.example
            # pct=0 leaves every message out of the policy; pct=100 none
            x@pct0.example                         | -                           | -                                  | fail          | false | false | REJECT     | pct.reject     | dmarc=fail action=pct.reject header.from=pct0.example
            x@pct0q.example                        | -                           | -                                  | fail          | false | false | QUARANTINE | pct.quarantine | dmarc=fail action=pct.quarantine header.from=pct0q.example
            x@pct100.example                       | -                           | -                                  | fail          | false | false | QUARANTINE | quarantine     | dmarc=fail action=quarantine header.from=pct100.example
            x@pct0.example                         | pass:pct0.example           | -                                  | pass          | true  | false | REJECT     | none           | dmarc=pass action=none header.from=pct0.example
            # the publisher's errors: a syntax error, two records (alignment is still reported for compauth)
            x@invalid.example                      | pass:invalid.example        | -                                  | permerror     | true  | false | NONE       | permerror      | dmarc=permerror action=permerror header.from=invalid.example
            x@two.example                          | -                           | -                                  | permerror     | false | false | NONE       | permerror      | dmarc=permerror action=permerror header.from=two.example
            # a record in two character-strings is one record
            x@split.example                        | -                           | -                                  | fail          | false | false | REJECT     | oreject        | dmarc=fail action=oreject header.from=split.example
            # no answer from DNS is not "no policy"
            x@slow.example                         | pass:slow.example           | -                                  | temperror     | true  | false | NONE       | temperror      | dmarc=temperror action=temperror header.from=slow.example
            # no record: bestguesspass when SPF or DKIM would have aligned, else none; other TXT at _dmarc is no record
            x@norecord.example                     | pass:mail.norecord.example  | -                                  | bestguesspass | true  | false | NONE       | none           | dmarc=bestguesspass action=none header.from=norecord.example
            x@norecord.example                     | -                           | pass:norecord.example              | bestguesspass | false | true  | NONE       | none           | dmarc=bestguesspass action=none header.from=norecord.example
            x@norecord.example                     | pass:evil.example           | -                                  | none          | false | false | NONE       | none           | dmarc=none action=none header.from=norecord.example
            x@spfonly.example                      | -                           | -                                  | none          | false | false | NONE       | none           | dmarc=none action=none header.from=spfonly.example
            # a bad p= with a valid rua= is p=none (RFC 7489 6.6.3)
            x@rescued.example                      | -                           | -                                  | fail          | false | false | NONE       | none           | dmarc=fail action=none header.from=rescued.example
            # public suffixes: co.uk (ICANN), blogspot.com (PRIVATE)
            x@mail.contoso.co.uk                   | pass:bounce.contoso.co.uk   | -                                  | pass          | true  | false | REJECT     | none           | dmarc=pass action=none header.from=mail.contoso.co.uk
            x@contoso.co.uk                        | pass:evil.co.uk             | -                                  | fail          | false | false | REJECT     | oreject        | dmarc=fail action=oreject header.from=contoso.co.uk
            x@alice.blogspot.com                   | pass:mallory.blogspot.com   | pass:mallory.blogspot.com          | fail          | false | false | REJECT     | oreject        | dmarc=fail action=oreject header.from=alice.blogspot.com
            # IDN: the From domain in Unicode is looked up and written as its A-label
            x@bücher.example                       | pass:xn--bcher-kva.example  | -                                  | pass          | true  | false | REJECT     | none           | dmarc=pass action=none header.from=xn--bcher-kva.example
            # several Author Domains: each is checked and the strictest failure is reported
            a@contoso.com, b@reject.example        | pass:contoso.com            | -                                  | fail          | false | false | REJECT     | oreject        | dmarc=fail action=oreject header.from=reject.example
            # a display name is not an Author Domain
            "Bob (bob@reject.example)" <bob@contoso.com> | pass:contoso.com      | -                                  | pass          | true  | false | NONE       | none           | dmarc=pass action=none header.from=contoso.com
            # malformed: readers disagree, so every domain any reader sees must pass
            ceo@reject.example(c).evil.example     | pass:evil.example           | -                                  | fail          | false | false | REJECT     | oreject        | dmarc=fail action=oreject header.from=reject.example
            # no usable From: permerror without header.from
            (none)                                 | pass:contoso.com            | -                                  | permerror     | false | false | NONE       | permerror      | dmarc=permerror action=permerror
            x@[192.0.2.1]                          | pass:contoso.com            | -                                  | permerror     | false | false | NONE       | permerror      | dmarc=permerror action=permerror
            """)
    void verdicts(String from, String spf, String dkim, String result, boolean spfAligned, boolean dkimAligned, Policy policy,
                  String action, String header) {
        DmarcResult r = evaluator.evaluate(message(from), spf(spf), dkim(dkim), new SplittableRandom(1));
        assertThat(r.result().word()).isEqualTo(result);
        assertThat(r.spfAligned()).as("SPF aligned").isEqualTo(spfAligned);
        assertThat(r.dkimAligned()).as("DKIM aligned").isEqualTo(dkimAligned);
        assertThat(r.policy()).isEqualTo(policy);
        assertThat(r.action()).isEqualTo(action);
        assertThat(r.sampledOut()).as("sampled out").isEqualTo(action.startsWith("pct."));
        assertThat(r.authenticationResults()).isEqualTo(header);
        assertThat(r.problem() == null).as("problem only for errors: " + r.problem()).isEqualTo(!result.endsWith("error"));
    }

    @Test
    void scenarioOneGivesCompauthWhatItNeeds() {
        DmarcResult r = evaluator.evaluate(message("alice@contoso.com"), spf("softfail:contoso.com"), List.of());
        assertThat(r.fromDomain()).isEqualTo("contoso.com");
        assertThat(r.orgDomain()).isEqualTo("contoso.com");
        assertThat(r.pct()).isEqualTo(100);
        assertThat(r.authenticationResults()).isEqualTo("dmarc=fail action=none header.from=contoso.com");
    }

    @Test
    void theOrganizationalDomainIsReportedForASubdomain() {
        DmarcResult r = evaluator.evaluate(message("x@mail.contoso.co.uk"), null, List.of());
        assertThat(r.fromDomain()).isEqualTo("mail.contoso.co.uk");
        assertThat(r.orgDomain()).isEqualTo("contoso.co.uk");
    }

    @Test
    void errorsSayWhatWentWrong() {
        assertThat(evaluator.evaluate(message("x@slow.example"), null, List.of()).problem())
                .isEqualTo("timeout or server failure looking up TXT _dmarc.slow.example");
        assertThat(evaluator.evaluate(message("x@invalid.example"), null, List.of()).problem())
                .isEqualTo("DMARC record at _dmarc.invalid.example is not valid: pct=200 is not a whole number from 0 to 100");
        assertThat(evaluator.evaluate(message("x@two.example"), null, List.of()).problem()).isEqualTo("2 DMARC records at _dmarc.two.example");
        assertThat(evaluator.evaluate(message("(none)"), null, List.of()).problem()).isEqualTo("the message has no From field");
    }

    @Test
    void severalFromFieldsAreEachEvaluated() {
        Message two = Message.parse("From: a@contoso.com\r\nFrom: b@reject.example\r\nSubject: t\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8));
        DmarcResult r = evaluator.evaluate(two, spf("pass:contoso.com"), List.of());
        assertThat(r.authenticationResults()).isEqualTo("dmarc=fail action=oreject header.from=reject.example");
    }

    @Test
    void pctSamplesAboutThatShareOfFailuresAndASeedRepeatsTheDraw() {
        RandomGenerator a = new SplittableRandom(7);
        RandomGenerator b = new SplittableRandom(7);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            first.add(evaluator.evaluate(message("x@pct50.example"), null, List.of(), a).action());
            second.add(evaluator.evaluate(message("x@pct50.example"), null, List.of(), b).action());
        }
        assertThat(first).containsOnly("oreject", "pct.reject").isEqualTo(second);
        assertThat(first.stream().filter("pct.reject"::equals).count()).isBetween(140L, 260L);
    }

    @Test
    void aTenantThatHonoursRejectSeesReject() {
        DmarcResult r = evaluator.evaluate(message("x@reject.example"), null, List.of()).honouringReject();
        assertThat(r.authenticationResults()).isEqualTo("dmarc=fail action=reject header.from=reject.example");
        DmarcResult q = evaluator.evaluate(message("x@sub.reject.example"), null, List.of());
        assertThat(q.honouringReject()).isSameAs(q);
    }

    /**
     * A From domain with a character no client shows is the domain the client shows, under that domain's policy: an
     * invisible joiner made it "no domain name" (permerror), which took p=reject off a spoof of reject.example.
     */
    @Test
    void aFromDomainIsJudgedAsAClientShowsIt() {
        String shown = evaluator.evaluate(message("x@reject.example"), null, List.of()).authenticationResults();
        assertThat(shown).isEqualTo("dmarc=fail action=oreject header.from=reject.example");
        for (String hidden : List.of("\u200D", "\u200C", "\u200E", "\u2060", "\uFEFF", "\u00AD",
                // blank or invisible letters and marks (Hangul fillers, Khmer inherent vowels): no domain's letters
                "\u3164", "\u115F", "\u1160", "\uFFA0", "\u17B4", "\u17B5")) {
            assertThat(evaluator.evaluate(message("x@re" + hidden + "ject.example"), null, List.of()).authenticationResults())
                    .as("U+%04X", (int) hidden.charAt(0)).isEqualTo(shown);
        }
    }

    @Test
    void lookupsAreNeededUntilTheCacheHoldsEveryRecordDmarcMayRead() {
        DmarcEvaluator fresh = new DmarcEvaluator(server.resolver(), PublicSuffixList.packaged());
        Message sub = message("x@mail.contoso.co.uk"); // no record of its own: the organizational domain's is read too
        // the prefetch's answer: whether it started lookups, so whether DMARC may wait for DNS
        assertThat(fresh.prefetch(sub)).isTrue();
        fresh.evaluate(sub, null, List.of());
        assertThat(fresh.prefetch(sub)).isFalse();
        assertThat(fresh.prefetch(message("x@reject.example"))).isTrue();
        assertThat(fresh.prefetch(message("(none)"))).isFalse();
    }

    /** The gateway's prefetch never waits for DNS: it hands the lookups to a thread of their own and returns. */
    @Test
    void thePrefetchStartsTheLookupsAndReturnsAtOnce() {
        dev.gatehouse.dns.DnsResolver dns = new dev.gatehouse.dns.DnsResolver(List.of(server.address()), java.time.Duration.ofSeconds(3));
        dev.gatehouse.compauth.DnsSenderChecks checks = new dev.gatehouse.compauth.DnsSenderChecks(dns, PublicSuffixList.packaged(), "mx.test");
        Message m = message("x@slow.example");
        long t0 = System.nanoTime();
        checks.prefetch(m);
        // the lookup itself takes the resolver's 3 s: it used to run here, before SPF and DKIM had started
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofSeconds(1));
        assertThat(checks.dmarc(m, null, List.of()).problem()).isEqualTo("timeout or server failure looking up TXT _dmarc.slow.example");
    }

    private static Message message(String from) {
        String head = from.equals("(none)") ? "" : "From: " + from + "\r\n";
        return Message.parse((head + "To: bob@contoso.com\r\nSubject: t\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** {@code result:domain}; {@code helo-pass:host} is the null sender's check at the HELO name; {@code -} none. */
    private static SpfResult spf(String spec) {
        if (spec.equals("-")) return null;
        String[] p = spec.split(":", 2);
        boolean helo = p[0].startsWith("helo-");
        SpfResult.Result result = SpfResult.Result.valueOf(p[0].replace("helo-", "").toUpperCase(java.util.Locale.ROOT));
        return new SpfResult(result, helo ? "helo" : "mailfrom", p[1], (helo ? "postmaster@" : "bounce@") + p[1], null, null, null);
    }

    /** Space-separated {@code result:d=}; {@code -} for an unsigned message. */
    private static List<DkimResult> dkim(String spec) {
        List<DkimResult> out = new ArrayList<>();
        if (spec.equals("-")) return out;
        for (String s : spec.split(" ")) {
            String[] p = s.split(":", 2);
            DkimResult.Result result = DkimResult.Result.valueOf(p[0].toUpperCase(java.util.Locale.ROOT));
            out.add(new DkimResult(result, p[1], "s1", "rsa-sha256", result == DkimResult.Result.PASS ? "signature was verified"
                    : "body hash did not verify", -1, true));
        }
        return out;
    }
}
