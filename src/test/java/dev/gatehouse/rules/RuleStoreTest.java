// RuleService, RuleEngine and the quarantine store on SQLite and PostgreSQL: priorities, scoping, snapshot refresh, purge.
package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.quarantine.QuarantineMessage;
import dev.gatehouse.quarantine.QuarantineService;
import dev.gatehouse.quarantine.QuarantineStore;
import dev.gatehouse.quarantine.QuarantinedCopy;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class RuleStoreTest extends StoreTestBase {

    private long tenant(String name, String domain, String... mailboxes) {
        long t = new TenantService(store).create(name).id();
        new AcceptedDomainService(store).create(t, domain, DomainType.Authoritative, false);
        for (String m : mailboxes) new MailboxService(store).create(t, m, m + "@" + domain, null);
        return t;
    }

    private static RuleService.RuleInput rule(String name, Integer priority) {
        return RuleService.RuleInput.named(name, Map.of("SetHeaderName", "X-" + name, "SetHeaderValue", "1")).withPriority(priority);
    }

    @Test
    void prioritiesShiftAndRulesAreScopedToTheirTenant() {
        long a = tenant("Contoso", "contoso.com", "alice");
        long b = tenant("Fabrikam", "fabrikam.com", "carol");
        RuleService s = new RuleService(store);
        s.create(a, rule("A", null));
        s.create(a, rule("B", null));
        s.create(a, rule("C", null));
        s.create(a, rule("D", 0));
        s.create(a, rule("E", null));
        s.create(b, rule("A", null)); // names are per tenant
        assertThat(s.list(a)).extracting(TransportRule::name).containsExactly("D", "A", "B", "C", "E");
        assertThat(s.list(a)).extracting(TransportRule::priority).containsExactly(0, 1, 2, 3, 4);
        assertThat(s.list(b)).extracting(TransportRule::priority).containsExactly(0);
        assertThatThrownBy(() -> s.get(b, "D")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> s.remove(b, s.get(a, "D").guid())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> s.create(a, rule("F", 6))).isInstanceOf(ValidationException.class);
        // recipients are resolved within the tenant only
        assertThatThrownBy(() -> s.create(a, RuleService.RuleInput.named("R", Map.of("RedirectMessageTo", List.of("carol")))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("RedirectMessageTo");
        assertThat(s.create(a, RuleService.RuleInput.named("S", Map.of("SentTo", List.of("Alice"), "Quarantine", true))).parameters())
                .containsEntry("SentTo", List.of("alice@contoso.com"));
    }

    @Test
    void theEngineSeesLocalChangesAtOnceAndAnotherNodesChangesThroughConfigVersion() {
        long a = tenant("Contoso", "contoso.com");
        RuleEngine engine = new RuleEngine(store, Duration.ofMillis(50));
        assertThat(engine.rules(a)).isEmpty();
        new RuleService(store).create(a, rule("A", null));
        assertThat(engine.rules(a)).extracting(CompiledRule::name).containsExactly("A");
        new RuleService(store).setEnabled(a, "A", false);
        assertThat(engine.rules(a)).isEmpty();
        if (kind == TestDatabase.Kind.POSTGRES) {
            try (Store other = db.open()) { // a second node on the same database
                new RuleService(other).create(a, rule("B", 0));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> engine.rules(a).stream().map(CompiledRule::name).toList().equals(List.of("B")));
        }
    }

    @Test
    void quarantinedCopiesAreStoredWithTheMessageAndPurgedWhenExpired() throws Exception {
        long a = tenant("Contoso", "contoso.com", "bob");
        long b = tenant("Fabrikam", "fabrikam.com", "carol");
        Instant received = Instant.now();
        byte[] content = "Subject: held\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        String nmid = java.util.UUID.randomUUID().toString();
        var copy = new QuarantinedCopy(a, nmid, "bob@contoso.com", null, "x@evil.example", "held", "<m@x>", received, "R0", null, content);
        try (MessageQueue q = new MessageQueue(store)) {
            q.enqueue(new IncomingMessage(nmid, received, "x@evil.example", "203.0.113.50", "h", null, null, "<m@x>", "held", "x@evil.example",
                    content, content.length, List.of(new QueuedRecipient(a, "bob@contoso.com", null).withVerdict("bob@contoso.com", null, dev.gatehouse.queue.RecipientStatus.Quarantined, "held", null)), List.of(), List.of(),
                    (ctx, messageRow, rows) -> QuarantineStore.insert(ctx, messageRow, copy))).get();
        }
        QuarantineService s = new QuarantineService(store);
        List<QuarantineMessage> list = s.list(a, QuarantineService.Filter.all());
        assertThat(list).singleElement().satisfies(m -> {
            assertThat(m.Identity()).startsWith(nmid + "\\");
            assertThat(m.Expires()).isEqualTo(Instant.ofEpochMilli(received.toEpochMilli()).plus(Duration.ofDays(30)));
        });
        assertThat(s.list(b, QuarantineService.Filter.all())).isEmpty();
        assertThatThrownBy(() -> s.get(b, list.getFirst().Identity())).isInstanceOf(NotFoundException.class);
        assertThat(s.purgeExpired(received.plus(Duration.ofDays(31)))).isEqualTo(1);
        assertThat(s.list(a, QuarantineService.Filter.all())).isEmpty();
        assertThat(s.audit(a)).extracting(QuarantineService.AuditRecord::Action).containsExactly("Purge");
    }
}
