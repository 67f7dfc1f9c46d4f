// The matching primitives behind the conditions: Exchange word matching, .NET-style patterns with a deadline, IP ranges.
package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class WordsPatternsRangesTest {

    private static boolean word(String word, String text) { return Words.of(List.of(word)).in(text); }

    private static boolean pattern(String pattern, String text) { return Patterns.of(List.of(pattern)).in(text, Deadline.none()); }

    private static boolean inRange(String range, String ip) throws Exception { return IpRange.parse(range).contains(InetAddress.getByName(ip)); }

    // --- words --------------------------------------------------------------------------------------------

    @Test
    void aWordIsBoundedByPunctuationSpacesOrTheEndsOfTheValue() {
        assertThat(word("contoso", "contoso")).isTrue();
        assertThat(word("contoso", "(Contoso)")).isTrue();
        assertThat(word("contoso", "contoso's offer")).isTrue();
        assertThat(word("contoso", "contoso_scanner")).isTrue();     // underscore is punctuation, not a letter
        assertThat(word("contoso", "contoso2")).isFalse();            // digits belong to the word
        assertThat(word("2024", "Q1-2024")).isTrue();
        assertThat(word("2024", "v2024")).isFalse();
        assertThat(word("contoso", "contosoé")).isFalse();            // so do letters outside ASCII
        assertThat(word("rechnung", "Rechnung:")).isTrue();
    }

    @Test
    void aLaterWholeOccurrenceMatchesAfterAnEmbeddedOne() {
        assertThat(word("scan", "rescan then scan")).isTrue();
        assertThat(word("scan", "rescan scanner scans")).isFalse();
    }

    @Test
    void matchingIgnoresCaseOutsideAsciiToo() {
        assertThat(word("ärger", "GROSSER ÄRGER!")).isTrue();
        assertThat(word("ΑΘΗΝΑ", "στην αθηνα")).isTrue();
    }

    @Test
    void aPhraseMatchesOnlyAsWrittenWithItsSpaces() {
        assertThat(word("wire transfer", "Urgent: WIRE TRANSFER needed")).isTrue();
        assertThat(word("wire transfer", "wire-transfer")).isFalse();
        assertThat(word("wire transfer", "wire  transfer")).isFalse();
        assertThat(word("wire transfer", "rewire transfer")).isFalse();
    }

    @Test
    void noWordMatchesAnEmptyOrMissingValueAndAnyOfSeveralWordsIsEnough() {
        Words w = Words.of(List.of("invoice", "payment"));
        assertThat(w.in(null)).isFalse();
        assertThat(w.in("")).isFalse();
        assertThat(w.in("payment due")).isTrue();
        assertThat(w.inLower(null)).isFalse();
        assertThat(w.inLower("an invoice")).isTrue();
    }

    @Test
    void wordsAreRefusedWhenEmptyPaddedOrLongerThan128Characters() {
        assertThat(Words.problem("")).contains("a word can't be empty");
        assertThat(Words.problem(" x")).contains("a word can't start or end with spaces");
        assertThat(Words.problem("x\t")).contains("a word can't start or end with spaces");
        assertThat(Words.problem("w".repeat(129))).contains("a word can be at most 128 characters long");
        assertThat(Words.problem("w".repeat(128))).isEmpty();
        assertThat(Words.problem("Phrase with spaces")).isEmpty();
    }

    // --- patterns ---------------------------------------------------------------------------------------------

    @Test
    void patternsIgnoreCaseIncludingUnicodeUnlessThePatternTurnsItOff() {
        assertThat(pattern("ärger", "ÄRGER")).isTrue();
        assertThat(pattern("(?-i)ABC", "abc")).isFalse();
        assertThat(pattern("(?-i)ABC", "xABCx")).isTrue();
    }

    @Test
    void dotNetSpellingsAreTranslated() {
        assertThat(pattern("^[a-z-[aeiou]]+$", "bcd")).isTrue();
        assertThat(pattern("^[a-z-[aeiou]]+$", "bad")).isFalse();
        assertThat(pattern("^\\P{IsGreek}+$", "abc")).isTrue();
        assertThat(pattern("^\\P{IsGreek}+$", "abγ")).isFalse();
        assertThat(pattern("\\p{IsCyrillic}", "привет")).isTrue();
        assertThat(pattern("(?in)^(inv)\\d+", "INV42")).isTrue();      // n dropped, i kept
        assertThat(pattern("(?n:(a)|b)c", "BC")).isTrue();
        assertThat(Patterns.translate("(?n)x")).isEqualTo("x");
        assertThat(Patterns.translate("(?sn)x")).isEqualTo("(?s)x");
    }

    @Test
    void commonExchangeExamplesWork() {
        assertThat(pattern("\\.domain\\.com$", "user@mail.domain.com")).isTrue();
        assertThat(pattern("\\.domain\\.com$", "user@domain.com")).isFalse();
        assertThat(pattern("\\d{3}-\\d{2}-\\d{4}", "SSN 123-45-6789 inside")).isTrue();
        assertThat(pattern("\\bconfidential\\b", "Strictly CONFIDENTIAL.")).isTrue();
        assertThat(pattern("(?<year>20\\d\\d)-\\k<year>", "2024-2024")).isTrue();
    }

    @Test
    void aPatternThatDoesNotCompileIsRefusedWithTheReason() {
        assertThat(Patterns.problem("")).contains("a pattern can't be empty");
        assertThat(Patterns.problem("[abc")).get().asString().startsWith("it isn't a valid regular expression (").contains("near index");
        assertThat(Patterns.problem("a{2,1}")).get().asString().startsWith("it isn't a valid regular expression");
        assertThat(Patterns.problem("(?<y>a)")).isEmpty();
        assertThatThrownBy(() -> Patterns.of(List.of("ok", "(unclosed"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noPatternMatchesAMissingValue() {
        assertThat(Patterns.of(List.of(".*")).in(null, Deadline.none())).isFalse();
        assertThat(Patterns.of(List.of("^$")).in("", Deadline.none())).isTrue();
    }

    @Test
    void catastrophicBacktrackingIsStoppedByTheDeadlineInBoundedTime() {
        // java.util.regex memoizes (a+)+ but not a counted group of greedy wildcards: this one runs for minutes unguarded
        Patterns evil = Patterns.of(List.of("(.*a){12}b"));
        String text = "a".repeat(50);
        long start = System.nanoTime();
        assertThatThrownBy(() -> evil.in(text, Deadline.in(100)))
                .isInstanceOf(RuleEvaluationException.class).hasMessage("pattern matching exceeded its time limit");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aDeadlineThatHasNotPassedLetsMatchingFinish() {
        assertThat(Patterns.of(List.of("needle")).in("hay ".repeat(50_000) + "needle", Deadline.in(10_000))).isTrue();
    }

    @Test
    void anExpiredDeadlineStopsEveryLaterPatternOfTheMessage() {
        // one budget per message: once spent, a long value can't be matched by any rule any more
        Deadline spent = Deadline.in(0);
        assertThatThrownBy(() -> Patterns.of(List.of("x")).in("a".repeat(10_000), spent)).isInstanceOf(RuleEvaluationException.class);
        assertThatThrownBy(() -> Patterns.of(List.of("y")).in("b".repeat(10_000), spent)).isInstanceOf(RuleEvaluationException.class);
    }

    @Test
    void aRunawayPatternInARuleSkipsThatRuleOnlyWithIgnore() {
        MessageFacts f = RuleTestKit.facts("From: a@partner.example\nSubject: " + "a".repeat(5000) + "!\n\nb\n");
        List<CompiledRule> rules = List.of(
                RuleTestKit.rule("Evil", "SubjectMatchesPatterns", List.of("^(a|aa)+$"), "Quarantine", true),
                RuleTestKit.rule("Tag", "PrependSubject", "[EXT] "));
        RuleVerdict v = RuleEvaluator.evaluate(rules, RuleTestKit.TENANT, f, RuleTestKit.rcpts("bob@contoso.com"), RuleTestKit.ORG,
                java.time.Instant.now(), Deadline.in(200));
        assertThat(v.deferReason()).isNull();
        assertThat(v.outcomes().getFirst().disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        assertThat(v.outcomes().getFirst().edits()).containsExactly(new HeaderEdit.PrependSubject("[EXT] "));
        assertThat(v.notes()).extracting(RuleVerdict.Note::type).containsExactly("RuleError", "TransportRule", "RuleAction");
    }

    // --- IP ranges --------------------------------------------------------------------------------------------

    @Test
    void aCidrBlockCoversItsWholeNetworkWhateverHostBitsAreWritten() throws Exception {
        assertThat(inRange("192.168.0.77/25", "192.168.0.0")).isTrue();
        assertThat(inRange("192.168.0.77/25", "192.168.0.127")).isTrue();
        assertThat(inRange("192.168.0.77/25", "192.168.0.128")).isFalse();
        assertThat(inRange("10.0.0.1/32", "10.0.0.1")).isTrue();
        assertThat(inRange("10.0.0.1/32", "10.0.0.2")).isFalse();
        assertThat(inRange("0.0.0.0/0", "255.255.255.255")).isTrue();
        assertThat(inRange("10.0.0.0/8", "11.0.0.0")).isFalse();
        assertThat(inRange("2001:db8::1/128", "2001:db8::1")).isTrue();
        assertThat(inRange("2001:db8::1/128", "2001:db8::2")).isFalse();
        assertThat(inRange("2001:db8:abcd::/48", "2001:db8:abcd:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(inRange("2001:db8:abcd::/48", "2001:db8:abce::")).isFalse();
    }

    @Test
    void aRangeIncludesBothEndsAndComparesAddressesUnsigned() throws Exception {
        assertThat(inRange("10.0.0.5-10.0.0.5", "10.0.0.5")).isTrue();
        assertThat(inRange("100.0.0.0-200.0.0.0", "150.255.255.255")).isTrue(); // bytes above 127 are not negative
        assertThat(inRange("100.0.0.0-200.0.0.0", "99.255.255.255")).isFalse();
        assertThat(inRange("100.0.0.0-200.0.0.0", "200.0.0.1")).isFalse();
        assertThat(inRange("2001:db8::ff00-2001:db8::1:0", "2001:db8::ffff")).isTrue();
    }

    @Test
    void anIpv4RangeNeverMatchesAnIpv6ClientAndTheReverse() throws Exception {
        assertThat(inRange("0.0.0.0/0", "2001:db8::1")).isFalse();
        assertThat(inRange("::/0", "192.0.2.1")).isFalse();
    }

    @Test
    void valuesThatAreNotLiteralAddressesAreRefusedWithoutALookup() {
        for (String bad : List.of("", "localhost", "mail.contoso.com", "[2001:db8::1]", "fe80::1%1", "192.0.2.1/", "192.0.2.1/-1",
                "192.0.2.1/0x10", "192.0.2.256", "1.2.3.4.5", "192.0.2.1 - 192.0.2.9", "192.0.2.9-", "-192.0.2.9", "2001:db8::/1290",
                "1:2:3:4:5:6:7:8:9", "192.0.2.1/24/8")) {
            assertThat(IpRange.tryParse(bad)).as("'%s'", bad).isEmpty();
            assertThat(IpRange.problem(bad)).as("'%s'", bad)
                    .contains("it isn't an IP address, a range such as 192.0.2.1-192.0.2.254 or a CIDR block such as 192.0.2.0/24");
        }
        assertThat(IpRange.tryParse(null)).isEmpty();
        assertThatThrownBy(() -> IpRange.parse("mail.contoso.com")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'mail.contoso.com' isn't a valid IP address");
    }

    @Test
    void aRangeKeepsTheTextTheAdminWrote() {
        assertThat(IpRange.parse("192.0.2.0/24")).hasToString("192.0.2.0/24").isEqualTo(IpRange.parse("192.0.2.0/24"))
                .isNotEqualTo(IpRange.parse("192.0.2.0-192.0.2.255"));
    }
}
