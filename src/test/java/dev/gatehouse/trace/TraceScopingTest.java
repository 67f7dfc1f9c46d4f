// A message with recipients of two tenants: each tenant's trace shows only its own recipient.
package dev.gatehouse.trace;

import dev.gatehouse.delivery.DeliverySettings;
import dev.gatehouse.delivery.DeliveryWorker;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.TraceRecipient;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static dev.gatehouse.queue.TestMessages.count;
import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class TraceScopingTest extends StoreTestBase {

    @Test
    void eachTenantSeesOnlyItsOwnRecipientsOfAMultiTenantMessage() {
        TenantService tenants = new TenantService(store);
        long a = tenants.create("Contoso").id();
        long b = tenants.create("Fabrikam").id();
        new AcceptedDomainService(store).create(a, "contoso.com", DomainType.InternalRelay, false);
        new AcceptedDomainService(store).create(b, "fabrikam.com", DomainType.InternalRelay, false);
        IncomingMessage m = message(List.of(new QueuedRecipient(a, "x@contoso.com", null), new QueuedRecipient(b, "y@fabrikam.com", null)));
        new MessageQueue(store).enqueue(m).join();
        try (DeliveryWorker worker = new DeliveryWorker(store, db.dir().resolve("mail"),
                DeliverySettings.defaults().withPollInterval(Duration.ofMillis(20)))) {
            worker.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> count(store, "SELECT COUNT(*) FROM recipients WHERE status = 'Delivered'") == 2);
        }
        TraceService trace = new TraceService(store);
        assertThat(trace.events(a, m.networkMessageId())).extracting(MessageTraceEvent::recipient).containsOnly("x@contoso.com").hasSize(2);
        assertThat(trace.events(b, m.networkMessageId())).extracting(MessageTraceEvent::recipient).containsOnly("y@fabrikam.com").hasSize(2);
        assertThat(trace.recipients(a, m.networkMessageId())).extracting(TraceRecipient::recipient).containsExactly("x@contoso.com");
        assertThat(trace.recipients(b, m.networkMessageId())).singleElement().satisfies(r -> {
            assertThat(r.recipient()).isEqualTo("y@fabrikam.com");
            assertThat(r.status()).isEqualTo("Delivered");
        });
        assertThat(trace.recentRecipients(b, 10)).extracting(TraceRecipient::tenantId).containsOnly(b);
        assertThat(trace.events(999, m.networkMessageId())).isEmpty();
    }
}
