// The values stages pass along: refusal labels that logs and metrics publish, verdicts, routes and attributions, Accepting's edges.
package dev.gatehouse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.Message;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.smtp.SmtpReply;

class PipelineValuesTest {

    private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");

    private static Accepting accepting(String content, InetAddress ip, String mailFrom, List<Route> routes) {
        return new Accepting("01937a2e-0000-7000-8000-0000000000aa", AT, new Accepting.Client("s9", ip, "helo.example", false, null, null),
                mailFrom, routes, Message.parse(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static Accepting accepting(String content) throws Exception {
        return accepting(content, InetAddress.getByName("198.51.100.7"), "a@example.org", List.of());
    }

    private static QueuedRecipient row(long tenant, String address) {
        return new QueuedRecipient(tenant, address, null, RecipientStatus.Pending, "", Directionality.Incoming, AuthAs.Anonymous, false, null);
    }

    @Test
    void everyRefusalReasonHasItsPublishedLabel() {
        assertThat(Arrays.stream(RefusalReason.values()).map(RefusalReason::label)).containsExactly("relay_denied", "unknown_recipient",
                "partner_lockdown", "reject_direct_send", "require_tls", "reject_direct_send_header_from", "mail_loop", "transport_rule",
                "dmarc_reject", "rules_deferred", "queue_failed");
    }

    @Test
    void aRefusalIsUnrecordedUnlessSaidOtherwise() {
        SmtpReply reply = SmtpReply.of(451, "4.7.500", "Server busy");
        assertThat(new Refusal(reply, RefusalReason.RULES_DEFERRED)).isEqualTo(new Refusal(reply, RefusalReason.RULES_DEFERRED, false));
        assertThat(new Refusal(reply, RefusalReason.TRANSPORT_RULE, true).recorded()).isTrue();
    }

    @Test
    void verdictsAreValuesAndARejectsReasonIsItsStatusAndText() {
        assertThat(Verdict.DELIVER).isEqualTo(new Verdict.Deliver());
        Verdict.Reject r = new Verdict.Reject("5.7.1", "Delivery not authorized, message refused", "Block", "g1");
        assertThat(r.reason()).isEqualTo("5.7.1 Delivery not authorized, message refused");
        List<Verdict> all = List.of(Verdict.DELIVER, new Verdict.Quarantine("Q", "g2"), r, new Verdict.Delete("dropped", "Drop", "g3"),
                new Verdict.Redirected("redirected to x@contoso.com"));
        List<String> kinds = new ArrayList<>();
        for (Verdict v : all) {
            kinds.add(switch (v) { // the set is closed: a new kind of verdict fails to compile here
                case Verdict.Deliver d -> "deliver";
                case Verdict.Quarantine q -> "quarantine " + q.ruleName();
                case Verdict.Reject j -> "reject " + j.ruleName();
                case Verdict.Delete d -> "delete " + d.ruleName();
                case Verdict.Redirected d -> "redirected";
            });
        }
        assertThat(kinds).containsExactly("deliver", "quarantine Q", "reject Block", "delete Drop", "redirected");
        assertThatThrownBy(() -> new Accepting.Recipient(row(1, "a@contoso.com"), null)).isInstanceOf(NullPointerException.class)
                .hasMessage("verdict");
    }

    @Test
    void aRouteWithoutAttributionIsAnonymousMailThroughTheDefaultConnector() {
        Route r = new Route(7, "guid-7", "alice@contoso.com", 12L);
        assertThat(r.attribution()).isEqualTo(new Attribution("", "", Directionality.Incoming, AuthAs.Anonymous, null, "Internet", false, false));
        assertThat(r.attribution().anonymousDefault()).isTrue();
        assertThat(r.attribution().promotesCrossPremisesHeaders()).isFalse();
        assertThat(r.attribution().relay()).isFalse();
    }

    @Test
    void onlyIncomingMailThroughNoConnectorIsAnonymousDefaultAndOnlyAuthMechanism10PromotesHeaders() {
        assertThat(new Attribution("", "", Directionality.Originating, AuthAs.Internal, null, "Internet", false, false).anonymousDefault())
                .isFalse();
        assertThat(new Attribution("Partner", "IP", Directionality.Incoming, AuthAs.Anonymous, null, "Internet", false, false)
                .anonymousDefault()).isFalse();
        assertThat(new Attribution("OnPrem", "IP", Directionality.Originating, AuthAs.Internal, "1", "HybridOnPrem", false, false)
                .promotesCrossPremisesHeaders()).isFalse();
        Attribution directSend = Attribution.defaultConnector(true);
        Attribution relayed = directSend.relayed();
        assertThat(relayed.relay()).isTrue();
        assertThat(relayed.directSend()).as("a relayed copy is nobody's Direct Send").isFalse();
        assertThat(relayed.connector()).isEqualTo(directSend.connector());
        assertThat(relayed.directionality()).isEqualTo(directSend.directionality());
    }

    @Test
    void theTraceFactsAreCleanedAndClippedSoOneHostileHeaderCannotBreakTrace() throws Exception {
        String longSubject = "x".repeat(3000);
        Accepting m = accepting("Subject: " + longSubject + "\r\nMessage-ID: <a@b>\r\n\tfolded\r\nFrom: =?utf-8?B?w4RybmU=?= <a@x>\r\n\r\nbody\r\n");
        assertThat(m.subject()).hasSize(998);
        assertThat(m.internetMessageId()).doesNotContain("\r", "\n", "\t").startsWith("<a@b>").endsWith("folded");
        assertThat(m.headerFrom()).isEqualTo("Ärne <a@x>");
        Accepting nul = accepting("Subject: a\u0000b\u007fc\r\n\r\nbody\r\n");
        assertThat(nul.subject()).isEqualTo("abc");
    }

    @Test
    void aMissingSenderIsTheNullSenderAndAMissingClientAddressIsStoredAsNone() {
        Accepting m = accepting("Subject: s\r\n\r\nb\r\n", null, null, List.of());
        assertThat(m.mailFrom()).isEmpty();
        assertThat(m.client().ipText()).isNull();
        m.recipients(List.of(new Accepting.Recipient(row(1, "a@contoso.com"), Verdict.DELIVER)));
        IncomingMessage in = m.toIncoming();
        assertThat(in.mailFrom()).isEmpty();
        assertThat(in.clientIp()).isNull();
        assertThat(in.helo()).isEqualTo("helo.example");
        assertThat(in.tlsProtocol()).isNull();
    }

    @Test
    void theRoutesAreFixedOnArrivalAndTheListsStagesReadCannotBeChangedBehindTheirBacks() throws Exception {
        List<Route> routes = new ArrayList<>(List.of(new Route(1, "g", "a@contoso.com", null)));
        Accepting m = accepting("Subject: s\r\n\r\nb\r\n", InetAddress.getByName("198.51.100.7"), "x@example.org", routes);
        routes.add(new Route(2, "h", "b@fabrikam.com", null));
        assertThat(m.routes()).hasSize(1);
        List<Accepting.Recipient> rs = new ArrayList<>(List.of(new Accepting.Recipient(row(1, "a@contoso.com"), Verdict.DELIVER)));
        m.recipients(rs);
        rs.clear();
        assertThat(m.recipients()).hasSize(1);
        m.event(1, "a@contoso.com", TraceEventType.RuleAction, "x");
        assertThatThrownBy(() -> m.events().clear()).isInstanceOf(UnsupportedOperationException.class);
        m.notification(new Accepting.NotificationRequest(1, "a@contoso.com", "text", m.received()));
        assertThatThrownBy(() -> m.notifications().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(m.events()).singleElement().satisfies(e -> {
            assertThat(e.networkMessageId()).isEqualTo(m.networkMessageId());
            assertThat(e.timestamp()).as("stage events carry the time of arrival").isEqualTo(AT);
        });
        m.ndrQueued();
        m.ndrQueued();
        assertThat(m.ndrs()).isEqualTo(2);
    }

    @Test
    void aNewStoredFormIsWhatTenantViewsAndCopiesAreBuiltFromFromThenOn() throws Exception {
        String stamp = "X-MS-Exchange-CrossTenant-Id: t1\r\n";
        Accepting m = accepting("Subject: s\r\n\r\nbody\r\n");
        Message before = m.tenantView(stamp);
        m.stored(m.received().prepend(List.of(HeaderField.of("Received", "from helo.example by mx"))));
        Message after = m.tenantView(stamp);
        assertThat(after).isNotSameAs(before);
        assertThat(after.fields()).extracting(HeaderField::name).containsExactly("Received", "X-MS-Exchange-CrossTenant-Id", "Subject");
        assertThat(m.deliveredCopy(row(1, "a@contoso.com"))).as("no stamp: the stored bytes as they are").isSameAs(m.stored().bytes());
        assertThat(m.tenantView("")).isSameAs(m.stored());
        assertThat(m.variant(m.addVariant(new byte[] {7}))).containsExactly(7);
    }

    @Test
    void eachTenantsRecordShowsItsOwnRulesReplyAndNamesTheRuleOnlyWhenThereIsOne() throws Exception {
        Accepting m = accepting("Subject: s\r\n\r\nbody\r\n");
        m.recipients(List.of(new Accepting.Recipient(row(1, "a@contoso.com"), new Verdict.Reject("5.7.1", "Go away", "Block", "g")),
                new Accepting.Recipient(row(2, "b@fabrikam.com"), new Verdict.Delete("copy of a refused message", "Drop", "g2")),
                new Accepting.Recipient(row(3, "c@adatum.com"), new Verdict.Delete("copy of a refused message", null, null)),
                new Accepting.Recipient(row(4, "d@tailspin.com").withStatus(RecipientStatus.Redirected, "redirected"),
                        new Verdict.Redirected("redirected"))));
        IncomingMessage record = m.toRecord(new Refusal(SmtpReply.of(550, "5.7.1", "Go away"), RefusalReason.TRANSPORT_RULE, true));
        assertThat(record.recipients()).extracting(QueuedRecipient::tenantId, QueuedRecipient::status, QueuedRecipient::lastError)
                .containsExactly(tuple(1L, RecipientStatus.Failed, "550 5.7.1 Go away"), tuple(2L, RecipientStatus.Failed, "550 5.7.1 Go away"),
                        tuple(3L, RecipientStatus.Failed, "550 5.7.1 Go away"), tuple(4L, RecipientStatus.Failed, "550 5.7.1 Go away"));
        assertThat(record.events()).extracting(MessageTraceEvent::tenantId, MessageTraceEvent::detail).containsExactly(
                tuple(1L, "Refused at end of data: 550 5.7.1 Go away (transport rule 'Block')"),
                tuple(2L, "Refused at end of data: 550 5.7.1 Go away (transport rule 'Drop')"),
                tuple(3L, "Refused at end of data: 550 5.7.1 Go away"),
                tuple(4L, "Refused at end of data: 550 5.7.1 Go away"));
        assertThat(record.networkMessageId()).isEqualTo(m.networkMessageId());
        assertThat(record.receivedAt()).isEqualTo(AT);
    }
}
