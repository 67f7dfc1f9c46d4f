package dev.gatehouse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.queue.EnqueueHook;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.smtp.SmtpReply;

/** The state of one message on the accept path, without sockets or a store. */
class AcceptingTest {

    private static final String NMID = "01937a2e-0000-7000-8000-000000000001";
    private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");
    private static final String STAMP = "X-MS-Exchange-Organization-AuthAs: Anonymous\r\nX-MS-Exchange-CrossTenant-Id: t1\r\n";

    private static Accepting accepting(String content) throws Exception {
        return new Accepting(NMID, AT, new Accepting.Client("s1", InetAddress.getByName("203.0.113.50"), "client.example", true,
                "TLSv1.3", "TLS_AES_256_GCM_SHA384"), "sender@example.org", List.of(),
                Message.parse(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static Message stored(Message received) {
        return received.prepend(List.of(HeaderField.of("Received", "from client.example by mx"),
                HeaderField.of("X-MS-Exchange-Organization-Network-Message-Id", NMID)));
    }

    private static QueuedRecipient row(long tenant, String address) {
        return new QueuedRecipient(tenant, address, null, RecipientStatus.Pending, "", Directionality.Incoming, AuthAs.Anonymous, false, STAMP);
    }

    @Test
    void traceFactsAreReadFromTheReceivedMessageDecodedAndOnOneLine() throws Exception {
        Accepting m = accepting("Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nMessage-ID: <a@b>\r\nFrom: =?utf-8?q?J=C3=B6rg?= <j@example.org>\r\n\r\nx\r\n");
        assertThat(m.subject()).isEqualTo("Grüße");
        assertThat(m.internetMessageId()).isEqualTo("<a@b>");
        assertThat(m.headerFrom()).isEqualTo("Jörg <j@example.org>");
        Accepting none = accepting("\r\nno header at all\r\n");
        assertThat(none.subject()).isEmpty();
        assertThat(none.internetMessageId()).isNull();
        assertThat(none.headerFrom()).isNull();
    }

    @Test
    void theTenantViewIsTheStoredMessageWithTheStampBelowTheTraceFieldsAndIsWhatIsDelivered() throws Exception {
        Accepting m = accepting("Subject: s\r\n\r\nbody\r\n");
        m.stored(stored(m.received()));
        Message view = m.tenantView(STAMP);
        assertThat(view.fields()).extracting(HeaderField::name).containsExactly("Received",
                "X-MS-Exchange-Organization-Network-Message-Id", "X-MS-Exchange-Organization-AuthAs", "X-MS-Exchange-CrossTenant-Id", "Subject");
        assertThat(m.tenantView(STAMP)).isSameAs(view);
        assertThat(m.tenantView(null)).isSameAs(m.stored());
        assertThat(m.deliveredCopy(row(1, "a@contoso.com"))).isEqualTo(view.bytes());
    }

    @Test
    void aRecipientWithAVariantReceivesTheVariantWithItsStamp() throws Exception {
        Accepting m = accepting("Subject: s\r\n\r\nbody\r\n");
        m.stored(stored(m.received()));
        int v = m.addVariant("Received: x\r\nSubject: [EXT] s\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        QueuedRecipient r = row(1, "a@contoso.com").withVerdict("a@contoso.com", null, RecipientStatus.Pending, null, v);
        assertThat(new String(m.deliveredCopy(r), StandardCharsets.US_ASCII))
                .isEqualTo("Received: x\r\n" + STAMP + "Subject: [EXT] s\r\n\r\nbody\r\n");
    }

    @Test
    void whatTheQueueCommitsCarriesTheStoredBytesRecipientsVariantsEventsAndEveryHookInOrder() throws Exception {
        Accepting m = accepting("Subject: s\r\nMessage-ID: <id@x>\r\n\r\nbody\r\n");
        m.stored(stored(m.received()));
        m.recipients(List.of(new Accepting.Recipient(row(1, "a@contoso.com"), Verdict.DELIVER),
                new Accepting.Recipient(row(2, "b@fabrikam.com").withStatus(RecipientStatus.Quarantined, "held"), new Verdict.Quarantine("R", "g"))));
        m.addVariant(new byte[] {1});
        m.event(1, "a@contoso.com", TraceEventType.TransportRule, "matched");
        StringBuilder order = new StringBuilder();
        m.hook((ctx, id, rows) -> order.append("first,"));
        m.hook((ctx, id, rows) -> order.append("second"));
        IncomingMessage in = m.toIncoming();
        assertThat(in.content()).isEqualTo(m.stored().bytes());
        assertThat(in.size()).isEqualTo(m.stored().size());
        assertThat(in.networkMessageId()).isEqualTo(NMID);
        assertThat(in.clientIp()).isEqualTo("203.0.113.50");
        assertThat(in.tlsProtocol()).isEqualTo("TLSv1.3");
        assertThat(in.internetMessageId()).isEqualTo("<id@x>");
        assertThat(in.recipients()).extracting(QueuedRecipient::status).containsExactly(RecipientStatus.Pending, RecipientStatus.Quarantined);
        assertThat(in.variants()).hasSize(1);
        assertThat(in.events()).extracting(MessageTraceEvent::event).containsExactly(TraceEventType.TransportRule);
        in.hook().written(null, 1, List.of());
        assertThat(order).hasToString("first,second");
    }

    @Test
    void withoutHooksNothingExtraIsWritten() throws Exception {
        Accepting m = accepting("Subject: s\r\n\r\nbody\r\n");
        m.recipients(List.of(new Accepting.Recipient(row(1, "a@contoso.com"), Verdict.DELIVER)));
        assertThat(m.toIncoming().hook()).isSameAs(EnqueueHook.NONE);
    }

    @Test
    void theTraceRecordOfARefusedMessageIsEveryRecipientFailedWithTheReplyAndTheRuleNamedWithoutContent() throws Exception {
        Accepting m = accepting("Subject: s\r\n\r\nbody\r\n");
        m.stored(stored(m.received()));
        m.recipients(List.of(new Accepting.Recipient(row(1, "a@contoso.com"), new Verdict.Reject("5.7.1", "Blocked", "Block all", "g1")),
                new Accepting.Recipient(row(1, "b@contoso.com"), new Verdict.Reject("5.7.1", "Blocked", "Block all", "g1"))));
        m.addVariant(new byte[] {1, 2, 3});
        m.event(1, "a@contoso.com", TraceEventType.TransportRule, "Transport rule: 'Block all'");
        m.hook((ctx, id, rows) -> { throw new AssertionError("a refused message writes no extra rows"); });
        IncomingMessage record = m.toRecord(new Refusal(SmtpReply.of(550, "5.7.1", "Blocked"), RefusalReason.TRANSPORT_RULE, true));
        assertThat(record.content()).isEmpty();
        assertThat(record.size()).isEqualTo(m.stored().size());
        assertThat(record.variants()).isEmpty();
        assertThat(record.hook()).isSameAs(EnqueueHook.NONE);
        assertThat(record.recipients()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(RecipientStatus.Failed);
            assertThat(r.lastError()).isEqualTo("550 5.7.1 Blocked");
            assertThat(r.variant()).isNull();
        });
        assertThat(record.events()).extracting(MessageTraceEvent::event)
                .containsExactly(TraceEventType.TransportRule, TraceEventType.Fail, TraceEventType.Fail);
        assertThat(record.events().get(1).detail()).isEqualTo("Refused at end of data: 550 5.7.1 Blocked (transport rule 'Block all')");
    }

    @Test
    void refusalReasonsHaveStableLabels() {
        assertThat(RefusalReason.RELAY_DENIED.label()).isEqualTo("relay_denied");
        assertThat(RefusalReason.REJECT_DIRECT_SEND.label()).isEqualTo("reject_direct_send");
        assertThat(RefusalReason.REJECT_DIRECT_SEND_HEADER_FROM.label()).isEqualTo("reject_direct_send_header_from");
        assertThat(new Refusal(SmtpReply.of(554, "5.4.6", "loop"), RefusalReason.MAIL_LOOP).recorded()).isFalse();
        assertThat(new Verdict.Reject("5.7.1", "Blocked", "R", "g").reason()).isEqualTo("5.7.1 Blocked");
    }

    @Test
    void theDefaultConnectorIsAnonymousIncomingAndARelayedAttributionKeepsItsConnector() {
        Attribution d = Attribution.defaultConnector(true);
        assertThat(d.anonymousDefault()).isTrue();
        assertThat(d.directSend()).isTrue();
        assertThat(d.authAs()).isEqualTo(AuthAs.Anonymous);
        Attribution hybrid = new Attribution("Hybrid", "Certificate", Directionality.Originating, AuthAs.Internal, "10", "HybridOnPrem", false, false);
        assertThat(hybrid.anonymousDefault()).isFalse();
        assertThat(hybrid.promotesCrossPremisesHeaders()).isTrue();
        assertThat(hybrid.relayed()).isEqualTo(new Attribution("Hybrid", "Certificate", Directionality.Originating, AuthAs.Internal, "10",
                "HybridOnPrem", false, true));
        assertThat(new Route(1, "g", "a@b", null).attribution()).isEqualTo(Attribution.defaultConnector(false));
    }
}
