// What the stages decide is what gets committed and delivered: Accepting through the real queue and ledger on both stores.
package dev.gatehouse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.Message;
import dev.gatehouse.queue.ClaimedRecipient;
import dev.gatehouse.queue.DeliveryLedger;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.MessageTrace;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.queue.TraceLog;
import dev.gatehouse.queue.TraceRecipient;
import dev.gatehouse.smtp.SmtpReply;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class AcceptingCommitTest extends StoreTestBase {

    private static final String STAMP_1 = "X-MS-Exchange-CrossTenant-Id: tenant-one\r\n";
    private static final String STAMP_2 = "X-MS-Exchange-CrossTenant-Id: tenant-two\r\n";

    private final String nmid = UUID.randomUUID().toString();
    private final Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private Accepting accepting() throws Exception {
        Message received = Message.parse(("From: Sender <sender@example.org>\r\nSubject: quarterly report\r\nMessage-ID: <q4@example.org>\r\n"
                + "\r\nnumbers\r\n").getBytes(StandardCharsets.US_ASCII));
        Accepting m = new Accepting(nmid, at, new Accepting.Client("s1", InetAddress.getByName("203.0.113.9"), "mail.example.org", true,
                "TLSv1.3", "TLS_AES_128_GCM_SHA256"), "sender@example.org", List.of(), received);
        m.stored(received.prepend(List.of(HeaderField.of("Received", "from mail.example.org by mx.gatehouse.test"),
                HeaderField.of("X-MS-Exchange-Organization-Network-Message-Id", nmid))));
        return m;
    }

    private static QueuedRecipient row(long tenant, String address, String stamp) {
        return new QueuedRecipient(tenant, address, null, RecipientStatus.Pending, "", Directionality.Incoming, AuthAs.Anonymous, false, stamp);
    }

    @Test
    void eachDeliveredRecipientReceivesExactlyTheCopyTheStagesBuiltForIt() throws Exception {
        Accepting m = accepting();
        int v = m.addVariant(("Received: from mail.example.org by mx.gatehouse.test\r\nSubject: [EXTERNAL] quarterly report\r\n\r\nnumbers\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        QueuedRecipient alice = row(1, "alice@contoso.com", STAMP_1);
        QueuedRecipient carol = row(2, "carol@fabrikam.com", STAMP_2).withVerdict("carol@fabrikam.com", null, RecipientStatus.Pending, null, v);
        QueuedRecipient bob = row(1, "bob@contoso.com", STAMP_1).withStatus(RecipientStatus.Quarantined, "Quarantined by rule 'Hold'");
        m.recipients(List.of(new Accepting.Recipient(alice, Verdict.DELIVER), new Accepting.Recipient(carol, Verdict.DELIVER),
                new Accepting.Recipient(bob, new Verdict.Quarantine("Hold", "g-1"))));
        m.event(1, "bob@contoso.com", TraceEventType.Quarantine, "Quarantined by rule 'Hold'");
        m.hook((ctx, messageRow, recipientRows) -> TraceLog.append(ctx, new MessageTraceEvent(1, nmid, "bob@contoso.com",
                TraceEventType.Notification, "copies=" + recipientRows.size(), at)));
        new MessageQueue(store).enqueue(m.toIncoming()).join();

        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        Map<String, ClaimedRecipient> claimed = ledger.claim(10, 60_000).stream()
                .collect(Collectors.toMap(ClaimedRecipient::address, Function.identity()));
        assertThat(claimed).as("the quarantined copy is not delivered").containsOnlyKeys("alice@contoso.com", "carol@fabrikam.com");
        assertThat(ledger.target(claimed.get("alice@contoso.com")).content()).isEqualTo(m.deliveredCopy(alice));
        assertThat(ledger.target(claimed.get("carol@fabrikam.com")).content()).isEqualTo(m.deliveredCopy(carol));
        assertThat(new String(m.deliveredCopy(carol), StandardCharsets.US_ASCII)).contains("tenant-two", "[EXTERNAL]").doesNotContain("tenant-one");

        MessageTrace trace = new MessageTrace(store);
        assertThat(trace.events(1, nmid)).extracting(MessageTraceEvent::recipient, MessageTraceEvent::event).containsExactly(
                tuple("alice@contoso.com", TraceEventType.Receive), tuple("bob@contoso.com", TraceEventType.Receive),
                tuple("bob@contoso.com", TraceEventType.Quarantine), tuple("bob@contoso.com", TraceEventType.Notification));
        assertThat(trace.events(1, nmid).getLast().detail()).isEqualTo("copies=3");
        assertThat(trace.events(2, nmid)).extracting(MessageTraceEvent::event).containsExactly(TraceEventType.Receive);
        assertThat(trace.recipients(1, nmid)).extracting(TraceRecipient::recipient, TraceRecipient::status, TraceRecipient::lastError)
                .containsExactlyInAnyOrder(tuple("alice@contoso.com", "Pending", null),
                        tuple("bob@contoso.com", "Quarantined", "Quarantined by rule 'Hold'"));
    }

    record Envelope(String mailFrom, String clientIp, String helo, String tls, String subject, String messageId, String from, long size,
                    int bytes) {}

    private Envelope envelope() {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT mail_from, client_ip, helo, tls_protocol, subject, internet_message_id,"
                    + " header_from, size, content FROM messages WHERE network_message_id = ?")) {
                ps.setString(1, nmid);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    return new Envelope(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), rs.getLong(8), rs.getBytes(9).length);
                }
            }
        });
    }

    @Test
    void theEnvelopeForTraceAndReportsIsTheArrivalsFacts() throws Exception {
        Accepting m = accepting();
        m.recipients(List.of(new Accepting.Recipient(row(1, "alice@contoso.com", null), Verdict.DELIVER)));
        new MessageQueue(store).enqueue(m.toIncoming()).join();
        assertThat(envelope()).isEqualTo(new Envelope("sender@example.org", "203.0.113.9", "mail.example.org", "TLSv1.3", "quarterly report",
                "<q4@example.org>", "Sender <sender@example.org>", m.stored().size(), m.stored().size()));
    }

    @Test
    void aRefusedMessageIsKeptAsATraceRecordThatNoAgentDelivers() throws Exception {
        Accepting m = accepting();
        m.recipients(List.of(new Accepting.Recipient(row(1, "alice@contoso.com", STAMP_1), new Verdict.Reject("5.7.1", "Go away", "Block", "g")),
                new Accepting.Recipient(row(1, "bob@contoso.com", STAMP_1), new Verdict.Reject("5.7.1", "Go away", "Block", "g"))));
        m.event(1, "alice@contoso.com", TraceEventType.TransportRule, "Transport rule: 'Block'");
        new MessageQueue(store).enqueue(m.toRecord(new Refusal(SmtpReply.of(550, "5.7.1", "Go away"), RefusalReason.TRANSPORT_RULE, true)))
                .join();

        assertThat(new DeliveryLedger(store, "node-1").claim(10, 60_000)).isEmpty();
        assertThat(new DeliveryLedger(store, "node-1", RecipientStatus.AwaitingRelay).claim(10, 60_000)).isEmpty();
        assertThat(new MessageQueue(store).pendingRecipients()).isZero();
        Envelope e = envelope();
        assertThat(e.bytes()).as("no content kept").isZero();
        assertThat(e.size()).as("the size as received, for trace").isEqualTo(m.stored().size());
        assertThat(new MessageTrace(store).recipients(1, nmid)).extracting(TraceRecipient::status, TraceRecipient::lastError)
                .containsOnly(tuple("Failed", "550 5.7.1 Go away"));
        assertThat(new MessageTrace(store).events(1, nmid)).extracting(MessageTraceEvent::event).containsExactly(TraceEventType.Receive,
                TraceEventType.Receive, TraceEventType.TransportRule, TraceEventType.Fail, TraceEventType.Fail);
    }

    @Test
    void anExtraWriteThatFailsLeavesNothingOfTheMessage() throws Exception {
        Accepting m = accepting();
        m.recipients(List.of(new Accepting.Recipient(row(1, "alice@contoso.com", null), Verdict.DELIVER)));
        m.event(1, "alice@contoso.com", TraceEventType.RuleAction, "tagged");
        m.hook((ctx, row, rows) -> TraceLog.append(ctx, new MessageTraceEvent(1, nmid, "alice@contoso.com", TraceEventType.Quarantine,
                "first hook", at)));
        m.hook((ctx, row, rows) -> { throw new SQLException("disk full while writing the quarantine copy"); });
        assertThatThrownBy(() -> new MessageQueue(store).enqueue(m.toIncoming()).join())
                .hasRootCauseMessage("disk full while writing the quarantine copy");
        assertThat(new MessageTrace(store).events(1, nmid)).isEmpty();
        assertThat(new MessageTrace(store).recipients(1, nmid)).isEmpty();
        assertThat(new DeliveryLedger(store, "node-1").claim(10, 60_000)).isEmpty();
    }
}
