// Spec §5.1 evaluation: AND/OR logic, priority order, StopRuleProcessing and terminal actions per recipient, windows, audit modes, errors.
package dev.gatehouse.rules;

import static dev.gatehouse.rules.RuleTestKit.evaluate;
import static dev.gatehouse.rules.RuleTestKit.facts;
import static dev.gatehouse.rules.RuleTestKit.matched;
import static dev.gatehouse.rules.RuleTestKit.outcome;
import static dev.gatehouse.rules.RuleTestKit.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class EvaluationOrderTest {
    static final String ALICE = "alice@contoso.com", BOB = "bob@contoso.com", ZED = "zed@partner.example";
    static final String MAIL = "From: x@partner.example\nTo: bob@contoso.com\nSubject: Invoice 42\nX-Scanner: clean\n\nbody\n";

    private static CompiledRule tag(String name) { return rule(name, "SetHeaderName", "X-" + name, "SetHeaderValue", "1"); }

    private static List<String> tags(RuleVerdict.Outcome o) {
        return o.edits().stream().filter(e -> e instanceof HeaderEdit.Set).map(e -> ((HeaderEdit.Set) e).header()).toList();
    }

    // --- logic -----------------------------------------------------------------------------------------------------

    @Test
    void aRuleWithoutConditionsAppliesToEveryRecipient() {
        assertThat(matched(evaluate(tag("All"), facts(MAIL), ALICE, BOB, ZED), "All")).containsExactly(ALICE, BOB, ZED);
    }

    @Test
    void conditionsMustAllHoldWhileAnyValueOfOneConditionIsEnough() {
        MessageFacts f = facts(MAIL);
        assertThat(matched(evaluate(rule("And", "SubjectContainsWords", List.of("invoice"), "SentTo", List.of(BOB), "Quarantine", true),
                f, ALICE, BOB), "And")).containsExactly(BOB);
        assertThat(matched(evaluate(rule("And", "SubjectContainsWords", List.of("receipt"), "SentTo", List.of(BOB), "Quarantine", true),
                f, ALICE, BOB), "And")).isEmpty();
        assertThat(matched(evaluate(rule("Or", "SubjectContainsWords", List.of("receipt", "invoice"), "Quarantine", true),
                f, ALICE, BOB), "Or")).containsExactly(ALICE, BOB);
    }

    @Test
    void anyExceptionSparesTheRecipient() {
        CompiledRule r = rule("R", "ExceptIfSentTo", List.of(ALICE), "ExceptIfHeaderContainsMessageHeader", "X-Scanner",
                "ExceptIfHeaderContainsWords", List.of("infected"), "Quarantine", true);
        assertThat(matched(evaluate(r, facts(MAIL), ALICE, BOB), "R")).containsExactly(BOB);
        assertThat(matched(evaluate(r, facts(MAIL.replace("clean", "infected")), ALICE, BOB), "R")).isEmpty();
    }

    @Test
    void aConditionAndAnExceptionOnTheSameRecipientFieldCombine() {
        CompiledRule r = rule("R", "RecipientDomainIs", List.of("contoso.com"), "ExceptIfSentTo", List.of(ALICE), "Quarantine", true);
        RuleVerdict v = evaluate(r, facts(MAIL), ALICE, BOB, ZED);
        assertThat(outcome(v, BOB).disposition()).isEqualTo(RuleVerdict.Disposition.Quarantine);
        assertThat(outcome(v, ALICE).disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        assertThat(outcome(v, ZED).disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
    }

    // --- order and stopping -------------------------------------------------------------------------------------------

    @Test
    void rulesApplyInTheirOrderAndEachMatchingRuleAdds() {
        RuleVerdict v = evaluate(List.of(tag("First"), tag("Second"), tag("Third")), facts(MAIL), BOB);
        assertThat(tags(v.outcomes().getFirst())).containsExactly("X-First", "X-Second", "X-Third");
        assertThat(v.notes()).filteredOn(n -> n.type().equals("TransportRule")).extracting(RuleVerdict.Note::detail)
                .map(d -> d.substring(0, d.indexOf("', ID")))
                .containsExactly("Transport rule: 'First", "Transport rule: 'Second", "Transport rule: 'Third");
    }

    @Test
    void stopRuleProcessingEndsEvaluationOnlyForTheRecipientsTheRuleMatched() {
        CompiledRule stopBob = rule("StopBob").p("SentTo", List.of(BOB)).p("SetHeaderName", "X-StopBob").p("SetHeaderValue", "1").stop().compile();
        RuleVerdict v = evaluate(List.of(stopBob, tag("Later")), facts(MAIL), ALICE, BOB);
        assertThat(tags(outcome(v, BOB))).containsExactly("X-StopBob");
        assertThat(tags(outcome(v, ALICE))).containsExactly("X-Later");
    }

    @Test
    void stopRuleProcessingOnARuleThatDidNotMatchStopsNothing() {
        CompiledRule never = rule("Never").p("SubjectContainsWords", List.of("receipt")).p("Quarantine", true).stop().compile();
        RuleVerdict v = evaluate(List.of(never, tag("Later")), facts(MAIL), BOB);
        assertThat(tags(v.outcomes().getFirst())).containsExactly("X-Later");
    }

    @Test
    void quarantineRejectAndDeleteEndEvaluationForTheirRecipientsOnly() {
        List<CompiledRule> rules = List.of(
                rule("Hold", "SentTo", List.of(ALICE), "Quarantine", true),
                rule("Refuse", "SentTo", List.of(BOB), "RejectMessageReasonText", "No"),
                rule("Drop", "SentTo", List.of(ZED), "DeleteMessage", true),
                rule("Block", "RejectMessageReasonText", "Everyone"),
                tag("Never"));
        RuleVerdict v = evaluate(rules, facts(MAIL), ALICE, BOB, ZED, "carol@contoso.com");
        assertThat(outcome(v, ALICE).ruleName()).isEqualTo("Hold");
        assertThat(outcome(v, BOB).rejectText()).isEqualTo("No");
        assertThat(outcome(v, ZED).ruleName()).isEqualTo("Drop");
        assertThat(outcome(v, "carol@contoso.com").rejectText()).isEqualTo("Everyone");
        assertThat(matched(v, "Block")).containsExactly("carol@contoso.com");
        assertThat(matched(v, "Never")).isEmpty();
    }

    @Test
    void onceEveryRecipientHasLeftLaterRulesAreNotEvenEvaluated() {
        // the later rule would fail on this message (a deferring runaway pattern): it never runs, so nothing is deferred
        List<CompiledRule> rules = List.of(rule("Hold", "Quarantine", true),
                rule("Fragile").p("SubjectMatchesPatterns", List.of("(.*a){12}b")).p("Quarantine", true).defer().compile());
        RuleVerdict v = RuleEvaluator.evaluate(rules, RuleTestKit.TENANT, facts("Subject: " + "a".repeat(60) + "\n\nb\n"), RuleTestKit.rcpts(BOB),
                RuleTestKit.ORG, Instant.now(), Deadline.in(100));
        assertThat(v.deferReason()).isNull();
        assertThat(v.notes()).extracting(RuleVerdict.Note::type).doesNotContain("RuleError");
    }

    @Test
    void conditionsReadTheMessageAsReceivedNotAsEarlierRulesEditedIt() {
        List<CompiledRule> rules = List.of(
                rule("Tag", "PrependSubject", "[EXT] ", "SetHeaderName", "X-Flag", "SetHeaderValue", "suspicious"),
                rule("OnTag", "SubjectContainsWords", List.of("EXT"), "Quarantine", true),
                rule("OnFlag", "HeaderContainsMessageHeader", "X-Flag", "HeaderContainsWords", List.of("suspicious"), "Quarantine", true));
        RuleVerdict v = evaluate(rules, facts(MAIL), BOB);
        assertThat(v.outcomes().getFirst().disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
    }

    @Test
    void recipientsAddedByARuleAreNotEvaluatedByLaterRules() {
        List<CompiledRule> rules = List.of(rule("Copy", "BlindCopyTo", List.of(ALICE)), rule("HoldAlice", "SentTo", List.of(ALICE), "Quarantine", true));
        RuleVerdict v = evaluate(rules, facts(MAIL), BOB);
        assertThat(outcome(v, ALICE).disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        assertThat(matched(v, "HoldAlice")).isEmpty();
    }

    @Test
    void sclSetForOneRecipientIsNotSeenForAnother() {
        List<CompiledRule> rules = List.of(rule("SpamForBob", "SentTo", List.of(BOB), "SetSCL", 9), rule("Junk", "SCLOver", 9, "Quarantine", true));
        RuleVerdict v = evaluate(rules, facts(MAIL), ALICE, BOB);
        assertThat(outcome(v, BOB).disposition()).isEqualTo(RuleVerdict.Disposition.Quarantine);
        // alice's copy never had its SCL set (her delivered copy has no SCL field), yet it is quarantined as SCL 9
        assertThat(outcome(v, ALICE).edits()).isEmpty();
        assertThat(outcome(v, ALICE).disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
    }

    // --- activation window -------------------------------------------------------------------------------------------

    @Test
    void aRuleActsFromItsActivationDateUpToButNotIncludingItsExpiryDate() {
        Instant from = Instant.parse("2026-03-01T00:00:00Z"), to = Instant.parse("2026-04-01T00:00:00Z");
        CompiledRule r = rule("Window").p("Quarantine", true).window(from, to).compile();
        for (var c : List.of(
                new Object[] {from.minusMillis(1), false}, new Object[] {from, true}, new Object[] {to.minusMillis(1), true},
                new Object[] {to, false}, new Object[] {to.plus(Duration.ofDays(400)), false})) {
            RuleVerdict v = RuleEvaluator.evaluate(List.of(r), RuleTestKit.TENANT, facts(MAIL), RuleTestKit.rcpts(BOB), RuleTestKit.ORG,
                    (Instant) c[0], Deadline.none());
            assertThat(v.outcomes().getFirst().disposition()).as("at " + c[0])
                    .isEqualTo((Boolean) c[1] ? RuleVerdict.Disposition.Quarantine : RuleVerdict.Disposition.Deliver);
        }
    }

    @Test
    void anOpenEndedWindowHasNoLimitOnThatSide() {
        Instant t = Instant.parse("2026-03-01T00:00:00Z");
        CompiledRule onlyFrom = rule("From").p("Quarantine", true).window(t, null).compile();
        CompiledRule onlyTo = rule("To").p("Quarantine", true).window(null, t).compile();
        assertThat(onlyFrom.activeAt(t.plus(Duration.ofDays(3650)))).isTrue();
        assertThat(onlyFrom.activeAt(t.minusSeconds(1))).isFalse();
        assertThat(onlyTo.activeAt(Instant.EPOCH)).isTrue();
        assertThat(onlyTo.activeAt(t)).isFalse();
    }

    @Test
    void anInactiveRuleDoesNotStopLaterRules() {
        CompiledRule expired = rule("Old").p("Quarantine", true).stop().window(null, Instant.now().minusSeconds(60)).compile();
        RuleVerdict v = evaluate(List.of(expired, tag("Current")), facts(MAIL), BOB);
        assertThat(tags(v.outcomes().getFirst())).containsExactly("X-Current");
        assertThat(matched(v, "Old")).isEmpty();
    }

    // --- audit modes --------------------------------------------------------------------------------------------------

    @Test
    void auditRecordsEveryActionItWouldTakeAndChangesNothing() {
        CompiledRule audit = rule("Watch").mode(RuleMode.Audit).p("SubjectContainsWords", List.of("invoice")).p("PrependSubject", "[W] ")
                .p("Quarantine", true).p("GenerateNotification", "seen").compile();
        RuleVerdict v = evaluate(audit, facts(MAIL), BOB);
        RuleVerdict.Outcome o = v.outcomes().getFirst();
        assertThat(o.disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        assertThat(o.edits()).isEmpty();
        assertThat(v.notes()).extracting(RuleVerdict.Note::type).containsExactly("TransportRule", "RuleAction", "RuleAction", "RuleAction");
        assertThat(v.notes()).filteredOn(n -> n.type().equals("RuleAction")).extracting(RuleVerdict.Note::detail)
                .containsExactly("S:TRA=ETR|ruleId=" + audit.guid() + "|action=PrependSubject|sev=1|mode=Test without Policy Tips",
                        "S:TRA=ETR|ruleId=" + audit.guid() + "|action=GenerateNotification|sev=1|mode=Test without Policy Tips",
                        "S:TRA=ETR|ruleId=" + audit.guid() + "|action=Quarantine|sev=1|mode=Test without Policy Tips");
    }

    @Test
    void auditAndNotifyAlsoSendsTheNotificationButNothingElse() {
        CompiledRule audit = rule("Watch").mode(RuleMode.AuditAndNotify).p("Quarantine", true).p("GenerateNotification", "seen %%Subject%%").compile();
        RuleVerdict v = evaluate(audit, facts(MAIL), BOB);
        assertThat(v.outcomes().getFirst().disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        assertThat(v.notes()).contains(new RuleVerdict.Note(BOB, "Notification", "seen %%Subject%%"));
        assertThat(v.notes()).filteredOn(n -> n.type().equals("RuleAction")).allSatisfy(n -> assertThat(n.detail()).endsWith("|mode=Test with Policy Tips"));
    }

    @Test
    void anAuditedRuleNeitherStopsLaterRulesNorSetsTheScl() {
        List<CompiledRule> rules = List.of(
                rule("Audit").mode(RuleMode.Audit).p("SetSCL", 9).p("Quarantine", true).stop().compile(),
                rule("Junk", "SCLOver", 5, "PrependSubject", "[JUNK] "),
                tag("Later"));
        RuleVerdict.Outcome o = evaluate(rules, facts(MAIL), BOB).outcomes().getFirst();
        assertThat(o.disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        assertThat(o.edits()).containsExactly(new HeaderEdit.Set("X-Later", "1"));
    }

    // --- errors ---------------------------------------------------------------------------------------------------------

    private static final String LONG = "From: x@partner.example\nSubject: " + "a".repeat(60) + "\n\nb\n";

    private static RuleVerdict withFragile(boolean defer, String... recipients) {
        RuleTestKit.R fragile = rule("Fragile").p("SubjectMatchesPatterns", List.of("(.*a){12}b")).p("Quarantine", true);
        if (defer) fragile.defer();
        return RuleEvaluator.evaluate(List.of(tag("Before"), fragile.compile(), tag("After")), RuleTestKit.TENANT, facts(LONG),
                RuleTestKit.rcpts(recipients), RuleTestKit.ORG, Instant.now(), Deadline.in(100));
    }

    @Test
    void aFailingRuleWithIgnoreIsSkippedAndTheOthersStillApply() {
        RuleVerdict v = withFragile(false, BOB);
        assertThat(v.deferReason()).isNull();
        assertThat(tags(v.outcomes().getFirst())).containsExactly("X-Before", "X-After");
        assertThat(v.notes()).filteredOn(n -> n.type().equals("RuleError")).singleElement().satisfies(n -> {
            assertThat(n.recipient()).isNull();
            assertThat(n.detail()).startsWith("Transport rule: 'Fragile'").contains("Error: pattern matching exceeded its time limit")
                    .endsWith("(RuleErrorAction Ignore: the rule was skipped)");
        });
    }

    @Test
    void aFailingRuleWithDeferDefersTheWholeMessageAndDecidesNothing() {
        RuleVerdict v = withFragile(true, BOB, ALICE);
        assertThat(v.deferReason()).isEqualTo("rule 'Fragile' failed: pattern matching exceeded its time limit");
        assertThat(v.outcomes()).isEmpty();
        assertThat(v.notes()).filteredOn(n -> n.type().equals("RuleError")).singleElement()
                .satisfies(n -> assertThat(n.detail()).endsWith("(RuleErrorAction Defer)"));
    }
}
