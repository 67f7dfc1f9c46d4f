// SpfRecordTest: the record grammar, macro expansion, the ip4/ip6 text forms and the header texts, without DNS.
package dev.gatehouse.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpfRecordTest {

    private static SpfRecord ok(String text) {
        Parsed p = SpfRecord.parse(text);
        assertThat(p).as(text).isInstanceOf(SpfRecord.class);
        return (SpfRecord) p;
    }

    private static SyntaxError bad(String text) {
        Parsed p = SpfRecord.parse(text);
        assertThat(p).as(text).isInstanceOf(SyntaxError.class);
        return (SyntaxError) p;
    }

    @Test
    void readsEveryMechanismWithQualifiersAndCidrLengths() {
        SpfRecord r = ok("v=spf1 +a -mx:mail.example.com/24//64 ~ptr ?ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.com "
                + "exists:%{i}.bl.example.com a//0 redirect=other.example.com exp=why.%{d} x-custom=anything:at/all -all");
        assertThat(r.mechanisms()).hasSize(9);
        assertThat(r.mechanisms().get(0)).isEqualTo(new Mechanism.A(Qualifier.PASS, "+a", null, 32, 128));
        Mechanism.Mx mx = (Mechanism.Mx) r.mechanisms().get(1);
        assertThat(mx.qualifier()).isEqualTo(Qualifier.FAIL);
        assertThat(mx.domain().text()).isEqualTo("mail.example.com");
        assertThat(mx.cidr4()).isEqualTo(24);
        assertThat(mx.cidr6()).isEqualTo(64);
        assertThat(r.mechanisms().get(2)).isEqualTo(new Mechanism.Ptr(Qualifier.SOFTFAIL, "~ptr", null));
        assertThat(((Mechanism.Ip4) r.mechanisms().get(3)).network().toString()).isEqualTo("192.0.2.0/24");
        assertThat(((Mechanism.Ip6) r.mechanisms().get(4)).network().toString()).isEqualTo("2001:db8::/32");
        assertThat(((Mechanism.A) r.mechanisms().get(7)).cidr6()).isZero();
        assertThat(r.mechanisms().get(8)).isEqualTo(new Mechanism.All(Qualifier.FAIL, "-all"));
        assertThat(r.redirect().text()).isEqualTo("other.example.com");
        assertThat(r.explanation().text()).isEqualTo("why.%{d}");
        assertThat(r.unknownModifiers()).containsExactly("x-custom");
    }

    @Test
    void versionIsCaseInsensitiveAndEndsAtASpaceOrTheEnd() {
        assertThat(SpfRecord.isSpf("v=spf1")).isTrue();
        assertThat(SpfRecord.isSpf("V=SpF1 -all")).isTrue();
        assertThat(SpfRecord.isSpf("v=spf10")).isFalse();
        assertThat(SpfRecord.isSpf("v=spf1mx")).isFalse();
        assertThat(SpfRecord.isSpf(" v=spf1 -all")).isFalse();
        assertThat(ok("v=spf1").mechanisms()).isEmpty();
        assertThat(ok("v=spf1 a  -all ").mechanisms()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "v=spf1 ip4:1.2.3.4 -all moo", "v=spf1 -all.", "v=spf1 -all:foobar", "v=spf1 -all/8", "v=spf1 ptr/0 -all",
            "v=spf1 ptr:", "v=spf1 a/33 -all", "v=spf1 a//129 -all", "v=spf1 a/24/64 -all", "v=spf1 a:museum", "v=spf1 a:museum.",
            "v=spf1 a:abc.123", "v=spf1 a:111.222.33.44", "v=spf1 a:example.-com", "v=spf1 a:example.com:8080", "v=spf1 a:",
            "v=spf1 a:foo.example.com\0", "v=spf1 include", "v=spf1 include:", "v=spf1 include:ip5.example.com/24 -all",
            "v=spf1 exists", "v=spf1 exists:", "v=spf1 exists:mail.example.com/24", "v=spf1 ip4", "v=spf1 ip4:1.2.3",
            "v=spf1 ip4:1.2.3.4/33", "v=spf1 ip4:1.2.3.4/032", "v=spf1 ip4:1.2.3.4//32", "v=spf1 ip4:1.2.3.4:8080",
            "v=spf1 ip4:01.2.3.4", "v=spf1 ip4:256.2.3.4", "v=spf1 ip6", "v=spf1 ip6:::1.1.1.1/129", "v=spf1 ip6:::1.1.1.1//33",
            "v=spf1 ip6::CAFE::BABE", "v=spf1 ip6:1:2:3:4:5:6:7:8:9", "v=spf1 ip6:1::2::3", "v=spf1 ip6:12345::",
            "v=spf1 redirect:t2.example.com", "v=spf1 redirect=-all ?all", "v=spf1 ?all redirect=", "v=spf1 exp= -all",
            "v=spf1 exp=-all", "v=spf1 exp=a.example.com exp=b.example.com", "v=spf1 redirect=a.example.com redirect=a.example.com",
            "v=spf1 1up=foo", "v=spf1 =all", "v=spf1 foo=%abc", "v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all",
            "v=spf1 a:ctrl.example.com\rptr -all", "v=spf1 ip4:192.0.2.5\n include:x.example.com ~all", "v=spf1\ta",
            "v=spf1 \u0080a:example.net -all", "v=spf1 a:example.net \u0096all", "v=spf1 a:\u00EF\u00BB\u00BFgarbage.example.net -all",
            "v=spf1 -exists:%(ir).sbl.example.com ?all", "v=spf1 exists:foo%.sbl.example.com", "v=spf1 a:%{a}.example.com",
            "v=spf1 -all exp=%{r}.example.com", "v=spf1 a:%{d0}.example.com", "v=spf1 a:%{d", "v=spf1 a:%{dx}.example.com",
            "v=spf1 +", "v=spf1 -redirect=x.example.com", "v=spf1 a:%"})
    void refusesWhatTheGrammarRefuses(String record) {
        SyntaxError e = bad(record);
        assertThat(e.position()).isBetween(0, record.length());
        assertThat(e.message()).doesNotContain("\r", "\n", "\0").contains("position " + e.position());
    }

    @Test
    void errorsNameTheTermAndWhere() {
        SyntaxError e = bad("v=spf1 ip4:1.2.3.4 -all moo");
        assertThat(e.position()).isEqualTo(24);
        assertThat(e.reason()).isEqualTo("unknown mechanism \"moo\"");
        assertThat(bad("v=spf1 -all exp=%{r}.example.com").reason()).contains("'r'", "explanation text");
        assertThat(bad("v=spf1 a:example.com\r").message()).contains("\"v=spf1 a:example.com?\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all", "v=spf1 default=pass", "v=spf1 default=+",
            "v=spf1 a:foo:bar/baz.example.com", "v=spf1 a:foo.example.xn--zckzah -all", "v=spf1 a:1-2.example.1-2",
            "v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all", "v=spf1 redirect=%{d}.d.spf.example.com.",
            "v=spf1 include:o.spf.example.com. ~all", "v=spf1 exists:%{l2r+-}.user.%{d2}", "v=spf1 a:%{H} -all",
            "v=spf1 ip6:::FFFF:1.2.3.4 ip6:Cafe:Babe:8000::/33 ip6:::/0 ip6:1:2:3:4:5:6:7:8 ip6:1:2:3:4:5:6:1.2.3.4",
            "v=spf1 Include:EXAMPLE.com ALL", "v=spf1 exists:%{d1000000000000000000}.x.example"})
    void acceptsWhatTheGrammarAllows(String record) {
        ok(record);
    }

    private static final Map<Character, String> VALUES = Map.of(
            's', "strong-bad@email.example.com", 'l', "strong-bad", 'o', "email.example.com", 'd', "email.example.com",
            'i', "192.0.2.3", 'h', "mx.example.org", 'v', "in-addr", 'p', "unknown", 'c', "192.0.2.3", 'r', "gw.example");

    private static String expand(String macro) throws SyntaxError.Failure {
        return MacroParser.parse(macro, 0, MacroParser.Kind.EXPLANATION).expand(VALUES::get, false);
    }

    /** The examples of RFC 7208 §7.4. */
    @Test
    void expandsTheRfcExamples() throws Exception {
        assertThat(expand("%{s}")).isEqualTo("strong-bad@email.example.com");
        assertThat(expand("%{o}")).isEqualTo("email.example.com");
        assertThat(expand("%{d}")).isEqualTo("email.example.com");
        assertThat(expand("%{d4}")).isEqualTo("email.example.com");
        assertThat(expand("%{d3}")).isEqualTo("email.example.com");
        assertThat(expand("%{d2}")).isEqualTo("example.com");
        assertThat(expand("%{d1}")).isEqualTo("com");
        assertThat(expand("%{dr}")).isEqualTo("com.example.email");
        assertThat(expand("%{d2r}")).isEqualTo("example.email");
        assertThat(expand("%{l}")).isEqualTo("strong-bad");
        assertThat(expand("%{l-}")).isEqualTo("strong.bad");
        assertThat(expand("%{lr}")).isEqualTo("strong-bad");
        assertThat(expand("%{lr-}")).isEqualTo("bad.strong");
        assertThat(expand("%{l1r-}")).isEqualTo("strong");
        assertThat(expand("%{ir}.%{v}._spf.%{d2}")).isEqualTo("3.2.0.192.in-addr._spf.example.com");
        assertThat(expand("%{lr-}.lp._spf.%{d2}")).isEqualTo("bad.strong.lp._spf.example.com");
        assertThat(expand("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}")).isEqualTo("bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
        assertThat(expand("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}")).isEqualTo("3.2.0.192.in-addr.strong.lp._spf.example.com");
        assertThat(expand("%{d2}.trusted-domains.example.net")).isEqualTo("example.com.trusted-domains.example.net");
        assertThat(expand("%% %_%- %{r} %{c}")).isEqualTo("%  %20 gw.example 192.0.2.3");
    }

    @Test
    void upperCaseMacrosAreUrlEscapedAndDelimitersCombine() throws Exception {
        Map<Character, String> v = Map.of('l', "~jack&jill=up-a_b3.c", 's', "foo-bar+zip+quux@x", 'h', "JUMPIN' JUPITER");
        MacroString.Values values = v::get;
        assertThat(MacroParser.parse("%{L}", 0, MacroParser.Kind.DOMAIN).expand(values, true)).isEqualTo("~jack%26jill%3Dup-a_b3.c");
        assertThat(MacroParser.parse("%{H}", 0, MacroParser.Kind.DOMAIN).expand(values, true)).isEqualTo("JUMPIN%27%20JUPITER");
        assertThatThrownBy(() -> MacroParser.parse("%{s2r+-@}", 0, MacroParser.Kind.DOMAIN)).isInstanceOf(SyntaxError.Failure.class);
        assertThat(MacroString.expand(new MacroString.Macro('l', 2, true, "+-", false), "foo-bar+zip+quux")).isEqualTo("bar.foo");
        assertThat(MacroString.expand(new MacroString.Macro('l', 0, false, ".", false), "a..b")).isEqualTo("a..b");
    }

    @Test
    void expansionIsBoundedAndADomainKeepsItsRightEnd() throws Exception {
        MacroString many = MacroParser.parse("%{s}".repeat(5000) + ".end.example", 0, MacroParser.Kind.DOMAIN);
        String domain = many.expand(VALUES::get, true);
        assertThat(domain).hasSizeLessThanOrEqualTo(MacroString.MAX_EXPANSION).endsWith("strong-bad@email.example.com.end.example");
        assertThat(Domains.truncate(domain)).hasSizeLessThanOrEqualTo(253).endsWith(".end.example");
        String text = MacroParser.parse("%{S} ".repeat(5000), 0, MacroParser.Kind.EXPLANATION).expand(VALUES::get, false);
        assertThat(text).hasSize(MacroString.MAX_EXPANSION).startsWith("strong-bad%40email.example.com ");
    }

    @Test
    void truncatesLongDomainsFromTheLeftByWholeLabels() {
        String name = "x".repeat(60) + "." + "y".repeat(60) + "." + "z".repeat(60) + "." + "w".repeat(60) + ".example.com.";
        assertThat(name.length()).isGreaterThan(253);
        assertThat(Domains.truncate(name)).isEqualTo("y".repeat(60) + "." + "z".repeat(60) + "." + "w".repeat(60) + ".example.com");
        assertThat(Domains.truncate("example.com.")).isEqualTo("example.com");
    }

    @Test
    void checkHostDomainsFollowSection43() {
        assertThat(Domains.checkHostDomain("Example.COM.")).isEqualTo("Example.COM");
        assertThat(Domains.checkHostDomain("A2345678")).isNull();
        assertThat(Domains.checkHostDomain("[1.2.3.5]")).isNull();
        assertThat(Domains.checkHostDomain("A...example.com")).isNull();
        assertThat(Domains.checkHostDomain("a".repeat(64) + ".example.com")).isNull();
        assertThat(Domains.checkHostDomain("a".repeat(63) + ".example.com")).isNotNull();
        assertThat(Domains.checkHostDomain("bücher.example")).isEqualTo("xn--bcher-kva.example");
        assertThat(Domains.checkHostDomain("evil\r\n.example")).isNull();
        assertThat(Domains.target("JUMPIN%27%20JUPITER")).isEqualTo("JUMPIN%27%20JUPITER");
        assertThat(Domains.target("mail.example...com")).isNull();
    }

    @Test
    void addressesFollowRfc4291AndRfc5952() throws Exception {
        assertThat(Network.text(Network.parseIp6("CAFE:BABE::1"))).isEqualTo("cafe:babe::1");
        assertThat(Network.text(Network.parseIp6("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Network.text(Network.parseIp6("::"))).isEqualTo("::");
        assertThat(Network.text(Network.parseIp6("1:0:2:3:4:5:6:7"))).isEqualTo("1:0:2:3:4:5:6:7");
        assertThat(Network.parseIp6("::1.1.1.1")).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(Network.parseIp6("1:2:3:4:5:6:7::")).isNotNull();
        assertThat(Network.parseIp6("1:2:3:4:5:6:7:8::")).isNull();
        assertThat(Network.parseIp6("１::")).isNull();
        assertThat(Network.dotted(Network.parseIp6("CAFE:BABE::1")))
                .isEqualTo("C.A.F.E.B.A.B.E.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1");
        InetAddress mapped = InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4});
        assertThat(Network.clientBytes(mapped)).containsExactly(1, 2, 3, 4);
        Network net = new Network(Network.parseIp4("192.0.2.0"), 23);
        assertThat(net.contains(Network.parseIp4("192.0.3.255"))).isTrue();
        assertThat(net.contains(Network.parseIp4("192.0.4.0"))).isFalse();
        assertThat(new Network(Network.parseIp6("::ffff:1.2.3.4"), 128).contains(new byte[] {1, 2, 3, 4})).isFalse();
    }

    @Test
    void headerValuesCannotCarryLineBreaksOrUnbalancedComments() throws Exception {
        InetAddress ip = InetAddress.getByName("203.0.113.50");
        SpfResult softfail = new SpfResult(SpfResult.Result.SOFTFAIL, "mailfrom", "contoso.com", "a@contoso.com", "~all", null, null);
        assertThat(SpfHeaders.receivedSpf(softfail, ip, "mail.contoso.com", "gw.example")).isEqualTo(
                "SoftFail (gw.example: domain of transitioning contoso.com discourages use of 203.0.113.50 as permitted sender) "
                        + "receiver=gw.example; client-ip=203.0.113.50; helo=mail.contoso.com; pr=C");
        SpfResult hostile = new SpfResult(SpfResult.Result.NONE, "helo", "x)\r\nX-Evil: 1 (", "postmaster@x", null, null, null);
        String received = SpfHeaders.receivedSpf(hostile, ip, "evil\r\nX-Injected: yes\"", "gw.example");
        assertThat(received).doesNotContain("\r", "\n")
                .startsWith("None (gw.example: x\\)??X-Evil: 1 \\( does not designate permitted sender hosts)")
                .endsWith("helo=\"evil??X-Injected: yes\\\"\"; pr=C");
        assertThat(SpfHeaders.authenticationResults(softfail, ip, false, "mail.contoso.com"))
                .isEqualTo("spf=softfail (sender IP is 203.0.113.50) smtp.mailfrom=contoso.com");
        assertThat(SpfHeaders.authenticationResults(softfail, ip, true, "mail.contoso.com"))
                .isEqualTo("spf=softfail (sender IP is 203.0.113.50) smtp.helo=mail.contoso.com");
        assertThat(SpfHeaders.printable("x".repeat(1000), 100)).hasSize(100).endsWith("...");
    }
}
