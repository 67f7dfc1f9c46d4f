// SpfCheckTest: check_host() and the receiver's checks against hostile DNS data served by a real DNS server (Knot).
package dev.gatehouse.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.dns.testing.DnsServer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a publisher (or an attacker who is one) can put in DNS, and what a client can send, must end in a result
 * and never in a crash, a loop or a stall: oversized records, include and redirect loops, the lookup and void
 * limits, timeouts, malformed records, macro bombs, and header texts built from all of it.
 */
class SpfCheckTest {

    private static final InetAddress CLIENT = InetAddress.ofLiteral("192.0.2.1");
    private static DnsServer dns;
    private static Spf spf;

    @BeforeAll
    static void start() {
        StringBuilder z = new StringBuilder();
        List<String> big = new ArrayList<>(List.of("v=spf1"));
        IntStream.rangeClosed(1, 999).forEach(i -> big.add(" ip4:10.0." + i / 256 + "." + i % 256));
        txt(z, "big.example", SuiteZone.characterStrings(big));
        IntStream.rangeClosed(1, 999).forEach(i -> txt(z, "many.example", "\"filler record number " + i + "\""));
        txt(z, "many.example", "\"v=spf1 -all\"");
        txt(z, "loop-a.example", "\"v=spf1 include:loop-b.example -all\"");
        txt(z, "loop-b.example", "\"v=spf1 include:loop-a.example -all\"");
        txt(z, "self.example", "\"v=spf1 redirect=self.example\"");
        txt(z, "ten.example", "\"v=spf1" + " a".repeat(10) + " ip4:192.0.2.1 -all\"");
        txt(z, "eleven.example", "\"v=spf1" + " a".repeat(11) + " ip4:192.0.2.1 -all\"");
        z.append("ten.example. A 192.0.2.99\neleven.example. A 192.0.2.99\n");
        txt(z, "void2.example", "\"v=spf1 a:nx1.example mx:nx2.example -all\"");
        txt(z, "void3.example", "\"v=spf1 a:nx1.example mx:nx2.example exists:nx3.example -all\"");
        txt(z, "slowinclude.example", "\"v=spf1 include:slow.example -all\"");
        txt(z, "twice.example", "\"v=spf1 -all\"");
        txt(z, "twice.example", "\"v=spf1 +all\"");
        txt(z, "badip.example", "\"v=spf1 ip4:192.0.2.300 -all\"");
        txt(z, "badport.example", "\"v=spf1 a:example.com:8080 -all\"");
        txt(z, "lateerror.example", "\"v=spf1 +all foo=%x\"");
        txt(z, "bomb.example", SuiteZone.characterStrings(List.of("v=spf1 exists:" + "%{s}".repeat(2000) + ".x.example -all exp=bombexp.example")));
        txt(z, "bombexp.example", SuiteZone.characterStrings(List.of("%{S}".repeat(400))));
        txt(z, "slowptr.example", "\"v=spf1 ptr:slow.example -all\"");
        IntStream.rangeClosed(1, 10).forEach(i -> z.append("1.2.0.192.in-addr.arpa. PTR p").append(i).append(".slow.example.\n"));
        txt(z, "mx11.example", "\"v=spf1 mx -all\"");
        IntStream.rangeClosed(1, 11).forEach(i -> z.append("mx11.example. MX ").append(i).append(" mx").append(i).append(".mx11.example.\n"));
        txt(z, "nullmx.example", "\"v=spf1 mx -all\"");
        z.append("nullmx.example. MX 0 .\n");
        txt(z, "mail.client.example", "\"v=spf1 a -all\"");
        z.append("mail.client.example. A 192.0.2.1\n");
        txt(z, "softfail.example", "\"v=spf1 ip4:198.51.100.0/24 ~all\"");
        txt(z, "hard.example", "\"v=spf1 -all exp=why.example\"");
        txt(z, "why.example", "\"Rejected %{h} from %{c}\"");
        txt(z, "strasse.example", "\"v=spf1 +all\""); // what IDNA 2003 makes of straße.example
        txt(z, "xn--bcher-kva.example", "\"v=spf1 ip4:192.0.2.1 -all\""); // bücher.example
        Set<String> timeouts = Set.of("slow.example", "p1.slow.example", "p2.slow.example", "p3.slow.example", "p4.slow.example",
                "p5.slow.example", "p6.slow.example", "p7.slow.example", "p8.slow.example", "p9.slow.example", "p10.slow.example");
        dns = DnsServer.start(Map.of(".", z.toString()), timeouts);
        spf = new Spf(dns.resolver(), "gw.example");
    }

    private static void txt(StringBuilder zone, String name, String strings) {
        zone.append(name).append(". TXT ").append(strings).append('\n');
    }

    @AfterAll
    static void stop() {
        if (dns != null) dns.close();
    }

    private static SpfResult check(String domain) {
        return spf.checkHost(CLIENT, domain, "someone@" + domain, "mail.client.example");
    }

    @Test
    void aRecordOfAThousandStringsIsReadWhole() {
        SpfResult r = spf.checkHost(InetAddress.ofLiteral("10.0.3.231"), "big.example", "a@big.example", "h.example");
        assertThat(r.result()).isEqualTo(SpfResult.Result.PASS);
        assertThat(r.mechanism()).isEqualTo("ip4:10.0.3.231");
    }

    @Test
    void theSpfRecordIsFoundAmongAThousandOthers() {
        SpfResult r = check("many.example");
        assertThat(r.result()).isEqualTo(SpfResult.Result.FAIL);
        assertThat(r.mechanism()).isEqualTo("-all");
    }

    @Test
    void includeAndRedirectLoopsEndAtTheLookupLimit() {
        SpfResult include = check("loop-a.example");
        assertThat(include.result()).isEqualTo(SpfResult.Result.PERMERROR);
        assertThat(include.problem()).contains("more than 10 DNS-querying terms", "include:loop-");
        SpfResult redirect = check("self.example");
        assertThat(redirect.result()).isEqualTo(SpfResult.Result.PERMERROR);
        assertThat(redirect.problem()).contains("more than 10 DNS-querying terms", "redirect=self.example");
    }

    @Test
    void tenLookupsAreAllowedAndTheEleventhIsAPermerror() {
        assertThat(check("ten.example").result()).isEqualTo(SpfResult.Result.PASS);
        SpfResult r = check("eleven.example");
        assertThat(r.result()).isEqualTo(SpfResult.Result.PERMERROR);
        assertThat(r.problem()).contains("more than 10");
    }

    @Test
    void twoVoidLookupsAreAllowedAndTheThirdIsAPermerror() {
        assertThat(check("void2.example").result()).isEqualTo(SpfResult.Result.FAIL);
        SpfResult r = check("void3.example");
        assertThat(r.result()).isEqualTo(SpfResult.Result.PERMERROR);
        assertThat(r.problem()).contains("more than 2 void lookups", "exists:nx3.example");
    }

    @Test
    void anIncludeThatTimesOutIsATemperror() {
        SpfResult r = check("slowinclude.example");
        assertThat(r.result()).isEqualTo(SpfResult.Result.TEMPERROR);
        assertThat(r.problem()).contains("TXT slow.example");
    }

    @Test
    void malformedRecordsArePermerrorsNamingTheProblem() {
        assertThat(check("twice.example").problem()).contains("2 SPF records at twice.example");
        assertThat(check("badip.example").problem()).contains("invalid IPv4 address", "ip4:192.0.2.300");
        assertThat(check("badport.example").problem()).contains("invalid domain \"example.com:8080\"");
        SpfResult late = check("lateerror.example");
        assertThat(late.result()).as("an error after +all still counts").isEqualTo(SpfResult.Result.PERMERROR);
        for (String d : List.of("twice.example", "badip.example", "badport.example")) {
            assertThat(check(d).result()).as(d).isEqualTo(SpfResult.Result.PERMERROR);
        }
    }

    @Test
    void macroBombsExpandWithinBounds() {
        SpfResult r = check("bomb.example");
        assertThat(r.result()).isEqualTo(SpfResult.Result.FAIL);
        assertThat(r.explanation()).hasSize(SpfHeaders.MAX_EXPLANATION).startsWith("someone%40bomb.examplesomeone%40").endsWith("...");
    }

    @Test
    void theCheckHasADeadlineEvenWhenEveryLookupIsForgiven() {
        // ptr skips names whose lookups fail (RFC 7208 §5.5): ten timing-out names would take ten timeouts; the budget ends it.
        Spf budgeted = new Spf(dns.resolver(), "gw.example", Duration.ofMillis(1500), Clock.systemUTC());
        SpfResult r = budgeted.checkHost(CLIENT, "slowptr.example", "a@slowptr.example", "h.example");
        assertThat(r.result()).isEqualTo(SpfResult.Result.TEMPERROR);
        assertThat(r.problem()).contains("DNS time budget of 1500 ms used up");
    }

    @Test
    void moreThanTenMxRecordsIsAPermerrorAndANullMxMatchesNothing() {
        SpfResult r = check("mx11.example");
        assertThat(r.result()).isEqualTo(SpfResult.Result.PERMERROR);
        assertThat(r.problem()).contains("11 MX records at mx11.example");
        assertThat(check("nullmx.example").result()).isEqualTo(SpfResult.Result.FAIL);
    }

    @Test
    void theReceiverChecksHeloAndMailFromAndTheNullSenderIsPostmasterAtHelo() {
        Spf.Checked c = spf.check(CLIENT, "mail.client.example", "user@softfail.example");
        assertThat(c.helo().result()).isEqualTo(SpfResult.Result.PASS);
        assertThat(c.helo().identity()).isEqualTo("helo");
        assertThat(c.mailFrom().result()).isEqualTo(SpfResult.Result.SOFTFAIL);
        assertThat(c.mailFrom().domain()).isEqualTo("softfail.example");
        assertThat(spf.authenticationResults(c, CLIENT, "mail.client.example"))
                .isEqualTo("spf=softfail (sender IP is 192.0.2.1) smtp.mailfrom=softfail.example");
        assertThat(spf.receivedSpf(c.mailFrom(), CLIENT, "mail.client.example")).isEqualTo(
                "SoftFail (gw.example: domain of transitioning softfail.example discourages use of 192.0.2.1 as permitted sender) "
                        + "receiver=gw.example; client-ip=192.0.2.1; helo=mail.client.example; pr=C");

        Spf.Checked bounce = spf.check(CLIENT, "mail.client.example", "");
        assertThat(bounce.nullSender()).isTrue();
        assertThat(bounce.mailFrom().result()).isEqualTo(SpfResult.Result.PASS);
        assertThat(bounce.mailFrom().sender()).isEqualTo("postmaster@mail.client.example");
        assertThat(spf.authenticationResults(bounce, CLIENT, "mail.client.example"))
                .isEqualTo("spf=pass (sender IP is 192.0.2.1) smtp.helo=mail.client.example");
        assertThat(spf.receivedSpf(bounce.mailFrom(), CLIENT, "mail.client.example")).isEqualTo(
                "Pass (gw.example: domain of mail.client.example designates 192.0.2.1 as permitted sender) "
                        + "receiver=gw.example; client-ip=192.0.2.1; helo=mail.client.example; pr=C");
    }

    @Test
    void anInternationalDomainIsJudgedAsWrittenNeverAsTheDomainAnOldMappingTurnsItInto() {
        // DMARC aligns the From domain as written (straße -> xn--strae-oqa); SPF must not judge strasse.example for it,
        // or whoever owns strasse.example passes SPF for straße.example
        assertThat(spf.checkReported(CLIENT, "h.example", "x@straße.example").result()).isEqualTo(SpfResult.Result.NONE);
        assertThat(spf.checkReported(CLIENT, "h.example", "x@bücher.example").result()).isEqualTo(SpfResult.Result.PASS);
    }

    @Test
    void anAddressLiteralHeloIsNoneAndANoRecordDomainSaysSo() {
        Spf.Checked c = spf.check(CLIENT, "[192.0.2.1]", "a@nx1.example");
        assertThat(c.helo().result()).isEqualTo(SpfResult.Result.NONE);
        assertThat(c.mailFrom().result()).isEqualTo(SpfResult.Result.NONE);
        assertThat(c.mailFrom().problem()).isEqualTo("nx1.example does not exist");
        assertThat(spf.receivedSpf(c.mailFrom(), CLIENT, "[192.0.2.1]")).isEqualTo(
                "None (gw.example: nx1.example does not designate permitted sender hosts) receiver=gw.example; client-ip=192.0.2.1; "
                        + "helo=\"[192.0.2.1]\"; pr=C");
    }

    @Test
    void anExplanationBuiltFromAHostileHeloCannotBreakAHeader() {
        SpfResult r = spf.checkHost(CLIENT, "hard.example", "a@hard.example", "evil\r\nX-Injected: yes");
        assertThat(r.result()).isEqualTo(SpfResult.Result.FAIL);
        assertThat(r.explanation()).isEqualTo("Rejected evil??X-Injected: yes from 192.0.2.1");
        String field = spf.receivedSpf(r, CLIENT, "evil\r\nX-Injected: yes");
        assertThat(field).doesNotContain("\r", "\n").contains("helo=\"evil??X-Injected: yes\"");
    }
}
