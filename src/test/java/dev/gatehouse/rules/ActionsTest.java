// Every action (spec §5.3) as the evaluator decides it and as the content editor writes it into the delivered copy.
package dev.gatehouse.rules;

import static dev.gatehouse.rules.RuleTestKit.edited;
import static dev.gatehouse.rules.RuleTestKit.evaluate;
import static dev.gatehouse.rules.RuleTestKit.facts;
import static dev.gatehouse.rules.RuleTestKit.msg;
import static dev.gatehouse.rules.RuleTestKit.outcome;
import static dev.gatehouse.rules.RuleTestKit.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.mail.Message;

class ActionsTest {
    static final String BOB = "bob@contoso.com", ALICE = "alice@contoso.com";

    static final String MAIL = """
            Received: from client.example by mx.gatehouse.test
            X-Tag: first
            From: x@partner.example
            To: bob@contoso.com
            Subject: hello
            X-Tag: second,
             folded onto a second line
            Message-ID: <1@partner.example>

            body line
            """;

    /** The delivered copy of {@code mail} for the first recipient after one rule. */
    private static String apply(String mail, CompiledRule r) {
        RuleVerdict v = evaluate(r, facts(mail), BOB);
        return edited(msg(mail), v.outcomes().getFirst());
    }

    private static String crlf(String s) { return s.replace("\n", "\r\n"); }

    // --- SetHeader / RemoveHeader ---------------------------------------------------------------------------------

    @Test
    void setHeaderReplacesDuplicateAndFoldedFieldsByOneFieldWhereTheFirstWas() {
        String out = apply(MAIL, rule("Set", "SetHeaderName", "x-tag", "SetHeaderValue", "checked"));
        assertThat(out).isEqualTo(crlf("""
                Received: from client.example by mx.gatehouse.test
                x-tag: checked
                From: x@partner.example
                To: bob@contoso.com
                Subject: hello
                Message-ID: <1@partner.example>

                body line
                """));
    }

    @Test
    void setHeaderAddsAMissingFieldAfterTheLastOneAndLeavesTheBodyAlone() {
        String out = apply(MAIL, rule("Set", "SetHeaderName", "X-Gatehouse-Scanned", "SetHeaderValue", "yes"));
        assertThat(out).isEqualTo(crlf(MAIL).replace("Message-ID: <1@partner.example>\r\n",
                "Message-ID: <1@partner.example>\r\nX-Gatehouse-Scanned: yes\r\n"));
    }

    @Test
    void setHeaderEncodesNonAsciiValuesAndTheDeliveredValueDecodesBack() {
        String out = apply(MAIL, rule("Set", "SetHeaderName", "X-Classification", "SetHeaderValue", "Vertraulich – nur intern"));
        assertThat(out).doesNotContain("–").contains("X-Classification: =?");
        assertThat(Message.parse(out.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).firstDecoded("X-Classification"))
                .isEqualTo("Vertraulich – nur intern");
    }

    @Test
    void aHeaderValueWithALineBreakIsRefusedWhenTheRuleIsSaved() {
        assertThatThrownBy(() -> rule("Inject", "SetHeaderName", "X-A", "SetHeaderValue", "a\r\nBcc: victim@example.org"))
                .isInstanceOf(ValidationException.class).hasMessage("-SetHeaderValue 'a\r\nBcc: victim@example.org': it can't contain line breaks");
        assertThatThrownBy(() -> rule("Long", "SetHeaderName", "X-A", "SetHeaderValue", "v".repeat(999)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("at most 998 characters");
        assertThatThrownBy(() -> rule("Name", "SetHeaderName", "X A", "SetHeaderValue", "v"))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("-SetHeaderName 'X A': a header name can contain only");
    }

    @Test
    void aLineBreakThatReachesTheEditorAnywayNeverStartsANewField() {
        byte[] out = ContentEditor.apply(msg(MAIL), List.of(new HeaderEdit.Set("X-A", "a\r\nBcc: victim@example.org")));
        Message m = Message.parse(out);
        assertThat(m.count("Bcc")).isZero();
        assertThat(m.first("X-A")).contains("victim@example.org");
        // and a broken field name is never written
        assertThat(ContentEditor.apply(msg(MAIL), List.of(new HeaderEdit.Set("Bad Name", "v")))).isEqualTo(msg(MAIL).bytes());
    }

    @Test
    void removeHeaderRemovesEveryFieldOfTheNameWithItsContinuationLines() {
        String out = apply(MAIL, rule("Remove", "RemoveHeader", "X-TAG"));
        assertThat(out).isEqualTo(crlf("""
                Received: from client.example by mx.gatehouse.test
                From: x@partner.example
                To: bob@contoso.com
                Subject: hello
                Message-ID: <1@partner.example>

                body line
                """));
    }

    @Test
    void removingAnAbsentHeaderLeavesTheMessageByteForByte() {
        assertThat(apply(MAIL, rule("Remove", "RemoveHeader", "X-Not-There"))).isEqualTo(crlf(MAIL));
    }

    @Test
    void inOneRuleRemoveHeaderRunsBeforeSetHeaderSoTheNewValueStays() {
        String out = apply(MAIL, rule("Both", "RemoveHeader", "X-Tag", "SetHeaderName", "X-Tag", "SetHeaderValue", "fresh"));
        assertThat(Message.parse(out.getBytes(java.nio.charset.StandardCharsets.UTF_8)).values("X-Tag")).containsExactly("fresh");
    }

    // --- PrependSubject -----------------------------------------------------------------------------------------------

    @Test
    void prependSubjectPrefixesTheDecodedSubjectAndReEncodesIt() {
        String mail = "From: x@partner.example\nSubject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=\n\nb\n";
        String out = apply(mail, rule("Tag", "PrependSubject", "[EXTERNAL] "));
        Message m = Message.parse(out.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(m.firstDecoded("Subject")).isEqualTo("[EXTERNAL] Grüße aus Köln");
        assertThat(m.count("Subject")).isOne();
    }

    @Test
    void prependSubjectWritesASubjectWhenThereIsNone() {
        String out = apply("From: x@partner.example\n\nb\n", rule("Tag", "PrependSubject", "[EXT]"));
        assertThat(out).contains("\r\nSubject: [EXT]\r\n\r\nb\r\n");
    }

    @Test
    void twoPrependingRulesStackInPriorityOrder() {
        RuleVerdict v = evaluate(List.of(rule("A", "PrependSubject", "[A] "), rule("B", "PrependSubject", "[B] ")), facts(MAIL), BOB);
        assertThat(edited(msg(MAIL), v.outcomes().getFirst())).contains("\r\nSubject: [B] [A] hello\r\n");
    }

    @Test
    void aPrefixWithNonAsciiTextIsEncoded() {
        String out = apply(MAIL, rule("Tag", "PrependSubject", "[Extern – Vorsicht] "));
        assertThat(Message.parse(out.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).firstDecoded("Subject"))
                .isEqualTo("[Extern – Vorsicht] hello");
    }

    // --- recipients ---------------------------------------------------------------------------------------------------

    @Test
    void addToRecipientsAppendsToTheToFieldAndAddsADeliveredRecipient() {
        RuleVerdict v = evaluate(rule("Add", "AddToRecipients", List.of("Alice@Contoso.com")), facts(MAIL), BOB);
        assertThat(v.outcomes()).extracting(RuleVerdict.Outcome::address, RuleVerdict.Outcome::disposition, RuleVerdict.Outcome::added)
                .containsExactly(tuple(BOB, RuleVerdict.Disposition.Deliver, false), tuple(ALICE, RuleVerdict.Disposition.Deliver, true));
        assertThat(outcome(v, ALICE).mailboxId()).isEqualTo(7L);
        assertThat(edited(msg(MAIL), outcome(v, BOB))).contains("\r\nTo: bob@contoso.com, alice@contoso.com\r\n");
        // the added copy is the same content as the original recipient's
        assertThat(outcome(v, ALICE).edits()).isEqualTo(outcome(v, BOB).edits());
    }

    @Test
    void copyToCreatesACcFieldAndBlindCopyToLeavesNoTrace() {
        RuleVerdict cc = evaluate(rule("Cc", "CopyTo", List.of(ALICE)), facts(MAIL), BOB);
        assertThat(edited(msg(MAIL), outcome(cc, BOB))).contains("\r\nCc: alice@contoso.com\r\n");
        RuleVerdict bcc = evaluate(rule("Bcc", "BlindCopyTo", List.of(ALICE)), facts(MAIL), BOB);
        assertThat(outcome(bcc, ALICE).added()).isTrue();
        assertThat(outcome(bcc, BOB).edits()).isEmpty();
        assertThat(edited(msg(MAIL), outcome(bcc, ALICE))).isEqualTo(crlf(MAIL));
    }

    /** The addresses of the first field of this name as a standard (mime4j) parser reads its raw value. */
    private static List<String> parsedAddresses(String delivered, String field) {
        String raw = Message.parse(delivered.getBytes(java.nio.charset.StandardCharsets.UTF_8)).first(field);
        return dev.gatehouse.mail.Text.mime4jAddressList(raw).flatten().stream()
                .map(org.apache.james.mime4j.dom.address.Mailbox::getAddress).toList();
    }

    @Test
    void addingARecipientKeepsEncodedDisplayNamesOfTheFieldReadable() {
        String mail = "From: x@partner.example\nTo: =?UTF-8?Q?J=C3=B6rg?= <joerg@contoso.com>\nSubject: s\n\nb\n";
        String out = apply(mail, rule("Add", "AddToRecipients", List.of(ALICE)));
        assertThat(parsedAddresses(out, "To")).containsExactly("joerg@contoso.com", ALICE);
        assertThat(Message.parse(out.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).firstDecoded("To")).startsWith("Jörg <joerg@contoso.com>");
    }

    @Test
    void addingARecipientKeepsTheAddressesOfAFieldWithRawNonAsciiText() {
        String mail = "From: x@partner.example\nTo: \"Jörg\" <joerg@contoso.com>\nSubject: s\n\nb\n";
        String out = apply(mail, rule("Add", "AddToRecipients", List.of(ALICE)));
        assertThat(parsedAddresses(out, "To")).containsExactly("joerg@contoso.com", ALICE);
    }

    @Test
    void editedFieldsStayWithinTheLineLimitOfTheFieldsTheyReplace() {
        StringBuilder to = new StringBuilder("To: a0@contoso.com");
        for (int i = 1; i < 60; i++) to.append(",\n a").append(i).append("@partner-with-a-long-domain-name.example");
        StringBuilder subject = new StringBuilder("Subject: start");
        for (int i = 0; i < 40; i++) subject.append("\n ").append("word ".repeat(10).strip());
        String mail = "From: x@partner.example\n" + to + "\n" + subject + "\n\nbody\n";
        assertThat(mail.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(998));
        String out = apply(mail, rule("Edit", "AddToRecipients", List.of(ALICE), "PrependSubject", "[EXT] "));
        assertThat(parsedAddresses(out, "To")).hasSize(61).contains(ALICE);
        assertThat(out.split("\r\n")).allSatisfy(l -> assertThat(l.length()).as(l.substring(0, Math.min(20, l.length()))).isLessThanOrEqualTo(998));
    }

    @Test
    void addingSomeoneWhoIsAlreadyARecipientDoesNotDeliverTwice() {
        RuleVerdict v = evaluate(rule("Cc", "CopyTo", List.of(ALICE)), facts(MAIL), BOB, ALICE);
        assertThat(v.outcomes()).extracting(RuleVerdict.Outcome::address).containsExactly(BOB, ALICE);
        assertThat(v.outcomes()).noneMatch(RuleVerdict.Outcome::added);
    }

    @Test
    void anAddedAddressThatIsNoLongerARecipientIsSkippedAndRecorded() {
        // saved while it was a recipient of the tenant; resolved again at delivery time
        CompiledRule r = CompiledRule.of(new TransportRule(1, "00000000-0000-0000-0000-0000000000aa", "Gone", 0, RuleMode.Enforce, true, null,
                null, false, "Header", null, RuleErrorAction.Ignore, Map.of("BlindCopyTo", List.of("left@fabrikam.com", ALICE)), java.time.Instant.now()));
        RuleVerdict v = evaluate(r, facts(MAIL), BOB);
        assertThat(v.outcomes()).extracting(RuleVerdict.Outcome::address).containsExactly(BOB, ALICE);
        assertThat(v.notes()).filteredOn(n -> n.type().equals("RuleError")).singleElement()
                .satisfies(n -> assertThat(n.detail()).endsWith("BlindCopyTo: 'left@fabrikam.com' isn't a recipient of the organization"));
    }

    @Test
    void redirectReplacesTheRecipientAndTheTargetGetsTheEditsMadeSoFar() {
        List<CompiledRule> rules = List.of(
                rule("Tag", "PrependSubject", "[EXT] "),
                rule("Legal", "SubjectContainsWords", List.of("hello"), "RedirectMessageTo", List.of(ALICE), "SetHeaderName", "X-Legal",
                        "SetHeaderValue", "hold"),
                rule("After", "SetHeaderName", "X-After", "SetHeaderValue", "1"));
        RuleVerdict v = evaluate(rules, facts(MAIL), BOB);
        RuleVerdict.Outcome bob = outcome(v, BOB);
        assertThat(bob.disposition()).isEqualTo(RuleVerdict.Disposition.Redirected);
        assertThat(bob.reason()).isEqualTo("Redirected to alice@contoso.com by transport rule");
        RuleVerdict.Outcome alice = outcome(v, ALICE);
        assertThat(alice.disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        assertThat(alice.added()).isTrue();
        String delivered = edited(msg(MAIL), alice);
        assertThat(delivered).contains("Subject: [EXT] hello").contains("X-Legal: hold").doesNotContain("X-After");
        assertThat(v.notes()).filteredOn(n -> n.type().equals("Redirect")).singleElement()
                .satisfies(n -> assertThat(n).isEqualTo(new RuleVerdict.Note(BOB, "Redirect", "Message redirected to alice@contoso.com")));
    }

    @Test
    void aRedirectToRecipientsThatNoLongerExistDoesNotLoseTheMessageSilently() {
        CompiledRule r = CompiledRule.of(new TransportRule(1, "00000000-0000-0000-0000-0000000000ab", "Gone", 0, RuleMode.Enforce, true, null,
                null, false, "Header", null, RuleErrorAction.Ignore, Map.of("RedirectMessageTo", List.of("left@fabrikam.com")), java.time.Instant.now()));
        RuleVerdict v = evaluate(r, facts(MAIL), BOB);
        assertThat(v.notes()).extracting(RuleVerdict.Note::type).contains("RuleError");
        assertThat(outcome(v, BOB).disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
    }

    // --- terminal actions ----------------------------------------------------------------------------------------------

    @Test
    void rejectUsesTheRulesCodeAndTextWithExchangesDefaults() {
        record Case(Map<String, Object> params, String status, String text) {}
        for (Case c : List.of(
                new Case(Map.of("RejectMessageReasonText", "Not here"), "5.7.1", "Not here"),
                new Case(Map.of("RejectMessageEnhancedStatusCode", "5.7.999"), "5.7.999", "Delivery not authorized, message refused"),
                new Case(Map.of("RejectMessageEnhancedStatusCode", "5.7.900", "RejectMessageReasonText", "Policy"), "5.7.900", "Policy"))) {
            RuleTestKit.R r = rule("Reject");
            c.params().forEach(r::p);
            RuleVerdict.Outcome o = evaluate(r.compile(), facts(MAIL), BOB).outcomes().getFirst();
            assertThat(o.disposition()).isEqualTo(RuleVerdict.Disposition.Reject);
            assertThat(o.rejectStatus()).isEqualTo(c.status());
            assertThat(o.rejectText()).isEqualTo(c.text());
            assertThat(o.reason()).isEqualTo(c.status() + " " + c.text());
            assertThat(o.ruleName()).isEqualTo("Reject");
        }
    }

    @Test
    void rejectStatusCodesOutsideExchangesRangeAreRefused() {
        for (String bad : List.of("5.7.2", "5.7.899", "5.7.1000", "4.7.1", "5.1.1", "5.7.90", " 5.7.1")) {
            assertThatThrownBy(() -> rule("R", "RejectMessageEnhancedStatusCode", bad)).as(bad).isInstanceOf(ValidationException.class)
                    .hasMessage("-RejectMessageEnhancedStatusCode '" + bad + "': the enhanced status code must be 5.7.1 or between 5.7.900 and 5.7.999");
        }
        assertThatThrownBy(() -> rule("R", "RejectMessageReasonText", "x".repeat(1025))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("at most 1024 characters");
        assertThatThrownBy(() -> rule("R", "RejectMessageReasonText", "tab\there")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("can't contain line breaks or control characters");
    }

    @Test
    void deleteDropsTheRecipientSilentlyWithTheRuleNamed() {
        RuleVerdict.Outcome o = evaluate(rule("Drop", "DeleteMessage", true), facts(MAIL), BOB).outcomes().getFirst();
        assertThat(o.disposition()).isEqualTo(RuleVerdict.Disposition.Delete);
        assertThat(o.reason()).isEqualTo("Message deleted by transport rule 'Drop'");
        assertThat(o.rejectStatus()).isNull();
        assertThat(o.ruleName()).isEqualTo("Drop");
    }

    @Test
    void falseBooleanActionsAreNoActionAtAll() {
        assertThatThrownBy(() -> rule("None", "Quarantine", false, "DeleteMessage", false)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("needs at least one action");
    }

    @Test
    void quarantineHoldsTheRecipientButKeepsEditsForTheReleasedCopy() {
        RuleVerdict.Outcome o = evaluate(rule("Hold", "PrependSubject", "[HELD] ", "Quarantine", true), facts(MAIL), BOB).outcomes().getFirst();
        assertThat(o.disposition()).isEqualTo(RuleVerdict.Disposition.Quarantine);
        assertThat(o.reason()).isEqualTo("Message quarantined by transport rule 'Hold'");
        assertThat(o.ruleGuid()).isNotNull();
        assertThat(o.edits()).containsExactly(new HeaderEdit.PrependSubject("[HELD] "));
    }

    @Test
    void theFirstTerminalActionOfARuleDecides() {
        // applied in Exchange's order: header edits, then redirect, reject, delete, quarantine
        RuleVerdict.Outcome o = evaluate(rule("Both", "Quarantine", true, "RejectMessageReasonText", "No"), facts(MAIL), BOB).outcomes().getFirst();
        assertThat(o.disposition()).isEqualTo(RuleVerdict.Disposition.Reject);
        RuleVerdict.Outcome d = evaluate(rule("Both", "Quarantine", true, "DeleteMessage", true), facts(MAIL), BOB).outcomes().getFirst();
        assertThat(d.disposition()).isEqualTo(RuleVerdict.Disposition.Delete);
    }

    @Test
    void copiesAddedForAQuarantinedOrRejectedRecipientFollowIt() {
        RuleVerdict rejected = evaluate(rule("R", "BlindCopyTo", List.of(ALICE), "RejectMessageReasonText", "No"), facts(MAIL), BOB);
        assertThat(outcome(rejected, ALICE).disposition()).isEqualTo(RuleVerdict.Disposition.Delete);
        assertThat(outcome(rejected, ALICE).reason()).isEqualTo("Copy not sent: 5.7.1 No");
        assertThat(outcome(rejected, ALICE).rejectStatus()).isNull(); // a copy never produces an NDR of its own
        RuleVerdict deleted = evaluate(rule("D", "CopyTo", List.of(ALICE), "DeleteMessage", true), facts(MAIL), BOB);
        assertThat(outcome(deleted, ALICE).disposition()).isEqualTo(RuleVerdict.Disposition.Delete);
    }

    // --- SetSCL, notifications, trace -------------------------------------------------------------------------------------

    @Test
    void setSclWritesTheOrganizationSclField() {
        String out = apply("X-MS-Exchange-Organization-SCL: 5\n" + MAIL, rule("Trust", "SetSCL", -1));
        Message m = Message.parse(out.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(m.values("X-MS-Exchange-Organization-SCL")).containsExactly("-1");
    }

    @Test
    void generateNotificationAsksForOneNotificationPerMatchedRecipient() {
        RuleVerdict v = evaluate(rule("Notify", "SentToScope", "InOrganization", "GenerateNotification", "Mail for %%To%%: %%Subject%%"),
                facts(MAIL), BOB, ALICE, "zed@partner.example");
        assertThat(v.notes()).filteredOn(n -> n.type().equals("Notification"))
                .containsExactly(new RuleVerdict.Note(BOB, "Notification", "Mail for %%To%%: %%Subject%%"),
                        new RuleVerdict.Note(ALICE, "Notification", "Mail for %%To%%: %%Subject%%"));
        assertThat(v.outcomes()).allSatisfy(o -> assertThat(o.disposition()).isEqualTo(RuleVerdict.Disposition.Deliver));
        assertThatThrownBy(() -> rule("Long", "GenerateNotification", "n".repeat(5121))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("at most 5120 characters");
    }

    @Test
    void everyMatchedRuleAndActionIsTracedWithExchangesCustomData() {
        CompiledRule r = rule("Tag", "SetHeaderName", "X-A", "SetHeaderValue", "1", "PrependSubject", "[T] ");
        RuleVerdict v = evaluate(r, facts(MAIL), BOB);
        assertThat(v.notes()).containsExactly(
                new RuleVerdict.Note(BOB, "TransportRule", "Transport rule: 'Tag', ID: ('" + r.guid()
                        + "'), DLP policy: '', ID: (00000000-0000-0000-0000-000000000000)."),
                new RuleVerdict.Note(BOB, "RuleAction", "S:TRA=ETR|ruleId=" + r.guid() + "|action=SetHeader|sev=1|mode=Enforce"),
                new RuleVerdict.Note(BOB, "RuleAction", "S:TRA=ETR|ruleId=" + r.guid() + "|action=PrependSubject|sev=1|mode=Enforce"));
    }

    @Test
    void recipientsWithTheSameEditsGetEqualEditListsSoTheyShareOneCopy() {
        List<CompiledRule> rules = List.of(rule("All", "PrependSubject", "[EXT] "),
                rule("Alice", "SentTo", List.of(ALICE), "SetHeaderName", "X-Alice", "SetHeaderValue", "1"));
        RuleVerdict v = evaluate(rules, facts(MAIL), BOB, ALICE, "carol@contoso.com");
        assertThat(outcome(v, BOB).edits()).isEqualTo(outcome(v, "carol@contoso.com").edits()).isNotEqualTo(outcome(v, ALICE).edits());
        assertThat(ContentEditor.distinct(v.outcomes().stream().map(RuleVerdict.Outcome::edits).toList())).hasSize(2);
    }
}
