// Every supported condition (spec §5.2) against real messages, each checked together with its ExceptIf twin.
package dev.gatehouse.rules;

import static dev.gatehouse.rules.RuleTestKit.evaluate;
import static dev.gatehouse.rules.RuleTestKit.facts;
import static dev.gatehouse.rules.RuleTestKit.matched;
import static dev.gatehouse.rules.RuleTestKit.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Each check runs the condition in a rule and its {@code ExceptIf} twin in an otherwise unconditional rule: the
 * twin must spare exactly the recipients the condition selects, so a condition can't be right as a condition and
 * wrong as an exception. Recipients: alice and bob (mailboxes of contoso.com), carl (eu.contoso.com, not an
 * accepted domain) and zed (outside).
 */
class ConditionsTest {
    static final String ALICE = "alice@contoso.com", BOB = "bob@contoso.com", CARL = "carl@eu.contoso.com", ZED = "zed@partner.example";
    static final List<String> ALL = List.of(ALICE, BOB, CARL, ZED);

    static final String PLAIN = """
            From: "Alice Smith" <alice@contoso.com>
            To: "Bob" <bob@contoso.com>
            Cc: zed@partner.example
            Subject: Quarterly report
            Message-ID: <1@contoso.com>

            Numbers attached.
            """;

    /** The recipients the condition selects (asserting the ExceptIf twin spares exactly those). */
    private static Set<String> selects(String location, MessageFacts f, Object... condition) {
        RuleTestKit.R c = rule("C").location(location).p("SetHeaderName", "X-Hit").p("SetHeaderValue", "1");
        RuleTestKit.R e = rule("E").location(location).p("SetHeaderName", "X-Hit").p("SetHeaderValue", "1");
        for (int i = 0; i < condition.length; i += 2) {
            c.p((String) condition[i], condition[i + 1]);
            e.p("ExceptIf" + condition[i], condition[i + 1]);
        }
        String[] rcpts = ALL.toArray(String[]::new);
        Set<String> selected = matched(evaluate(c.compile(), f, rcpts), "C");
        Set<String> spared = new LinkedHashSet<>(ALL);
        spared.removeAll(selected);
        assertThat(matched(evaluate(e.compile(), f, rcpts), "E")).as("the ExceptIf twin acts on the others").containsExactlyElementsOf(spared);
        return selected;
    }

    private static Set<String> selects(MessageFacts f, Object... condition) { return selects("Header", f, condition); }

    private static boolean holds(MessageFacts f, Object... condition) {
        Set<String> s = selects(f, condition);
        assertThat(s).as("a message condition holds for every recipient or none").isIn(Set.of(), Set.copyOf(ALL));
        return !s.isEmpty();
    }

    private static boolean holds(String location, MessageFacts f, Object... condition) {
        return !selects(location, f, condition).isEmpty();
    }

    private static String b64(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }

    // --- sender -----------------------------------------------------------------------------------------

    @Test
    void fromMatchesTheHeaderFromAddressIgnoringCaseAndDisplayName() {
        assertThat(holds(facts(PLAIN), "From", List.of("Alice@CONTOSO.com"))).isTrue();
        assertThat(holds(facts(PLAIN), "From", List.of("bob@contoso.com", "alice@contoso.com"))).isTrue(); // values are OR
        assertThat(holds(facts(PLAIN), "From", List.of("alice@contoso.co"))).isFalse();
        assertThat(holds(facts(PLAIN), "From", List.of("Alice Smith"))).isFalse(); // a display name isn't an address
    }

    @Test
    void senderAddressLocationChoosesHeaderEnvelopeOrEitherForFrom() {
        MessageFacts f = facts(PLAIN, "bounces@mailer.example", "203.0.113.50");
        assertThat(holds("Header", f, "From", List.of("bounces@mailer.example"))).isFalse();
        assertThat(holds("Envelope", f, "From", List.of("bounces@mailer.example"))).isTrue();
        assertThat(holds("Envelope", f, "From", List.of("alice@contoso.com"))).isFalse();
        assertThat(holds("HeaderOrEnvelope", f, "From", List.of("alice@contoso.com"))).isTrue();
        assertThat(holds("HeaderOrEnvelope", f, "From", List.of("bounces@mailer.example"))).isTrue();
    }

    @Test
    void senderAddressLocationAppliesToSenderDomainWordsAndPatternsToo() {
        MessageFacts f = facts(PLAIN, "bounces@mailer.example", "203.0.113.50");
        assertThat(holds("Header", f, "SenderDomainIs", List.of("mailer.example"))).isFalse();
        assertThat(holds("Envelope", f, "SenderDomainIs", List.of("mailer.example"))).isTrue();
        assertThat(holds("Envelope", f, "SenderDomainIs", List.of("contoso.com"))).isFalse();
        assertThat(holds("HeaderOrEnvelope", f, "SenderDomainIs", List.of("contoso.com"))).isTrue();
        assertThat(holds("Header", f, "FromAddressContainsWords", List.of("bounces"))).isFalse();
        assertThat(holds("Envelope", f, "FromAddressContainsWords", List.of("bounces"))).isTrue();
        assertThat(holds("Envelope", f, "FromAddressMatchesPatterns", List.of("^bounces@"))).isTrue();
        assertThat(holds("Header", f, "FromAddressMatchesPatterns", List.of("^bounces@"))).isFalse();
        assertThat(holds("HeaderOrEnvelope", f, "FromAddressMatchesPatterns", List.of("^alice@"))).isTrue();
    }

    @Test
    void headerLocationReadsOnlyTheFromFieldNotSenderOrReplyTo() {
        MessageFacts f = facts("From: x@partner.example\nSender: alice@contoso.com\nReply-To: alice@contoso.com\nSubject: s\n\nb\n");
        assertThat(holds(f, "From", List.of("alice@contoso.com"))).isFalse();
        assertThat(holds(f, "SenderDomainIs", List.of("contoso.com"))).isFalse();
    }

    @Test
    void everyFromFieldCountsSoASecondFromCantHideTheSender() {
        MessageFacts f = facts("From: friend@partner.example\nFrom: ceo@contoso.com\nSubject: s\n\nb\n");
        assertThat(holds(f, "From", List.of("ceo@contoso.com"))).isTrue();
        assertThat(holds(f, "SenderDomainIs", List.of("contoso.com"))).isTrue();
    }

    @Test
    void aDisplayNameWrittenAsAnAddressIsReadAsAClaimToBeThatSender() {
        // the header From is read as a suspicious reader would (HeaderFrom): what a client may show counts
        MessageFacts quoted = facts("From: \"ceo@contoso.com\" <x@evil.example>\nSubject: s\n\nb\n");
        assertThat(holds(quoted, "SenderDomainIs", List.of("contoso.com"))).isTrue();
        assertThat(holds(quoted, "SenderDomainIs", List.of("evil.example"))).isTrue();
        MessageFacts encoded = facts("From: =?UTF-8?Q?ceo=40contoso.com?= <x@evil.example>\nSubject: s\n\nb\n");
        assertThat(holds(encoded, "From", List.of("ceo@contoso.com"))).isTrue();
    }

    @Test
    void senderDomainIsMatchesTheDomainAndItsSubdomainsOnly() {
        assertThat(holds(facts("From: a@contoso.com\n\nb\n"), "SenderDomainIs", List.of("contoso.com"))).isTrue();
        assertThat(holds(facts("From: a@mail.eu.contoso.com\n\nb\n"), "SenderDomainIs", List.of("contoso.com"))).isTrue();
        assertThat(holds(facts("From: a@Mail.CONTOSO.com\n\nb\n"), "SenderDomainIs", List.of("Contoso.COM"))).isTrue();
        assertThat(holds(facts("From: a@notcontoso.com\n\nb\n"), "SenderDomainIs", List.of("contoso.com"))).isFalse();
        assertThat(holds(facts("From: a@contoso.com.evil.example\n\nb\n"), "SenderDomainIs", List.of("contoso.com"))).isFalse();
        assertThat(holds(facts("From: a@contoso.com\n\nb\n"), "SenderDomainIs", List.of("mail.contoso.com"))).isFalse();
        assertThat(holds(facts("From: a@fabrikam.com\n\nb\n"), "SenderDomainIs", List.of("contoso.com", "fabrikam.com"))).isTrue();
    }

    @Test
    void senderDomainIsReadsAnInternationalizedDomainInEitherSpelling() {
        // a client shows xn--bcher-kva.example as bücher.example: a rule naming one spelling matches the other
        assertThat(holds(facts("From: a@xn--bcher-kva.example\n\nb\n"), "SenderDomainIs", List.of("bücher.example"))).isTrue();
        assertThat(holds(facts("From: a@mail.bücher.example\n\nb\n"), "SenderDomainIs", List.of("XN--BCHER-KVA.example"))).isTrue();
        assertThat(holds(facts("From: a@BÜCHER.example\n\nb\n"), "SenderDomainIs", List.of("bücher.example"))).isTrue();
        // and, as registries read it, straße.example is not strasse.example
        assertThat(holds(facts("From: a@strasse.example\n\nb\n"), "SenderDomainIs", List.of("straße.example"))).isFalse();
        assertThat(holds(facts("From: a@xn--strae-oqa.example\n\nb\n"), "SenderDomainIs", List.of("straße.example"))).isTrue();
        // a character no client shows can't take the sender out of the rule: ceo@con\u200Dtoso.com reads as contoso.com
        for (String invisible : new String[] {"\u200D", "\u200C", "\u200E", "\u202E", "\u00AD", "\u200B", "\u3164", "\u115F", "\u1160", "\uFFA0", "\u17B4", "\u17B5"}) {
            assertThat(holds(facts("From: a@con" + invisible + "toso.com\n\nb\n"), "SenderDomainIs", List.of("contoso.com")))
                    .as("U+%04X", (int) invisible.charAt(0)).isTrue();
        }
    }

    @Test
    void theNullReversePathNeverMatchesASenderCondition() {
        MessageFacts f = facts(PLAIN, "", "203.0.113.50");
        assertThat(holds("Envelope", f, "FromAddressMatchesPatterns", List.of("^$"))).isFalse(); // "searching for empty From addresses doesn't work"
        assertThat(holds("Envelope", f, "FromAddressMatchesPatterns", List.of(".*"))).isFalse();
        assertThat(holds("Envelope", f, "SenderDomainIs", List.of("contoso.com"))).isFalse();
        assertThat(holds("HeaderOrEnvelope", f, "SenderDomainIs", List.of("contoso.com"))).isTrue(); // the header still counts
    }

    @Test
    void fromAddressContainsWordsNeedsWholeWordsOfTheAddress() {
        MessageFacts f = facts("From: billing-dept@pay.contoso.com\n\nb\n");
        assertThat(holds(f, "FromAddressContainsWords", List.of("billing"))).isTrue();
        assertThat(holds(f, "FromAddressContainsWords", List.of("PAY"))).isTrue();
        assertThat(holds(f, "FromAddressContainsWords", List.of("bill"))).isFalse();
        assertThat(holds(f, "FromAddressContainsWords", List.of("dept@pay"))).isTrue();
    }

    @Test
    void fromAddressMatchesPatternsIsUnanchoredAndIgnoresCase() {
        MessageFacts f = facts("From: Billing <Billing@Pay.Contoso.com>\n\nb\n");
        assertThat(holds(f, "FromAddressMatchesPatterns", List.of("\\.contoso\\.com$"))).isTrue();
        assertThat(holds(f, "FromAddressMatchesPatterns", List.of("pay\\."))).isTrue();
        assertThat(holds(f, "FromAddressMatchesPatterns", List.of("^pay"))).isFalse();
        assertThat(holds(f, "FromAddressMatchesPatterns", List.of("^Billing <"))).isFalse(); // the address, not the field
    }

    @Test
    void fromScopeInOrganizationNeedsAnOriginatingCopyAndAnOrganizationSender() {
        String internalFromAlice = "X-MS-Exchange-Organization-AuthAs: Internal\n" + PLAIN;
        String originatingFromPartner = "X-MS-Exchange-Organization-MessageDirectionality: Originating\nFrom: x@partner.example\n\nb\n";
        assertThat(holds(facts(internalFromAlice), "FromScope", "InOrganization")).isTrue();
        assertThat(holds(facts(internalFromAlice), "FromScope", "NotInOrganization")).isFalse();
        assertThat(holds(facts(originatingFromPartner), "FromScope", "InOrganization")).isFalse();
        assertThat(holds(facts(originatingFromPartner), "FromScope", "NotInOrganization")).isTrue();
        // Direct Send: anonymous mail claiming an accepted-domain sender is outside the organization (scenario 21)
        assertThat(holds(facts("X-MS-Exchange-Organization-AuthAs: Anonymous\n" + PLAIN), "FromScope", "NotInOrganization")).isTrue();
        assertThat(holds(facts(PLAIN), "FromScope", "InOrganization")).isFalse();
        // the header From decides, not the envelope: SenderAddressLocation doesn't apply to FromScope
        assertThat(holds("Envelope", facts("X-MS-Exchange-Organization-AuthAs: Internal\nFrom: x@partner.example\n\nb\n", "alice@contoso.com",
                "203.0.113.50"), "FromScope", "InOrganization")).isFalse();
    }

    // --- connection ----------------------------------------------------------------------------------------

    @Test
    void senderIpRangesMatchesTheClientAddressAsSingleRangeOrCidr() {
        MessageFacts f = facts(PLAIN, "s@partner.example", "203.0.113.50");
        assertThat(holds(f, "SenderIpRanges", List.of("203.0.113.50"))).isTrue();
        assertThat(holds(f, "SenderIpRanges", List.of("203.0.113.51"))).isFalse();
        assertThat(holds(f, "SenderIpRanges", List.of("203.0.113.0/24"))).isTrue();
        assertThat(holds(f, "SenderIpRanges", List.of("203.0.113.0/27"))).isFalse(); // .0-.31
        assertThat(holds(f, "SenderIpRanges", List.of("203.0.113.1-203.0.113.50"))).isTrue();
        assertThat(holds(f, "SenderIpRanges", List.of("203.0.113.1-203.0.113.49"))).isFalse();
        assertThat(holds(f, "SenderIpRanges", List.of("192.0.2.0/24", "203.0.113.50/32"))).isTrue();
        assertThat(holds(f, "SenderIpRanges", List.of("::ffff:203.0.113.50"))).isFalse(); // another family
    }

    @Test
    void senderIpRangesMatchesIpv6Clients() {
        MessageFacts f = facts(PLAIN, "s@partner.example", "2001:db8:0:1::25");
        assertThat(holds(f, "SenderIpRanges", List.of("2001:db8::/32"))).isTrue();
        assertThat(holds(f, "SenderIpRanges", List.of("2001:db8:0:1::/64"))).isTrue();
        assertThat(holds(f, "SenderIpRanges", List.of("2001:db8:0:2::/64"))).isFalse();
        assertThat(holds(f, "SenderIpRanges", List.of("2001:db8:0:1::1-2001:db8:0:1::ff"))).isTrue();
        assertThat(holds(f, "SenderIpRanges", List.of("2001:DB8:0:1:0:0:0:25"))).isTrue();
        assertThat(holds(f, "SenderIpRanges", List.of("0.0.0.0/0"))).isFalse();
        assertThat(holds(f, "SenderIpRanges", List.of("::/0"))).isTrue();
    }

    @Test
    void withoutAClientAddressSenderIpRangesNeverMatchesSoItsExceptionSparesNobody() {
        MessageFacts f = facts(PLAIN, "s@partner.example", null);
        assertThat(holds(f, "SenderIpRanges", List.of("0.0.0.0/0", "::/0"))).isFalse();
    }

    // --- headers --------------------------------------------------------------------------------------------

    @Test
    void headerContainsWordsReadsTheNamedFieldIgnoringCaseOfNameAndValue() {
        MessageFacts f = facts("X-Scanner: Contoso-SCANNER v2\n" + PLAIN);
        assertThat(holds(f, "HeaderContainsMessageHeader", "x-scanner", "HeaderContainsWords", List.of("scanner"))).isTrue();
        assertThat(holds(f, "HeaderContainsMessageHeader", "X-Scanner", "HeaderContainsWords", List.of("Contoso"))).isTrue();
        assertThat(holds(f, "HeaderContainsMessageHeader", "X-Scanner", "HeaderContainsWords", List.of("scan"))).isFalse();
        assertThat(holds(f, "HeaderContainsMessageHeader", "X-Other", "HeaderContainsWords", List.of("scanner"))).isFalse();
        // the word must be in the named field, not in another one
        assertThat(holds(f, "HeaderContainsMessageHeader", "Subject", "HeaderContainsWords", List.of("scanner"))).isFalse();
    }

    @Test
    void headerConditionsReadEveryFieldOfTheNameUnfoldedAndDecoded() {
        String encoded = "=?UTF-8?B?" + b64("Geprüft von Virenscanner") + "?=";
        MessageFacts f = facts("X-Check: none\nX-Check: " + encoded + "\nX-Folded: first part\n second part\n" + PLAIN);
        assertThat(holds(f, "HeaderContainsMessageHeader", "X-Check", "HeaderContainsWords", List.of("geprüft"))).isTrue();
        assertThat(holds(f, "HeaderContainsMessageHeader", "X-Check", "HeaderContainsWords", List.of("UTF"))).isFalse(); // raw form isn't read
        assertThat(holds(f, "HeaderMatchesMessageHeader", "X-Check", "HeaderMatchesPatterns", List.of("^Geprüft von"))).isTrue();
        assertThat(holds(f, "HeaderMatchesMessageHeader", "X-Check", "HeaderMatchesPatterns", List.of("^none$"))).isTrue();
        assertThat(holds(f, "HeaderContainsMessageHeader", "X-Folded", "HeaderContainsWords", List.of("part second"))).isTrue();
        assertThat(holds(f, "HeaderMatchesMessageHeader", "X-Folded", "HeaderMatchesPatterns", List.of("part\\s+second"))).isTrue();
        assertThat(holds(f, "HeaderMatchesMessageHeader", "X-Folded", "HeaderMatchesPatterns", List.of("[\\r\\n]"))).isFalse();
    }

    @Test
    void headerMatchesPatternsNeedsTheFieldToExist() {
        MessageFacts f = facts(PLAIN);
        assertThat(holds(f, "HeaderMatchesMessageHeader", "X-Spam-Flag", "HeaderMatchesPatterns", List.of(".*"))).isFalse();
        assertThat(holds(facts("X-Spam-Flag:\n" + PLAIN), "HeaderMatchesMessageHeader", "X-Spam-Flag", "HeaderMatchesPatterns", List.of("^$")))
                .isTrue();
    }

    // --- recipients ------------------------------------------------------------------------------------------

    @Test
    void sentToSelectsOnlyTheNamedRecipients() {
        assertThat(selects(facts(PLAIN), "SentTo", List.of("Bob@Contoso.com"))).containsExactly(BOB);
        assertThat(selects(facts(PLAIN), "SentTo", List.of(BOB, ZED))).containsExactly(BOB, ZED);
        assertThat(selects(facts(PLAIN), "SentTo", List.of("nobody@contoso.com"))).isEmpty();
    }

    @Test
    void sentToComparesTheEnvelopeRecipientIgnoringCase() {
        CompiledRule r = rule("C", "SentTo", List.of(BOB), "Quarantine", true);
        assertThat(matched(evaluate(r, facts(PLAIN), "BOB@CONTOSO.COM", ALICE), "C")).containsExactly("BOB@CONTOSO.COM");
    }

    @Test
    void sentToScopeSplitsRecipientsInsideAndOutsideTheOrganization() {
        assertThat(selects(facts(PLAIN), "SentToScope", "InOrganization")).containsExactly(ALICE, BOB);
        assertThat(selects(facts(PLAIN), "SentToScope", "NotInOrganization")).containsExactly(CARL, ZED);
    }

    @Test
    void recipientDomainIsMatchesEachRecipientsDomainAndSubdomains() {
        assertThat(selects(facts(PLAIN), "RecipientDomainIs", List.of("contoso.com"))).containsExactly(ALICE, BOB, CARL);
        assertThat(selects(facts(PLAIN), "RecipientDomainIs", List.of("EU.contoso.com"))).containsExactly(CARL);
        assertThat(selects(facts(PLAIN), "RecipientDomainIs", List.of("example"))).containsExactly(ZED);
        assertThat(selects(facts(PLAIN), "RecipientDomainIs", List.of("toso.com"))).isEmpty();
    }

    @Test
    void recipientAddressContainsWordsReadsEachRecipientAddress() {
        assertThat(selects(facts(PLAIN), "RecipientAddressContainsWords", List.of("bob"))).containsExactly(BOB);
        assertThat(selects(facts(PLAIN), "RecipientAddressContainsWords", List.of("EU"))).containsExactly(CARL);
        assertThat(selects(facts(PLAIN), "RecipientAddressContainsWords", List.of("contoso"))).containsExactly(ALICE, BOB, CARL);
        assertThat(selects(facts(PLAIN), "RecipientAddressContainsWords", List.of("ali"))).isEmpty();
    }

    @Test
    void anyOfToHeaderReadsToOnlyAndActsOnEveryRecipient() {
        assertThat(holds(facts(PLAIN), "AnyOfToHeader", List.of("BOB@contoso.com"))).isTrue();
        assertThat(holds(facts(PLAIN), "AnyOfToHeader", List.of(ZED))).isFalse(); // zed is only in Cc
        assertThat(holds(facts(PLAIN), "AnyOfToCcHeader", List.of(ZED))).isTrue();
        assertThat(holds(facts(PLAIN), "AnyOfToCcHeader", List.of(ALICE))).isFalse(); // alice is the sender, not a header recipient
    }

    @Test
    void anyOfToCcHeaderReadsEveryAddressOfGroupsAndEncodedDisplayNames() {
        MessageFacts f = facts("From: a@partner.example\nTo: =?UTF-8?Q?M=C3=BCller=2C_Hans?= <hans@contoso.com>, team: x@partner.example, Bob <bob@contoso.com>;\n"
                + "Cc: one@partner.example\nCc: two@partner.example\nSubject: s\n\nb\n");
        assertThat(holds(f, "AnyOfToHeader", List.of("hans@contoso.com"))).isTrue();
        assertThat(holds(f, "AnyOfToHeader", List.of(BOB))).isTrue();
        assertThat(holds(f, "AnyOfToCcHeader", List.of("two@partner.example"))).isTrue();
    }

    // --- subject and body ---------------------------------------------------------------------------------------

    @Test
    void subjectContainsWordsMatchesWholeWordsAndPhrasesOfTheDecodedSubject() {
        MessageFacts f = facts("From: a@partner.example\nSubject: =?UTF-8?Q?Ihre_Rechnung_f=C3=BCr_M=C3=A4rz?=\n\nb\n");
        assertThat(holds(f, "SubjectContainsWords", List.of("rechnung"))).isTrue();
        assertThat(holds(f, "SubjectContainsWords", List.of("FÜR MÄRZ"))).isTrue();
        assertThat(holds(f, "SubjectContainsWords", List.of("fur"))).isFalse();
        assertThat(holds(f, "SubjectContainsWords", List.of("Rech"))).isFalse();
        assertThat(holds(f, "SubjectContainsWords", List.of("Q"))).isFalse(); // nothing of the encoded form
    }

    @Test
    void subjectSplitAcrossEncodedWordsAndFoldsIsReadAsOneValue() {
        MessageFacts f = facts("From: a@partner.example\nSubject: =?UTF-8?Q?Wire_tr?=\n =?UTF-8?Q?ansfer?= today\n\nb\n");
        assertThat(holds(f, "SubjectContainsWords", List.of("wire transfer"))).isTrue();
        assertThat(holds(f, "SubjectMatchesPatterns", List.of("^wire transfer today$"))).isTrue();
    }

    @Test
    void subjectMatchesPatternsIsDotNetStyleAndUnanchored() {
        MessageFacts f = facts("From: a@partner.example\nSubject: RE: Invoice INV-20931 overdue\n\nb\n");
        assertThat(holds(f, "SubjectMatchesPatterns", List.of("inv-\\d{5}"))).isTrue();
        assertThat(holds(f, "SubjectMatchesPatterns", List.of("^invoice"))).isFalse();
        assertThat(holds(f, "SubjectMatchesPatterns", List.of("^RE:\\s"))).isTrue();
        assertThat(holds(f, "SubjectMatchesPatterns", List.of("inv-\\d{6}", "overdue$"))).isTrue();
    }

    @Test
    void aMessageWithoutSubjectMatchesNoSubjectCondition() {
        MessageFacts f = facts("From: a@partner.example\n\nbody words\n");
        assertThat(holds(f, "SubjectMatchesPatterns", List.of(".*"))).isFalse();
        assertThat(holds(f, "SubjectContainsWords", List.of("body"))).isFalse();
    }

    @Test
    void subjectOrBodyContainsWordsReadsDecodedBodyPartsButNotAttachments() {
        String mail = """
                From: a@partner.example
                Subject: hello
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary=b1

                --b1
                Content-Type: multipart/alternative; boundary=b2

                --b2
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: base64

                %s
                --b2
                Content-Type: text/html; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                <p>Please confirm the <b>wire</b> transfer =E2=80=93 urgent</p>
                --b2--
                --b1
                Content-Type: text/plain; name="notes.txt"
                Content-Disposition: attachment; filename="notes.txt"

                password reset
                --b1--
                """.formatted(b64("Ihre Rechnung für März"));
        MessageFacts f = facts(mail);
        assertThat(holds(f, "SubjectOrBodyContainsWords", List.of("März"))).isTrue();     // base64 text/plain, decoded
        assertThat(holds(f, "SubjectOrBodyContainsWords", List.of("urgent"))).isTrue();   // quoted-printable HTML
        assertThat(holds(f, "SubjectOrBodyContainsWords", List.of("wire"))).isTrue();     // bounded by tags
        assertThat(holds(f, "SubjectOrBodyContainsWords", List.of("HELLO"))).isTrue();    // the subject
        assertThat(holds(f, "SubjectOrBodyContainsWords", List.of("password"))).isFalse(); // only in an attachment
        assertThat(holds(f, "SubjectContainsWords", List.of("urgent"))).isFalse();        // subject only
    }

    @Test
    void aBodyConditionOnAMessageWhoseMimeCantBeReadIsARuleError() {
        // a message nested deeper than the walk goes: the body can't be read to the end, so the rule can't decide
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < 20; i++) m.append("Content-Type: message/rfc822\n\n");
        m.append("Subject: deep\n\nsecret\n");
        RuleVerdict v = evaluate(rule("Body", "SubjectOrBodyContainsWords", List.of("secret"), "Quarantine", true),
                facts("From: a@partner.example\nSubject: s\n" + m), ALICE);
        assertThat(v.outcomes().getFirst().disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        assertThat(v.notes()).singleElement().satisfies(n -> {
            assertThat(n.type()).isEqualTo("RuleError");
            assertThat(n.detail()).contains("'Body'").contains("MIME structure").endsWith("(RuleErrorAction Ignore: the rule was skipped)");
        });
    }

    // --- attachments ------------------------------------------------------------------------------------------

    private static final String ATTACHMENTS = """
            From: a@partner.example
            Subject: files
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: text/plain

            see attached
            --outer
            Content-Type: application/octet-stream
            Content-Disposition: attachment; filename="Payload.EXE"

            MZ
            --outer
            Content-Type: application/pdf; name="=?UTF-8?B?%s?="

            %%PDF
            --outer
            Content-Type: application/octet-stream
            Content-Disposition: attachment; filename*=UTF-8''Rechnung%%20M%%C3%%A4rz.docm

            PK
            --outer
            Content-Type: application/zip; name*0*=UTF-8''Archiv%%20; name*1*=2024.tar.gz

            PK
            --outer
            Content-Type: message/rfc822

            From: b@partner.example
            Subject: forwarded
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=inner

            --inner
            Content-Type: text/plain

            inner text
            --inner
            Content-Type: application/javascript; name="invoice.js"

            alert(1)
            --inner--
            --outer--
            """.formatted(b64("Überweisung.pdf"));

    @Test
    void attachmentExtensionMatchesTheLastExtensionIgnoringCaseAndALeadingDot() {
        MessageFacts f = facts(ATTACHMENTS);
        assertThat(holds(f, "AttachmentExtensionMatchesWords", List.of("exe"))).isTrue();
        assertThat(holds(f, "AttachmentExtensionMatchesWords", List.of(".EXE"))).isTrue();
        assertThat(holds(f, "AttachmentExtensionMatchesWords", List.of("gz"))).isTrue();
        assertThat(holds(f, "AttachmentExtensionMatchesWords", List.of("tar"))).isFalse();
        assertThat(holds(f, "AttachmentExtensionMatchesWords", List.of("ex"))).isFalse();
        assertThat(holds(f, "AttachmentExtensionMatchesWords", List.of("txt"))).isFalse(); // the body part isn't an attachment
    }

    @Test
    void attachmentNamesAreDecodedFromRfc2047AndRfc2231() {
        MessageFacts f = facts(ATTACHMENTS);
        assertThat(holds(f, "AttachmentExtensionMatchesWords", List.of("docm"))).isTrue();
        assertThat(holds(f, "AttachmentNameMatchesPatterns", List.of("^Rechnung März\\.docm$"))).isTrue();
        assertThat(holds(f, "AttachmentNameMatchesPatterns", List.of("^überweisung\\.pdf$"))).isTrue();
        assertThat(holds(f, "AttachmentNameMatchesPatterns", List.of("^Archiv 2024\\.tar\\.gz$"))).isTrue();
        assertThat(holds(f, "AttachmentNameMatchesPatterns", List.of("%20|UTF-8"))).isFalse();
    }

    @Test
    void attachmentsOfAnAttachedMessageAreInspectedToo() {
        MessageFacts f = facts(ATTACHMENTS);
        assertThat(holds(f, "AttachmentExtensionMatchesWords", List.of("js"))).isTrue();
        assertThat(holds(f, "AttachmentNameMatchesPatterns", List.of("^invoice\\."))).isTrue();
        assertThat(holds(facts(PLAIN), "AttachmentNameMatchesPatterns", List.of(".*"))).isFalse();
    }

    @Test
    void aNameWithoutADotHasNoExtension() {
        MessageFacts f = facts("""
                From: a@partner.example
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary=o

                --o
                Content-Type: application/octet-stream; name="exe"

                x
                --o--
                """);
        assertThat(holds(f, "AttachmentExtensionMatchesWords", List.of("exe"))).isFalse();
        assertThat(holds(f, "AttachmentNameMatchesPatterns", List.of("^exe$"))).isTrue();
    }

    // --- size, SCL, importance --------------------------------------------------------------------------------

    @Test
    void messageSizeOverIsStrictlyGreaterThanTheWholeMessage() {
        MessageFacts f = facts(PLAIN);
        long size = f.size();
        assertThat(size).isEqualTo(PLAIN.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8).length);
        assertThat(holds(f, "MessageSizeOver", size - 1)).isTrue();
        assertThat(holds(f, "MessageSizeOver", size)).isFalse();
        assertThat(holds(f, "MessageSizeOver", 0L)).isTrue();
        assertThat(holds(f, "MessageSizeOver", 10L << 20)).isFalse();
    }

    @Test
    void sclOverMatchesScoresAtOrAboveTheValueAndTheDefaultIsMinusOne() {
        MessageFacts f = facts(PLAIN);
        assertThat(holds(f, "SCLOver", -1)).isTrue();
        assertThat(holds(f, "SCLOver", 0)).isFalse();
        for (int scl : List.of(4, 5, 6)) {
            CompiledRule set = rule("Set", "SetSCL", 5);
            RuleTestKit.R over = rule("Over").p("SCLOver", scl).p("Quarantine", true);
            RuleVerdict v = evaluate(List.of(set, over.compile()), f, ALICE);
            assertThat(v.outcomes().getFirst().disposition()).as("SCL 5, SCLOver " + scl)
                    .isEqualTo(scl <= 5 ? RuleVerdict.Disposition.Quarantine : RuleVerdict.Disposition.Deliver);
        }
    }

    @Test
    void aLaterRulesSetSclIsNotSeenByAnEarlierRule() {
        RuleVerdict v = evaluate(List.of(rule("Over", "SCLOver", 5, "Quarantine", true), rule("Set", "SetSCL", 9)), facts(PLAIN), ALICE);
        assertThat(v.outcomes().getFirst().disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
    }

    @Test
    void withImportanceReadsImportanceThenXPriorityAndDefaultsToNormal() {
        assertThat(holds(facts("Importance: high\n" + PLAIN), "WithImportance", "High")).isTrue();
        assertThat(holds(facts("Importance: HIGH\n" + PLAIN), "WithImportance", "Normal")).isFalse();
        assertThat(holds(facts("Importance: low\n" + PLAIN), "WithImportance", "Low")).isTrue();
        assertThat(holds(facts("X-Priority: 1 (Highest)\n" + PLAIN), "WithImportance", "High")).isTrue();
        assertThat(holds(facts("X-Priority: 2\n" + PLAIN), "WithImportance", "High")).isTrue();
        assertThat(holds(facts("X-Priority: 3 (Normal)\n" + PLAIN), "WithImportance", "Normal")).isTrue();
        assertThat(holds(facts("X-Priority: 5 (Lowest)\n" + PLAIN), "WithImportance", "Low")).isTrue();
        assertThat(holds(facts(PLAIN), "WithImportance", "Normal")).isTrue();
        assertThat(holds(facts(PLAIN), "WithImportance", "High")).isFalse();
        // Importance wins over X-Priority when both are present
        assertThat(holds(facts("Importance: Low\nX-Priority: 1\n" + PLAIN), "WithImportance", "Low")).isTrue();
    }
}
