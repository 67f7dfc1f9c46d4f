// RuleService and RuleEngine on SQLite and PostgreSQL: validation messages, priorities, names, recipients, Set semantics, snapshots.
package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class RuleServiceTest extends StoreTestBase {
    private long contoso;
    private long fabrikam;
    private RuleService rules;

    @BeforeEach
    void organizations() {
        TenantService tenants = new TenantService(store);
        AcceptedDomainService domains = new AcceptedDomainService(store);
        MailboxService mailboxes = new MailboxService(store);
        contoso = tenants.create("Contoso").id();
        fabrikam = tenants.create("Fabrikam").id();
        domains.create(contoso, "contoso.com", DomainType.Authoritative, false);
        domains.create(contoso, "relay.contoso.net", DomainType.InternalRelay, false);
        domains.create(fabrikam, "fabrikam.com", DomainType.Authoritative, false);
        mailboxes.create(contoso, "Alice", "alice@contoso.com", List.of("smtp:alice.smith@contoso.com"));
        mailboxes.create(contoso, "Bob", "bob@contoso.com", null);
        mailboxes.create(fabrikam, "Carol", "carol@fabrikam.com", null);
        rules = new RuleService(store);
    }

    private static Map<String, Object> tag(String name) { return Map.of("SetHeaderName", "X-" + name.replace(' ', '-'), "SetHeaderValue", "1"); }

    private TransportRule create(String name, Integer priority) {
        return rules.create(contoso, RuleService.RuleInput.named(name, tag(name)).withPriority(priority));
    }

    private List<String> names() { return rules.list(contoso).stream().map(TransportRule::name).toList(); }

    private void assertContiguous(long tenant) {
        List<TransportRule> l = rules.list(tenant);
        assertThat(l).extracting(TransportRule::priority).containsExactlyElementsOf(IntStream.range(0, l.size()).boxed().toList());
    }

    /** The message a refused New gives; nothing is stored. */
    private String refusal(Map<String, Object> params) {
        List<TransportRule> before = rules.list(contoso);
        ValidationException e = org.junit.jupiter.api.Assertions.assertThrows(ValidationException.class,
                () -> rules.create(contoso, RuleService.RuleInput.named("Refused", params)));
        assertThat(rules.list(contoso)).isEqualTo(before);
        return e.getMessage();
    }

    private static Map<String, Object> with(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], pairs[i + 1]);
        if (!m.containsKey("Quarantine")) m.put("Quarantine", true);
        return m;
    }

    // --- validation -------------------------------------------------------------------------------------------------

    @Test
    void aBadValueIsRefusedNamingTheParameterTheValueAndTheReason() {
        assertThat(refusal(with("SubjectContainsWords", List.of("ok", " padded")))).isEqualTo("-SubjectContainsWords ' padded': a word can't start or end with spaces");
        assertThat(refusal(with("ExceptIfSenderIpRanges", List.of("192.0.2.0/24", "gateway.example"))))
                .isEqualTo("-ExceptIfSenderIpRanges 'gateway.example': it isn't an IP address, a range such as 192.0.2.1-192.0.2.254 or a CIDR block such as 192.0.2.0/24");
        assertThat(refusal(with("SenderDomainIs", List.of("user@contoso.com")))).isEqualTo("-SenderDomainIs 'user@contoso.com': it isn't a domain name");
        assertThat(refusal(with("RecipientDomainIs", List.of("contoso .com")))).isEqualTo("-RecipientDomainIs 'contoso .com': it isn't a domain name");
        assertThat(refusal(with("SubjectMatchesPatterns", List.of("(unclosed")))).startsWith("-SubjectMatchesPatterns '(unclosed': it isn't a valid regular expression");
        assertThat(refusal(with("AttachmentNameMatchesPatterns", List.of("")))).isEqualTo("-AttachmentNameMatchesPatterns '': a pattern can't be empty");
        assertThat(refusal(with("HeaderContainsMessageHeader", "X:Bad", "HeaderContainsWords", List.of("x"))))
                .startsWith("-HeaderContainsMessageHeader 'X:Bad': a header name can contain only");
        assertThat(refusal(with("RemoveHeader", "h".repeat(65)))).endsWith("a header name has 1 to 64 characters");
        assertThat(refusal(with("PrependSubject", "[A]\n"))).isEqualTo("-PrependSubject '[A]\n': it can't contain line breaks");
        assertThat(refusal(with("SentTo", List.of(" ")))).isEqualTo("-SentTo ' ': a recipient can't be empty");
    }

    @Test
    void pairedParametersMustBeGivenTogetherAndARuleNeedsAnAction() {
        assertThat(refusal(with("HeaderContainsMessageHeader", "X-A"))).isEqualTo("-HeaderContainsMessageHeader and -HeaderContainsWords must be used together");
        assertThat(refusal(with("ExceptIfHeaderMatchesPatterns", List.of("x"))))
                .isEqualTo("-ExceptIfHeaderMatchesMessageHeader and -ExceptIfHeaderMatchesPatterns must be used together");
        assertThat(refusal(Map.of("SetHeaderValue", "1"))).isEqualTo("-SetHeaderName and -SetHeaderValue must be used together");
        assertThat(refusal(Map.of("SubjectContainsWords", List.of("x")))).startsWith("A transport rule needs at least one action");
        assertThat(refusal(Map.of("Quarantine", false))).startsWith("A transport rule needs at least one action");
        assertThat(refusal(with("Disconnect", true))).isEqualTo("-Disconnect isn't a supported rule parameter");
    }

    @Test
    void nameCommentsAndPriorityAreChecked() {
        assertThatThrownBy(() -> rules.create(contoso, RuleService.RuleInput.named("", tag("A")))).isInstanceOf(ValidationException.class)
                .hasMessage("-Name is required and can't be empty");
        assertThatThrownBy(() -> rules.create(contoso, RuleService.RuleInput.named(" A", tag("A")))).isInstanceOf(ValidationException.class)
                .hasMessage("-Name ' A': a rule name can't start or end with spaces");
        assertThatThrownBy(() -> rules.create(contoso, RuleService.RuleInput.named("n".repeat(65), tag("A")))).isInstanceOf(ValidationException.class)
                .hasMessageEndingWith("a rule name can be at most 64 characters long");
        rules.create(contoso, RuleService.RuleInput.named("n".repeat(64), tag("A")));
        assertThatThrownBy(() -> rules.create(contoso, new RuleService.RuleInput("C", null, null, null, null, null, false, false, null, null,
                "c".repeat(1025), null, tag("C")))).isInstanceOf(ValidationException.class).hasMessage("-Comments: at most 1024 characters");
        assertThatThrownBy(() -> create("P", -1)).isInstanceOf(ValidationException.class).hasMessage("-Priority -1: the value can't be negative");
        assertThat(names()).containsExactly("n".repeat(64));
    }

    @Test
    void theServiceRefusesWhatTheCmdletsRefuseForCallersThatBypassThem() {
        // RuleParameters: "the service validates a rule with it (so REST, shell and scripts share one check)"
        List<RuleService.RuleInput> bad = List.of(
                new RuleService.RuleInput("Location", null, null, null, null, null, false, false, null, "Sender", null, null,
                        with("From", List.of("x@partner.example"))),
                RuleService.RuleInput.named("Scl", Map.of("SetSCL", 42)),
                RuleService.RuleInput.named("Scope", with("FromScope", "Everywhere")),
                RuleService.RuleInput.named("Importance", with("WithImportance", "Urgent")));
        RuleEngine engine = new RuleEngine(store);
        for (RuleService.RuleInput in : bad) {
            try {
                rules.create(contoso, in);
            } catch (ValidationException refused) {
                continue;
            }
            // today: saved, and listed as an enabled rule...
            assertThat(rules.get(contoso, in.name()).enabled()).isTrue();
            // ...which must then at least be one the engine runs
            assertThat(engine.rules(contoso)).as(in.name() + " was saved but isn't enforced").extracting(CompiledRule::name).contains(in.name());
            throw new AssertionError(in.name() + " was saved with a value the cmdlets refuse: " + in);
        }
    }

    // --- priorities -------------------------------------------------------------------------------------------------

    @Test
    void aNewRuleTakesAnyPriorityFromZeroToNAndPushesTheRestDown() {
        create("A", null);
        create("B", null);
        create("C", 1);
        create("D", 3); // N: the end
        create("E", 0);
        assertThat(names()).containsExactly("E", "A", "C", "B", "D");
        assertContiguous(contoso);
        assertThatThrownBy(() -> create("F", 6)).isInstanceOf(ValidationException.class).hasMessage("-Priority 6: the value must be between 0 and 5");
        assertThat(names()).hasSize(5);
    }

    @Test
    void movingARuleShiftsOnlyTheRulesInBetween() {
        for (String n : List.of("A", "B", "C", "D", "E")) create(n, null);
        rules.set(contoso, "D", RuleService.RuleInput.named(null, Map.of()).withPriority(1));
        assertThat(names()).containsExactly("A", "D", "B", "C", "E");
        rules.set(contoso, "A", RuleService.RuleInput.named(null, Map.of()).withPriority(3));
        assertThat(names()).containsExactly("D", "B", "C", "A", "E");
        rules.set(contoso, "E", RuleService.RuleInput.named(null, Map.of()).withPriority(4)); // where it is
        assertThat(names()).containsExactly("D", "B", "C", "A", "E");
        assertThatThrownBy(() -> rules.set(contoso, "E", RuleService.RuleInput.named(null, Map.of()).withPriority(5)))
                .isInstanceOf(ValidationException.class).hasMessage("-Priority 5: the value must be between 0 and 4");
        assertContiguous(contoso);
    }

    @Test
    void anyMixOfCreatesMovesAndRemovesKeepsPrioritiesZeroToNMinusOne() {
        Random random = new Random(20260301);
        List<String> model = new ArrayList<>();
        for (int step = 0; step < 40; step++) {
            int op = model.size() < 3 ? 0 : random.nextInt(3);
            if (op == 0) {
                String name = "R" + step;
                Integer p = random.nextBoolean() ? null : random.nextInt(model.size() + 1);
                create(name, p);
                model.add(p == null ? model.size() : p, name);
            } else if (op == 1) {
                String name = model.get(random.nextInt(model.size()));
                int to = random.nextInt(model.size());
                rules.set(contoso, name, RuleService.RuleInput.named(null, Map.of()).withPriority(to));
                model.remove(name);
                model.add(to, name);
            } else {
                String name = model.remove(random.nextInt(model.size()));
                rules.remove(contoso, name);
            }
            assertThat(names()).as("after step " + step).containsExactlyElementsOf(model);
            assertContiguous(contoso);
        }
    }

    @Test
    void prioritiesAreCountedPerTenant() {
        create("A", null);
        create("B", null);
        TransportRule other = rules.create(fabrikam, RuleService.RuleInput.named("X", tag("X")).withPriority(0));
        assertThat(other.priority()).isZero();
        rules.remove(fabrikam, "X");
        assertThat(names()).containsExactly("A", "B");
        assertContiguous(contoso);
    }

    @Test
    void theOrganizationCanHaveAtMost300Rules() {
        for (int i = 0; i < RuleService.MAX_RULES; i++) create("R" + i, null);
        assertThatThrownBy(() -> create("One too many", 0)).isInstanceOf(ValidationException.class)
                .hasMessage("The organization already has 300 transport rules, the maximum");
        assertThat(rules.list(contoso)).hasSize(300).first().extracting(TransportRule::name).isEqualTo("R0");
        // the limit is per organization
        rules.create(fabrikam, RuleService.RuleInput.named("X", tag("X")));
        // and a removed rule frees a place
        rules.remove(contoso, "R10");
        assertThat(create("Again", 0).priority()).isZero();
    }

    // --- names and identity --------------------------------------------------------------------------------------------

    @Test
    void namesAreUniquePerOrganizationIgnoringCase() {
        create("Block Scanner", null);
        assertThatThrownBy(() -> create("BLOCK scanner", null)).isInstanceOf(ValidationException.class)
                .hasMessage("A transport rule with the name 'BLOCK scanner' already exists");
        create("Other", null);
        assertThatThrownBy(() -> rules.set(contoso, "Other", RuleService.RuleInput.named("block scanner", Map.of())))
                .isInstanceOf(ValidationException.class).hasMessage("A transport rule with the name 'block scanner' already exists");
        // a rule may change the case of its own name
        rules.set(contoso, "Other", RuleService.RuleInput.named("OTHER", Map.of()));
        assertThat(names()).containsExactly("Block Scanner", "OTHER");
        rules.create(fabrikam, RuleService.RuleInput.named("Block Scanner", tag("X")));
    }

    @Test
    void aRuleIsFoundByNameInAnyCaseOrByGuidOnlyInItsOwnOrganization() {
        TransportRule r = create("Hold External", null);
        assertThat(rules.get(contoso, "hold external").guid()).isEqualTo(r.guid());
        assertThat(rules.get(contoso, r.guid().toUpperCase()).name()).isEqualTo("Hold External");
        assertThatThrownBy(() -> rules.get(fabrikam, r.guid())).isInstanceOf(NotFoundException.class)
                .hasMessage("The operation couldn't be performed because object '" + r.guid() + "' couldn't be found.");
        assertThatThrownBy(() -> rules.set(fabrikam, "Hold External", RuleService.RuleInput.named("x", Map.of()))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rules.setEnabled(fabrikam, r.guid(), false)).isInstanceOf(NotFoundException.class);
        assertThat(rules.get(contoso, r.guid()).enabled()).isTrue();
    }

    // --- what is stored ---------------------------------------------------------------------------------------------------

    @Test
    void aNewRuleGetsExchangesDefaults() {
        TransportRule r = create("A", null);
        assertThat(r.mode()).isEqualTo(RuleMode.Enforce);
        assertThat(r.enabled()).isTrue();
        assertThat(r.stopRuleProcessing()).isFalse();
        assertThat(r.senderAddressLocation()).isEqualTo("Header");
        assertThat(r.ruleErrorAction()).isEqualTo(RuleErrorAction.Ignore);
        assertThat(r.activationDate()).isNull();
        assertThat(r.expiryDate()).isNull();
        assertThat(r.guid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void setChangesOnlyWhatItIsGivenAndClearsWhatIsSetToNothing() {
        Instant from = Instant.now().truncatedTo(ChronoUnit.MILLIS).plus(Duration.ofDays(1));
        Instant to = from.plus(Duration.ofDays(30));
        rules.create(contoso, new RuleService.RuleInput("R", null, RuleMode.Audit, null, from, to, false, false, true, "Envelope", "why",
                RuleErrorAction.Defer, Map.of("SubjectContainsWords", List.of("invoice"), "PrependSubject", "[I] ", "Quarantine", true)));
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("SubjectContainsWords", List.of());  // cleared
        change.put("Quarantine", false);                // cleared
        change.put("PrependSubject", null);             // cleared
        change.put("SetSCL", 6);                        // added
        change.put("SentTo", List.of("Bob"));           // added, resolved
        rules.set(contoso, "R", new RuleService.RuleInput(null, null, null, null, null, null, false, true, null, null, null, null, change));
        TransportRule r = rules.get(contoso, "R");
        assertThat(r.parameters()).containsOnlyKeys("SetSCL", "SentTo").containsEntry("SentTo", List.of("bob@contoso.com"));
        assertThat(r.mode()).isEqualTo(RuleMode.Audit);
        assertThat(r.activationDate()).isEqualTo(from);
        assertThat(r.expiryDate()).isNull();
        assertThat(r.stopRuleProcessing()).isTrue();
        assertThat(r.senderAddressLocation()).isEqualTo("Envelope");
        assertThat(r.comments()).isEqualTo("why");
        assertThat(r.ruleErrorAction()).isEqualTo(RuleErrorAction.Defer);
        rules.set(contoso, "R", new RuleService.RuleInput(null, null, RuleMode.Enforce, null, null, null, true, false, false, "Header", null,
                RuleErrorAction.Ignore, Map.of()));
        TransportRule back = rules.get(contoso, "R");
        assertThat(back.mode()).isEqualTo(RuleMode.Enforce);
        assertThat(back.activationDate()).isNull();
        assertThat(back.stopRuleProcessing()).isFalse();
        assertThat(back.ruleErrorAction()).isEqualTo(RuleErrorAction.Ignore);
        assertThat(back.whenChanged()).isAfterOrEqualTo(r.whenChanged());
    }

    @Test
    void aRefusedSetChangesNothingNotEvenThePriority() {
        create("A", null);
        create("B", null);
        TransportRule before = rules.get(contoso, "B");
        Map<String, Object> removeOnlyAction = new LinkedHashMap<>();
        removeOnlyAction.put("SetHeaderName", null);
        removeOnlyAction.put("SetHeaderValue", null);
        assertThatThrownBy(() -> rules.set(contoso, "B", RuleService.RuleInput.named("Renamed", removeOnlyAction).withPriority(0)))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("A transport rule needs at least one action");
        assertThatThrownBy(() -> rules.set(contoso, "B", RuleService.RuleInput.named(null, Map.of("SetHeaderName", "X Y"))))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("-SetHeaderName 'X Y'");
        assertThat(rules.get(contoso, "B")).isEqualTo(before);
        assertThat(names()).containsExactly("A", "B");
    }

    @Test
    void enableAndDisableKeepTheRuleAndItsPlace() {
        create("A", null);
        create("B", null);
        rules.setEnabled(contoso, "A", false);
        assertThat(rules.list(contoso)).extracting(TransportRule::name, TransportRule::enabled, TransportRule::priority)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("A", false, 0), org.assertj.core.groups.Tuple.tuple("B", true, 1));
        rules.setEnabled(contoso, "a", true);
        assertThat(rules.get(contoso, "A").enabled()).isTrue();
        assertThat(rules.create(contoso, new RuleService.RuleInput("Off", null, null, false, null, null, false, false, null, null, null, null,
                tag("Off"))).enabled()).isFalse();
    }

    // --- recipients ---------------------------------------------------------------------------------------------------------

    @Test
    void conditionRecipientsAreResolvedToEveryAddressOfTheMailboxAndKeptOtherwise() {
        TransportRule r = rules.create(contoso, RuleService.RuleInput.named("R", with(
                "SentTo", List.of("Alice", "X@Partner.Example"), "From", List.of("BOB@contoso.com"),
                "AnyOfToCcHeader", List.of("alice.smith@contoso.com"), "ExceptIfFrom", List.of("someone@unknown.contoso.com"))));
        assertThat(r.parameters()).containsEntry("SentTo", List.of("alice@contoso.com", "alice.smith@contoso.com", "x@partner.example"))
                .containsEntry("From", List.of("bob@contoso.com"))
                .containsEntry("AnyOfToCcHeader", List.of("alice@contoso.com", "alice.smith@contoso.com"))
                .containsEntry("ExceptIfFrom", List.of("someone@unknown.contoso.com"));
        assertThat(refusal(with("SentTo", List.of("Nobody Here")))).isEqualTo("-SentTo 'Nobody Here': it isn't an email address or a recipient of the organization");
    }

    @Test
    void addedAndRedirectRecipientsMustBeRecipientsOfTheOrganization() {
        TransportRule r = rules.create(contoso, RuleService.RuleInput.named("R", Map.of("CopyTo", List.of("alice.smith@contoso.com"),
                "BlindCopyTo", List.of("Bob"), "AddToRecipients", List.of("Archive@Relay.Contoso.net"))));
        assertThat(r.parameters()).containsEntry("CopyTo", List.of("alice@contoso.com")).containsEntry("BlindCopyTo", List.of("bob@contoso.com"))
                .containsEntry("AddToRecipients", List.of("archive@relay.contoso.net"));
        assertThat(refusal(Map.of("RedirectMessageTo", List.of("x@partner.example")))).isEqualTo("-RedirectMessageTo 'x@partner.example': only recipients"
                + " of your organization can be used (a mailbox, or an address in an InternalRelay accepted domain)");
        assertThat(refusal(Map.of("CopyTo", List.of("nobody@contoso.com")))).startsWith("-CopyTo 'nobody@contoso.com': only recipients");
        assertThat(refusal(Map.of("BlindCopyTo", List.of("Carol")))).startsWith("-BlindCopyTo 'Carol': only recipients");
        assertThat(refusal(Map.of("AddToRecipients", List.of("carol@fabrikam.com")))).startsWith("-AddToRecipients 'carol@fabrikam.com'");
    }

    @Test
    void aMailboxsLaterAddressesAreNotFollowedUntilTheRuleIsSavedAgain() {
        rules.create(contoso, RuleService.RuleInput.named("R", with("SentTo", List.of("Bob"))));
        new MailboxService(store).set(contoso, "Bob", null, List.of("SMTP:bob@contoso.com", "smtp:robert@contoso.com"));
        assertThat(rules.get(contoso, "R").parameters()).containsEntry("SentTo", List.of("bob@contoso.com"));
        rules.set(contoso, "R", RuleService.RuleInput.named(null, Map.of("SentTo", List.of("Bob"))));
        assertThat(rules.get(contoso, "R").parameters()).containsEntry("SentTo", List.of("bob@contoso.com", "robert@contoso.com"));
    }

    // --- the engine -------------------------------------------------------------------------------------------------------------

    @Test
    void theEngineFollowsEveryChangeAtOnceInPriorityOrder() {
        RuleEngine engine = new RuleEngine(store, Duration.ofHours(1)); // only this process's changes: no periodic recheck needed
        create("A", null);
        create("B", null);
        create("C", 0);
        assertThat(engine.rules(contoso)).extracting(CompiledRule::name).containsExactly("C", "A", "B");
        List<CompiledRule> before = engine.rules(contoso);
        rules.set(contoso, "B", RuleService.RuleInput.named(null, Map.of("Quarantine", true)).withPriority(0));
        assertThat(engine.rules(contoso)).extracting(CompiledRule::name).containsExactly("B", "C", "A");
        assertThat(engine.rules(contoso).getFirst().actions()).hasAtLeastOneElementOfType(RuleAction.Quarantine.class);
        assertThat(before).extracting(CompiledRule::name).containsExactly("C", "A", "B"); // a snapshot in use doesn't change
        rules.remove(contoso, "C");
        rules.setEnabled(contoso, "A", false);
        assertThat(engine.rules(contoso)).extracting(CompiledRule::name).containsExactly("B");
        rules.set(contoso, "B", new RuleService.RuleInput("B2", null, RuleMode.Audit, null, null, null, false, false, true, null, null, null, Map.of()));
        assertThat(engine.rules(contoso)).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("B2");
            assertThat(c.mode()).isEqualTo(RuleMode.Audit);
            assertThat(c.stop()).isTrue();
        });
        assertThat(engine.rules(fabrikam)).isEmpty();
    }

    @Test
    void theEngineCompilesTheStoredRuleAsSavedAcrossARestart() {
        rules.create(contoso, new RuleService.RuleInput("R", null, null, null, null, null, false, false, null, "HeaderOrEnvelope", null,
                RuleErrorAction.Defer, Map.of("SenderDomainIs", List.of("Partner.Example"), "MessageSizeOver", 1024L, "SCLOver", -1,
                        "SenderIpRanges", List.of("2001:db8::/32"), "Quarantine", true)));
        restart();
        CompiledRule c = new RuleEngine(store).rules(contoso).getFirst();
        assertThat(c.deferOnError()).isTrue();
        assertThat(c.conditions()).containsExactly(
                new Condition.SenderDomainIs(List.of("partner.example"), Condition.Location.HeaderOrEnvelope),
                new Condition.SenderIpRanges(List.of(IpRange.parse("2001:db8::/32"))),
                new Condition.MessageSizeOver(1024), new Condition.SclOver(-1));
        RuleVerdict v = RuleEvaluator.evaluate(List.of(c), contoso, RuleTestKit.facts("From: a@partner.example\nSubject: s\n\n" + "x".repeat(2000) + "\n",
                "", "2001:db8::7"), RuleTestKit.rcpts("bob@contoso.com"), RuleTestKit.ORG, Instant.now(), Deadline.none());
        assertThat(v.outcomes().getFirst().disposition()).isEqualTo(RuleVerdict.Disposition.Quarantine);
    }
}
