// What the hunting feed reads: each accept's copy with the events written with it, per tenant and recipient, whatever
// the batch size; other events as their id and time only.
package dev.gatehouse.queue;

import static dev.gatehouse.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class EventFeedTest extends StoreTestBase {
    private static final long CONTOSO = 1;
    private static final long FABRIKAM = 2;

    @Test
    void eachCopyComesWithItsOwnAcceptEventsAndOtherEventsWithTheirTimeOnly() {
        Instant received = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        Instant later = received.plusSeconds(30);
        IncomingMessage shared = message(received, List.of(new QueuedRecipient(CONTOSO, "a@contoso.com", 10L),
                new QueuedRecipient(CONTOSO, "b@contoso.com", null), new QueuedRecipient(FABRIKAM, "c@fabrikam.com", 20L)));
        IncomingMessage plain = message(received.plusMillis(1), List.of(new QueuedRecipient(CONTOSO, "d@contoso.com", null)));
        String id = shared.networkMessageId();
        store.writeAndWait(ctx -> {
            MessageQueue.write(ctx, shared);
            // written with the accept: a rule action for one copy (the address in another case), a whole-message event,
            // another tenant's quarantine; a deferral is never an accept-time event, even at the receive time
            TraceLog.append(ctx, new MessageTraceEvent(CONTOSO, id, "A@Contoso.com", TraceEventType.RuleAction, "action=SetHeader", received));
            TraceLog.append(ctx, new MessageTraceEvent(CONTOSO, id, null, TraceEventType.TransportRule, "rule=r1", received));
            TraceLog.append(ctx, new MessageTraceEvent(FABRIKAM, id, "c@fabrikam.com", TraceEventType.Quarantine, "q", received));
            TraceLog.append(ctx, new MessageTraceEvent(CONTOSO, id, "a@contoso.com", TraceEventType.Defer, "busy", received));
            MessageQueue.write(ctx, plain);
            return null;
        });
        store.writeAndWait(ctx -> {
            TraceLog.append(ctx, new MessageTraceEvent(CONTOSO, plain.networkMessageId(), "d@contoso.com", TraceEventType.Deliver, "ok", later));
            TraceLog.append(ctx, new MessageTraceEvent(FABRIKAM, id, "c@fabrikam.com", TraceEventType.Release, "by admin", later));
            return null;
        });

        EventFeed feed = new EventFeed(store);
        List<EventFeed.Entry> all = feed.after(0, 1000);
        assertThat(all).hasSize(10);
        assertThat(all).filteredOn(e -> e.copy() != null && e.copy().event() == TraceEventType.Receive)
                .extracting(e -> e.copy().copy().recipient(), EventFeed.Entry::tenantId, EventFeed.Entry::mailboxId, EventFeed.Entry::firstCopy,
                        e -> e.acceptEvents().stream().map(MessageTraceEvent::event).toList())
                .containsExactly(
                        tuple("a@contoso.com", CONTOSO, 10L, true, List.of(TraceEventType.RuleAction, TraceEventType.TransportRule)),
                        tuple("b@contoso.com", CONTOSO, null, false, List.of(TraceEventType.TransportRule)),
                        tuple("c@fabrikam.com", FABRIKAM, 20L, true, List.of(TraceEventType.Quarantine)),
                        tuple("d@contoso.com", CONTOSO, null, true, List.of()));
        // a release comes with its copy; the rest carry no copy, only the time the feed's gap check reads
        EventFeed.Entry release = all.getLast();
        assertThat(release.copy().event()).isEqualTo(TraceEventType.Release);
        assertThat(release.copy().copy().recipient()).isEqualTo("c@fabrikam.com");
        assertThat(release.at()).isEqualTo(later);
        assertThat(all).filteredOn(e -> e.copy() == null).extracting(EventFeed.Entry::at)
                .containsExactly(received, received, received, received, later);

        // a batch that cuts a message's events off still gives each copy all of its accept events; so does a re-read by id
        List<EventFeed.Entry> inTwos = new ArrayList<>();
        for (List<EventFeed.Entry> b = feed.after(0, 2); !b.isEmpty(); b = feed.after(b.getLast().id(), 2)) inTwos.addAll(b);
        assertThat(inTwos).isEqualTo(all);
        assertThat(feed.byIds(all.stream().map(EventFeed.Entry::id).toList())).isEqualTo(all);
    }
}
