// Word, pattern and IP-range matching exactly as spec §5.2 describes, and evaluator semantics without a gateway.
package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MatchingTest {

    @Test
    void wordsMatchWholeWordsIgnoringCaseBoundedBySpacesOrPunctuation() {
        Words w = Words.of(List.of("contoso", "Phrase with spaces", "a*b"));
        assertThat(w.in(" Contoso")).isTrue();
        assertThat(w.in("Contoso-SCANNER v2")).isTrue();
        assertThat(w.in("alice@contoso.com")).isTrue();
        assertThat(w.in("Acontoso")).isFalse();
        assertThat(w.in("Contosoa")).isFalse();
        assertThat(w.in("Acontosob")).isFalse();
        assertThat(w.in("a PHRASE WITH SPACES here")).isTrue();
        assertThat(w.in("a*b")).isTrue();
        assertThat(w.in("axxb")).isFalse(); // * is literal
        assertThat(Words.of(List.of("scanner")).in("Scanners")).isFalse();
        assertThat(Words.problem(" lead")).isPresent();
        assertThat(Words.problem("trail ")).isPresent();
    }

    @Test
    void patternsAreDotNetStyleCaseInsensitiveUnanchored() {
        assertThat(Patterns.of(List.of("\\.domain\\.com$")).in("mail.DOMAIN.com", Deadline.none())).isTrue();
        assertThat(Patterns.of(List.of("^inv\\d+")).in("INV42 due", Deadline.none())).isTrue();
        assertThat(Patterns.of(List.of("[a-z-[aeiou]]x")).in("ax", Deadline.none())).isFalse(); // .NET class subtraction
        assertThat(Patterns.of(List.of("[a-z-[aeiou]]x")).in("bx", Deadline.none())).isTrue();
        assertThat(Patterns.of(List.of("\\p{IsGreek}+")).in("αβγ", Deadline.none())).isTrue();
        assertThat(Patterns.of(List.of("(?n)(a)b")).in("AB", Deadline.none())).isTrue();
        assertThat(Patterns.problem("a(b")).get().asString().contains("isn't a valid regular expression");
    }

    @Test
    void aRunawayPatternEndsInARuleErrorNotAStuckSession() {
        // the deadline is checked while the matcher reads the text: an expired budget stops any pattern
        Patterns absent = Patterns.of(List.of("z"));
        assertThatThrownBy(() -> absent.in("a".repeat(20_000), Deadline.in(0))).isInstanceOf(RuleEvaluationException.class);
        assertThat(absent.in("aaz", Deadline.in(1000))).isTrue();
        // java.util.regex recursion on a long value: a rule error, not a StackOverflowError in the SMTP session
        Patterns deep = Patterns.of(List.of("(a|aa)*z"));
        assertThatThrownBy(() -> deep.in("a".repeat(200_000), Deadline.none())).isInstanceOf(RuleEvaluationException.class);
    }

    @Test
    void ipRangesAcceptSingleRangeAndCidrInBothFamilies() throws Exception {
        assertThat(IpRange.parse("192.168.0.1").contains(InetAddress.getByName("192.168.0.1"))).isTrue();
        IpRange range = IpRange.parse("192.168.0.1-192.168.0.254");
        assertThat(range.contains(InetAddress.getByName("192.168.0.254"))).isTrue();
        assertThat(range.contains(InetAddress.getByName("192.168.0.255"))).isFalse();
        IpRange cidr = IpRange.parse("192.168.0.1/25");
        assertThat(cidr.contains(InetAddress.getByName("192.168.0.127"))).isTrue();
        assertThat(cidr.contains(InetAddress.getByName("192.168.0.128"))).isFalse();
        IpRange v6 = IpRange.parse("2001:db8::/32");
        assertThat(v6.contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(v6.contains(InetAddress.getByName("192.168.0.1"))).isFalse();
        assertThat(IpRange.parse("2001:db8::1-2001:db8::ff").contains(InetAddress.getByName("2001:db8::80"))).isTrue();
        for (String bad : List.of("MX records + on-premises IPs + other authorized IPs ", "10.0.0.1/33", "10.0.0.9-10.0.0.1", "host.example",
                "10.0.0", " 10.0.0.1", "10.0.0.1/8-10.0.0.2", "::1/129", "10.0.0.1-2001:db8::1")) {
            assertThat(IpRange.tryParse(bad)).as(bad).isEmpty();
        }
    }

    static final Organization ORG = new Organization() {
        @Override public boolean inOrganization(long tenantId, String address) { return address.endsWith("@contoso.com"); }
        @Override public Recipient resolve(long tenantId, String address) { return inOrganization(tenantId, address) ? new Recipient(address, 1L) : null; }
    };

    private static RuleVerdict evaluate(String authAs, Map<String, Object> params) throws Exception {
        TransportRule rule = new TransportRule(1, "00000000-0000-0000-0000-000000000001", "R", 0, RuleMode.Enforce, true, null, null, false,
                "Header", null, RuleErrorAction.Ignore, params, Instant.now());
        byte[] msg = ("X-MS-Exchange-Organization-AuthAs: " + authAs + "\r\nFrom: alice@contoso.com\r\nSubject: hi\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return RuleEvaluator.evaluate(List.of(CompiledRule.of(rule)), 1, new MessageFacts(dev.gatehouse.mail.Message.parse(msg), "alice@contoso.com", InetAddress.getByName("203.0.113.50")),
                List.of(new Organization.Recipient("bob@contoso.com", 2L)), ORG, Instant.now(), Deadline.none());
    }

    @Test
    void fromScopeReadsAnonymousAcceptedDomainSendersAsOutsideTheOrganization() throws Exception {
        Map<String, Object> r2 = Map.of("FromScope", "NotInOrganization", "SenderDomainIs", List.of("contoso.com"), "Quarantine", true);
        assertThat(evaluate("Anonymous", r2).outcomes().getFirst().disposition()).isEqualTo(RuleVerdict.Disposition.Quarantine);
        assertThat(evaluate("Internal", r2).outcomes().getFirst().disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        Map<String, Object> in = Map.of("FromScope", "InOrganization", "Quarantine", true);
        assertThat(evaluate("Internal", in).outcomes().getFirst().disposition()).isEqualTo(RuleVerdict.Disposition.Quarantine);
    }

    @Test
    void ruleOutsideItsActivationWindowDoesNothing() throws Exception {
        TransportRule rule = new TransportRule(1, "00000000-0000-0000-0000-000000000002", "Later", 0, RuleMode.Enforce, true,
                Instant.now().plusSeconds(3600), null, false, "Header", null, RuleErrorAction.Ignore, Map.of("Quarantine", true), Instant.now());
        byte[] msg = "Subject: x\r\n\r\nb".getBytes(StandardCharsets.US_ASCII);
        RuleVerdict v = RuleEvaluator.evaluate(List.of(CompiledRule.of(rule)), 1, new MessageFacts(dev.gatehouse.mail.Message.parse(msg), "", null),
                List.of(new Organization.Recipient("bob@contoso.com", 2L)), ORG, Instant.now(), Deadline.none());
        assertThat(v.outcomes().getFirst().disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        assertThat(v.notes()).isEmpty();
    }

    @Test
    void disclaimerGoesIntoHtmlAndPlainPartsAndWrapsWhatItCantEdit() {
        byte[] html = "Subject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Hi</p></body></html>\r\n".getBytes(StandardCharsets.US_ASCII);
        String out = new String(ContentEditor.apply(dev.gatehouse.mail.Message.parse(html), List.of(new HeaderEdit.Disclaimer("<p>EXTERNAL</p>", false, "Insert"))), StandardCharsets.UTF_8);
        assertThat(out).contains("<p>Hi</p><p>EXTERNAL</p></body>");
        byte[] signed = "Subject: x\r\nContent-Type: multipart/signed; boundary=s\r\n\r\n--s\r\nContent-Type: text/plain\r\n\r\nhi\r\n--s--\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(ContentEditor.canInsertDisclaimer(signed)).isFalse();
        String wrapped = new String(ContentEditor.apply(dev.gatehouse.mail.Message.parse(signed), List.of(new HeaderEdit.Disclaimer("<p>EXTERNAL</p>", false, "Wrap"))), StandardCharsets.UTF_8);
        assertThat(wrapped).contains("multipart/mixed").contains("message/rfc822").contains("<p>EXTERNAL</p>");
    }

    private static CompiledRule compiled(String name, int priority, boolean stop, RuleMode mode, Map<String, Object> params) {
        return CompiledRule.of(new TransportRule(1, String.format("00000000-0000-0000-0000-%012d", priority), name, priority, mode, true,
                null, null, stop, "Header", null, RuleErrorAction.Ignore, params, Instant.now()));
    }

    @Test
    void setSclFeedsLaterSclOverAndStopRuleProcessingEndsEvaluation() throws Exception {
        List<CompiledRule> rules = List.of(
                compiled("Scl", 0, false, RuleMode.Enforce, Map.of("SetSCL", 6)),
                compiled("Spammy", 1, true, RuleMode.Enforce, Map.of("SCLOver", 5, "PrependSubject", "[SPAM] ", "GenerateNotification", "%%Subject%% held")),
                compiled("Never", 2, false, RuleMode.Enforce, Map.of("Quarantine", true)));
        byte[] msg = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        RuleVerdict v = RuleEvaluator.evaluate(rules, 1, new MessageFacts(dev.gatehouse.mail.Message.parse(msg), "x@y.example", null),
                List.of(new Organization.Recipient("bob@contoso.com", 2L)), ORG, Instant.now(), Deadline.none());
        RuleVerdict.Outcome o = v.outcomes().getFirst();
        assertThat(o.disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        assertThat(o.edits()).containsExactly(new HeaderEdit.Set("X-MS-Exchange-Organization-SCL", "6"), new HeaderEdit.PrependSubject("[SPAM] "));
        assertThat(v.notes()).extracting(RuleVerdict.Note::type).contains("Notification").doesNotContain("Quarantine");
        assertThat(v.notes()).filteredOn(n -> n.type().equals("TransportRule")).extracting(RuleVerdict.Note::detail)
                .noneMatch(d -> d.contains("'Never'"));
        String edited = new String(ContentEditor.apply(dev.gatehouse.mail.Message.parse(msg), o.edits()), StandardCharsets.US_ASCII);
        assertThat(edited).contains("Subject: [SPAM] hi").contains("X-MS-Exchange-Organization-SCL: 6");
    }

    @Test
    void anAddedRecipientFollowsTheRecipientWhoseRuleAddedIt() throws Exception {
        List<CompiledRule> rules = List.of(
                compiled("Copy", 0, false, RuleMode.Enforce, Map.of("CopyTo", List.of("audit@contoso.com"))),
                compiled("Hold", 1, false, RuleMode.Enforce, Map.of("SubjectContainsWords", List.of("hold"), "Quarantine", true)));
        byte[] msg = "To: bob@contoso.com\r\nSubject: please hold\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        RuleVerdict v = RuleEvaluator.evaluate(rules, 1, new MessageFacts(dev.gatehouse.mail.Message.parse(msg), "x@y.example", null),
                List.of(new Organization.Recipient("bob@contoso.com", 2L)), ORG, Instant.now(), Deadline.none());
        assertThat(v.outcomes()).extracting(RuleVerdict.Outcome::address, RuleVerdict.Outcome::disposition, RuleVerdict.Outcome::added)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bob@contoso.com", RuleVerdict.Disposition.Quarantine, false),
                        org.assertj.core.groups.Tuple.tuple("audit@contoso.com", RuleVerdict.Disposition.Quarantine, true));
        assertThat(v.outcomes().getFirst().edits()).containsExactly(new HeaderEdit.AppendAddress("Cc", "audit@contoso.com"));
    }
}
