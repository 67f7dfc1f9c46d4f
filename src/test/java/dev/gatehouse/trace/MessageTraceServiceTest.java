// Message trace on a real store (SQLite and PostgreSQL) with a fixed clock: Exchange's windows and limits, status
// names, filters (exact, wildcard, Unicode subject), paging, and how each stored event reads in the detail.
package dev.gatehouse.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.queue.EnqueueHook;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;
import dev.gatehouse.trace.MessageTraceService.Flavor;
import dev.gatehouse.trace.MessageTraceService.MessageTraceDetailRow;
import dev.gatehouse.trace.MessageTraceService.MessageTraceRow;
import dev.gatehouse.trace.MessageTraceService.Request;
import dev.gatehouse.trace.MessageTraceService.SubjectFilterType;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class MessageTraceServiceTest extends StoreTestBase {
    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    static final long T = 1;
    static final long OTHER = 2;
    MessageTraceService service;

    @BeforeEach
    void service() {
        service = new MessageTraceService(store, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Stores one message as the accept path does; {@code events} are written with it. */
    private String message(Instant at, String mailFrom, String subject, String helo, String tls, List<QueuedRecipient> rcpts,
                           List<MessageTraceEvent> events) {
        String id = UUID.randomUUID().toString();
        byte[] content = ("Subject: x\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        List<MessageTraceEvent> own = events.stream().map(e -> new MessageTraceEvent(e.tenantId(), id, e.recipient(), e.event(),
                e.detail(), e.timestamp())).toList();
        new MessageQueue(store).enqueue(new IncomingMessage(id, at, mailFrom, "198.51.100.7", helo, tls, tls == null ? null
                : "TLS_AES_256_GCM_SHA384", "<" + id + "@test>", subject, "\"Boss\" <boss@contoso.com>", content, content.length, rcpts,
                List.of(), own, EnqueueHook.NONE)).join();
        return id;
    }

    private String message(Instant at, String mailFrom, String subject, List<QueuedRecipient> rcpts) {
        return message(at, mailFrom, subject, "mx.partner.example", null, rcpts, List.of());
    }

    private static QueuedRecipient rcpt(long tenant, String address, RecipientStatus status) {
        return new QueuedRecipient(tenant, address, null, status, null, null, null, false, null);
    }

    private static Request request(Instant start, Instant end) {
        return new Request(start, end, null, null, null, null, null, null, null, null, null, 0, 1000);
    }

    private List<MessageTraceRow> search(Request r) { return service.search(T, r, Flavor.V2); }

    private static Request with(Request r, List<String> senders, List<String> statuses, String subject, SubjectFilterType type) {
        return new Request(r.startDate(), r.endDate(), senders, r.recipientAddress(), r.messageId(), r.messageTraceId(), r.fromIp(),
                statuses, subject, type, r.startingRecipientAddress(), r.offset(), r.resultSize());
    }

    @Test
    void withoutDatesTheLast48HoursAreSearchedAndALoneStartCoversTheTenDaysAfterIt() {
        message(NOW.minus(Duration.ofHours(47)), "a@x.example", "recent", List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        message(NOW.minus(Duration.ofHours(49)), "a@x.example", "older", List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        message(NOW.minus(Duration.ofDays(15)), "a@x.example", "old", List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        assertThat(search(request(null, null))).extracting(MessageTraceRow::Subject).containsExactly("recent");
        assertThat(search(request(NOW.minus(Duration.ofDays(20)), null))).extracting(MessageTraceRow::Subject).containsExactly("old");
        assertThat(search(request(null, NOW.minus(Duration.ofHours(48))))).extracting(MessageTraceRow::Subject).containsExactly("older");
        // a lone start near now ends at now, not in the future
        assertThat(service.window(NOW.minus(Duration.ofDays(1)), null, Flavor.V2)).containsExactly(NOW.minus(Duration.ofDays(1)), NOW);
        // both ends are included; exactly ten days is allowed
        Instant at = NOW.minus(Duration.ofDays(3));
        message(at, "edge@x.example", "edge", List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        assertThat(search(request(at, at))).extracting(MessageTraceRow::Subject).containsExactly("edge");
        assertThat(search(request(at.minus(Duration.ofDays(10)), at))).extracting(MessageTraceRow::Subject).contains("edge");
    }

    @Test
    void theLegacyCmdletSearchesTenDaysBackAndV2NinetyEachRefusalNamingTheValue() {
        Instant elevenDays = NOW.minus(Duration.ofDays(11));
        assertThat(service.window(elevenDays, null, Flavor.V2)[0]).isEqualTo(elevenDays);
        assertThatThrownBy(() -> service.window(elevenDays, null, Flavor.LEGACY)).isInstanceOf(ValidationException.class)
                .hasMessage("-StartDate '2026-11-24T12:00:00Z' is too far back: Get-MessageTrace searches the last 10 days "
                        + "(Get-MessageTraceV2 searches 90), so the earliest start is 2026-11-25T12:00:00Z.");
        assertThatThrownBy(() -> service.window(NOW.minus(Duration.ofDays(91)), NOW.minus(Duration.ofDays(90)), Flavor.V2))
                .hasMessageContaining("message trace keeps 90 days, so the earliest start is 2026-09-06T12:00:00Z");
        assertThatThrownBy(() -> service.window(NOW.minus(Duration.ofDays(10)).minusMillis(1), NOW, Flavor.V2))
                .hasMessageContaining("more than 10 days apart");
        assertThatThrownBy(() -> service.window(NOW, NOW.minusMillis(1), Flavor.V2))
                .hasMessage("-EndDate '2026-12-05T11:59:59.999Z' is earlier than -StartDate '2026-12-05T12:00:00Z'.");
        // an end date alone far back: its default start is 48 hours before it, and that is what is too old
        assertThatThrownBy(() -> service.window(null, NOW.minus(Duration.ofDays(95)), Flavor.V2))
                .hasMessageStartingWith("-EndDate '2026-09-01T12:00:00Z' is too far back");
        // an end date near the edge: its default start is cut at the edge of the data
        assertThat(service.window(null, NOW.minus(Duration.ofDays(89)), Flavor.V2)[0]).isEqualTo(NOW.minus(Duration.ofDays(90)));
    }

    @Test
    void statusesAreExchangesAndEachFilterValueFindsWhatItStandsFor() {
        Instant at = NOW.minus(Duration.ofHours(1));
        message(at, "s@x.example", "all states", List.of(rcpt(T, "a@contoso.com", RecipientStatus.Pending),
                rcpt(T, "b@contoso.com", RecipientStatus.AwaitingRelay), rcpt(T, "c@contoso.com", RecipientStatus.Delivered),
                rcpt(T, "d@contoso.com", RecipientStatus.Failed), rcpt(T, "e@contoso.com", RecipientStatus.Quarantined),
                rcpt(T, "f@contoso.com", RecipientStatus.Redirected)));
        Request all = request(null, null);
        assertThat(search(all)).extracting(MessageTraceRow::RecipientAddress, MessageTraceRow::Status).containsExactly(
                tuple("a@contoso.com", "Pending"), tuple("b@contoso.com", "Pending"),
                tuple("c@contoso.com", "Delivered"), tuple("d@contoso.com", "Failed"),
                tuple("e@contoso.com", "Quarantined"), tuple("f@contoso.com", "None"));
        assertThat(search(with(all, null, List.of("Pending"), null, null))).extracting(MessageTraceRow::RecipientAddress)
                .containsExactly("a@contoso.com", "b@contoso.com");
        assertThat(search(with(all, null, List.of("none", "FAILED"), null, null))).extracting(MessageTraceRow::RecipientAddress)
                .containsExactly("d@contoso.com", "f@contoso.com");
        assertThat(search(with(all, null, List.of("Expanded", "GettingStatus"), null, null))).isEmpty();
        assertThat(search(with(all, null, List.of("Expanded", "Quarantined"), null, null))).extracting(MessageTraceRow::RecipientAddress)
                .containsExactly("e@contoso.com");
    }

    @Test
    void exactAndWildcardSendersTogetherMatchEitherIgnoringCase() {
        Instant at = NOW.minus(Duration.ofHours(2));
        message(at, "Scanner@Contoso.com", "one", List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        message(at.plusSeconds(1), "news@mail.partner.example", "two", List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        message(at.plusSeconds(2), "other@elsewhere.example", "three", List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        Request all = request(null, null);
        assertThat(search(with(all, List.of("scanner@contoso.com"), null, null, null))).extracting(MessageTraceRow::Subject)
                .containsExactly("one");
        assertThat(search(with(all, List.of("scanner@contoso.com", "*@*.PARTNER.example"), null, null, null)))
                .extracting(MessageTraceRow::Subject).containsExactly("two", "one");
        // a dot in a pattern is a dot, not "any character"
        assertThat(search(with(all, List.of("*@mail.partnerXexample"), null, null, null))).isEmpty();
        assertThat(search(with(all, List.of("*"), null, null, null))).hasSize(3);
    }

    @Test
    void subjectFiltersIgnoreCaseBeyondAsciiOnEveryStore() {
        Instant at = NOW.minus(Duration.ofHours(3));
        message(at, "s@x.example", "Réunion d'ÉTÉ: ordre du jour", List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        message(at.plusSeconds(1), "s@x.example", "Straße gesperrt", List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        Request all = request(null, null);
        assertThat(search(with(all, null, null, "d'été", SubjectFilterType.Contains))).hasSize(1);
        assertThat(search(with(all, null, null, "RÉUNION", SubjectFilterType.StartsWith))).hasSize(1);
        assertThat(search(with(all, null, null, "réunion", SubjectFilterType.EndsWith))).isEmpty();
        assertThat(search(with(all, null, null, "GESPERRT", SubjectFilterType.EndsWith))).extracting(MessageTraceRow::Subject)
                .containsExactly("Straße gesperrt");
        // LIKE's wildcards are text here
        assertThat(search(with(all, null, null, "%", SubjectFilterType.Contains))).isEmpty();
    }

    @Test
    void legacyPagesSkipOnlyMatchingRowsEvenWhenFilteredOutsideTheStore() {
        Instant at = NOW.minus(Duration.ofHours(4));
        for (int i = 0; i < 5; i++) {
            message(at.plusSeconds(i), i % 2 == 0 ? "even@x.example" : "odd@y.example", "m" + i,
                    List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        }
        Request evens = new Request(null, null, List.of("*@x.example"), null, null, null, null, null, null, null, null, 1, 1);
        assertThat(service.search(T, evens, Flavor.LEGACY)).extracting(MessageTraceRow::Subject).containsExactly("m2");
        Request secondPage = new Request(null, null, null, null, null, null, null, null, null, null, null, 2, 2);
        assertThat(service.search(T, secondPage, Flavor.LEGACY)).extracting(MessageTraceRow::Subject).containsExactly("m2", "m1");
    }

    @Test
    void messageIdsAreFoundWithOrWithoutBracketsAndOtherTenantsNeverAppear() {
        Instant at = NOW.minus(Duration.ofHours(5));
        String id = message(at, "s@x.example", "shared", List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered),
                rcpt(OTHER, "carol@fabrikam.com", RecipientStatus.Delivered)));
        Request bare = new Request(null, null, null, null, List.of(id + "@test"), null, null, null, null, null, null, 0, 1000);
        assertThat(search(bare)).extracting(MessageTraceRow::RecipientAddress).containsExactly("bob@contoso.com");
        Request bracketed = new Request(null, null, null, null, List.of(" <" + id + "@test> "), null, null, null, null, null, null, 0, 10);
        assertThat(search(bracketed)).extracting(MessageTraceRow::MessageTraceId).containsExactly(id);
        assertThat(service.search(OTHER, request(null, null), Flavor.V2)).extracting(MessageTraceRow::RecipientAddress)
                .containsExactly("carol@fabrikam.com");
        assertThat(service.detail(OTHER, id, "bob@contoso.com", null, null, List.of(), List.of(), null, null, Flavor.V2)).isEmpty();
    }

    @Test
    void aMessageTraceIdMustBeAWholeGuid() {
        assertThat(MessageTraceService.guid("MessageTraceId", " 0190A3C2-7B6E-7D41-9A8E-2F4C1B7E3D90 "))
                .isEqualTo("0190a3c2-7b6e-7d41-9a8e-2f4c1b7e3d90");
        for (String bad : List.of("0190a3c2-7b6e-7d41-9a8e-2f4c1b7e3d9", "1-2-3-4-5", "", "0190a3c2-7b6e-7d41-9a8e-2f4c1b7e3d90x")) {
            assertThatThrownBy(() -> MessageTraceService.guid("MessageTraceId", bad)).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("-MessageTraceId '" + bad + "' is not a GUID");
        }
    }

    @Test
    void theDetailShowsOneRecipientsEventsAndTheMessagesOwnAsExchangeNamesThem() {
        Instant at = NOW.minus(Duration.ofHours(6));
        String rule = "Transport rule: 'Hold', ID: ('11111111-2222-3333-4444-555555555555'), DLP policy: '', ID: "
                + "(00000000-0000-0000-0000-000000000000).";
        List<MessageTraceEvent> events = new ArrayList<>(List.of(
                new MessageTraceEvent(T, "", "bob@contoso.com", TraceEventType.TransportRule, rule, at),
                new MessageTraceEvent(T, "", "bob@contoso.com", TraceEventType.RuleAction,
                        "S:TRA=ETR|ruleId=11111111-2222-3333-4444-555555555555|st=x|action=Quarantine|sev=1|mode=Enforce", at),
                new MessageTraceEvent(T, "", "bob@contoso.com", TraceEventType.Quarantine, null, at),
                new MessageTraceEvent(T, "", "alice@contoso.com", TraceEventType.Ndr, "550 5.7.1 Blocked", at),
                new MessageTraceEvent(T, "", null, TraceEventType.RuleError, "Transport rule: 'Broken' Error: bad pattern", at)));
        String id = message(at, "x@partner.example", "held", "evil\"<helo>&", "TLSv1.3", List.of(rcpt(T, "bob@contoso.com",
                RecipientStatus.Quarantined), rcpt(T, "alice@contoso.com", RecipientStatus.Failed)), events);
        List<MessageTraceDetailRow> bob = service.detail(T, id, "BOB@contoso.com", null, null, List.of(), List.of(), null, null, Flavor.V2);
        assertThat(bob).extracting(MessageTraceDetailRow::Event, MessageTraceDetailRow::Action).containsExactly(
                tuple("Receive", ""), tuple("Transport rule", ""),
                tuple("Transport rule", "Quarantine"), tuple("Deliver", "Quarantine"),
                tuple("Transport rule", "Error"));
        MessageTraceDetailRow receive = bob.getFirst();
        assertThat(receive.Detail()).isEqualTo("Message received from evil\"<helo>& [198.51.100.7] via TLS1.3 with "
                + "TLS_AES_256_GCM_SHA384, through no connector (Direct Send).");
        // the Data form stays well-formed whatever the client sent
        assertThat(receive.Data()).contains("<MEP Name=\"ClientName\" String=\"evil&quot;&lt;helo&gt;&amp;\" />",
                "<MEP Name=\"TlsVersion\" String=\"TLS1.3\" />", "<MEP Name=\"From\" String=\"&quot;Boss&quot; &lt;boss@contoso.com&gt;\" />")
                .startsWith("<root>").endsWith("</root>");
        assertThat(bob.get(1).Detail()).isEqualTo(rule);
        assertThat(bob.get(2).Data()).startsWith("S:TRA=ETR|ruleId=11111111");
        assertThat(bob.get(3).Detail()).isEqualTo("Message quarantined in: DefaultFolderType:QuarantinedEmailSecured");
        assertThat(bob).extracting(MessageTraceDetailRow::MessageTraceId).containsOnly(id);
        assertThat(bob).extracting(MessageTraceDetailRow::MessageId).containsOnly("<" + id + "@test>");

        List<MessageTraceDetailRow> alice = service.detail(T, id, "alice@contoso.com", null, null, List.of("dsn"), List.of(), null, null,
                Flavor.V2);
        assertThat(alice).extracting(MessageTraceDetailRow::Detail).containsExactly("550 5.7.1 Blocked");
        assertThat(service.detail(T, id, "bob@contoso.com", null, null, List.of(), List.of("quarantine"), null, null, Flavor.V2)).hasSize(2);
        assertThat(service.detail(T, id, "nobody@contoso.com", null, null, List.of(), List.of(), null, null, Flavor.V2)).isEmpty();
        assertThat(service.detail(T, id, "bob@contoso.com", null, null, List.of(), List.of(), null, "someone@else.example", Flavor.V2)).isEmpty();
        assertThat(service.detail(T, id, "bob@contoso.com", null, null, List.of(), List.of(), id + "@test", "X@PARTNER.example", Flavor.V2))
                .hasSize(5);
        // a date window cuts the events, within the same limits as the summary
        assertThat(service.detail(T, id, "bob@contoso.com", at.plusSeconds(1), NOW, List.of(), List.of(), null, null, Flavor.V2)).isEmpty();
        assertThatThrownBy(() -> service.detail(T, id, " ", null, null, List.of(), List.of(), null, null, Flavor.V2))
                .hasMessageContaining("-RecipientAddress is required");
    }

    @Test
    void theReceiveEventNamesTheConnectorTheCopyCameThrough() {
        Instant at = NOW.minus(Duration.ofHours(7));
        String id = message(at, "scan@contoso.com", "scan", "scanner.contoso.com", null, List.of(new QueuedRecipient(T, "bob@contoso.com",
                null, RecipientStatus.Delivered, "CP-IP", dev.gatehouse.mail.Directionality.Incoming, null, false, null)), List.of());
        MessageTraceDetailRow receive = service.detail(T, id, "bob@contoso.com", null, null, List.of("Receive"), List.of(), null, null,
                Flavor.V2).getFirst();
        assertThat(receive.Detail()).isEqualTo("Message received from scanner.contoso.com [198.51.100.7] without TLS, through inbound "
                + "connector 'CP-IP'.");
        assertThat(receive.Data()).contains("<MEP Name=\"ConnectorId\" String=\"CP-IP\" />", "<MEP Name=\"Directionality\" String=\"Incoming\" />")
                .doesNotContain("TlsVersion\" String=\"TLS");
    }

    @Test
    void everyKindOfStepReadsUnderExchangesEventNameInOrder() {
        Instant at = NOW.minus(Duration.ofHours(8));
        List<MessageTraceEvent> steps = new ArrayList<>();
        TraceEventType[] kinds = {TraceEventType.Defer, TraceEventType.Deliver, TraceEventType.Send, TraceEventType.Fail,
                TraceEventType.NdrPending, TraceEventType.Redirect, TraceEventType.Drop, TraceEventType.Release, TraceEventType.Notification};
        String[] details = {"451 4.4.0 next hop busy", null, null, "550 5.1.1 no such user", "NDR queued",
                "Message redirected to audit@contoso.com", "Deleted by transport rule 'Drop'", "Released by admin@contoso.com",
                "GenerateNotification: queued to bob@contoso.com"};
        for (int i = 0; i < kinds.length; i++) {
            steps.add(new MessageTraceEvent(T, "", "bob@contoso.com", kinds[i], details[i], at.plusSeconds(i + 1)));
        }
        String id = message(at, "x@partner.example", "steps", "mx.partner.example", "TLSv1.2", List.of(rcpt(T, "bob@contoso.com",
                RecipientStatus.Delivered)), steps);
        List<MessageTraceDetailRow> rows = service.detail(T, id, "bob@contoso.com", null, null, List.of(), List.of(), null, null, Flavor.V2);
        assertThat(rows).extracting(MessageTraceDetailRow::Event).containsExactly("Receive", "Defer", "Deliver", "Send", "Fail", "DSN",
                "Redirect", "Drop", "Release", "Notification");
        assertThat(rows).extracting(MessageTraceDetailRow::Detail).containsExactly(
                "Message received from mx.partner.example [198.51.100.7] via TLS1.2 with TLS_AES_256_GCM_SHA384, through no connector "
                        + "(Direct Send).",
                "451 4.4.0 next hop busy", "The message was successfully delivered to the mailbox.", "Message transferred.",
                "550 5.1.1 no such user", "NDR queued", "Message redirected to audit@contoso.com", "Deleted by transport rule 'Drop'",
                "Released by admin@contoso.com", "GenerateNotification: queued to bob@contoso.com");
        assertThat(rows).extracting(MessageTraceDetailRow::Date).isSorted();
        // the legacy detail cmdlet reads the same events, within its 10 days
        assertThat(service.detail(T, id, "bob@contoso.com", null, null, List.of("Release"), List.of(), null, null, Flavor.LEGACY))
                .singleElement().satisfies(r -> assertThat(r.Detail()).isEqualTo("Released by admin@contoso.com"));
    }

    @Test
    void agentDataFieldsAndTlsNamesReadAsExchangeWritesThem() {
        assertThat(TraceEvents.field("S:TRA=ETR|ruleId=abc|st=2026|action=RedirectMessage|sev=1", "action")).isEqualTo("RedirectMessage");
        assertThat(TraceEvents.field("S:TRA=ETR|ruleId=abc", "action")).isEmpty();
        assertThat(TraceEvents.field("S:TRA=ETR|xaction=1|action=SetSCL", "action")).isEqualTo("SetSCL");
        assertThat(TraceEvents.tlsName("TLSv1.3")).isEqualTo("TLS1.3");
        assertThat(TraceEvents.tlsName("TLSv1")).isEqualTo("TLS1");
    }

    @Test
    void aFutureStartAloneIsNamedAndResultSizeCapsTheRowsNewestFirst() {
        assertThatThrownBy(() -> service.window(NOW.plus(Duration.ofDays(1)), null, Flavor.V2)).isInstanceOf(ValidationException.class)
                .hasMessage("-StartDate '2026-12-06T12:00:00Z' is in the future: message trace shows mail already received.");
        // with an end it is only an empty window's start, as Exchange takes it
        assertThat(service.window(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2)), Flavor.V2)).hasSize(2);
        Instant at = NOW.minus(Duration.ofHours(9));
        for (int i = 0; i < 4; i++) {
            message(at.plusSeconds(i), "s@x.example", "n" + i, List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        }
        Request two = new Request(null, null, null, null, null, null, null, null, null, null, null, 0, 2);
        assertThat(search(two)).extracting(MessageTraceRow::Subject).containsExactly("n3", "n2");
        // the same cap when the rows are filtered outside the store
        Request twoFiltered = new Request(null, null, List.of("*@x.example"), null, null, null, null, null, "n", null, null, 0, 2);
        assertThat(search(twoFiltered)).extracting(MessageTraceRow::Subject).containsExactly("n3", "n2");
    }

    @Test
    void aMessageWithoutSubjectOrMessageIdIsListedAndMatchesNoSubjectFilter() {
        Instant at = NOW.minus(Duration.ofHours(10));
        String id = UUID.randomUUID().toString();
        byte[] content = "\r\nno header at all\r\n".getBytes(StandardCharsets.US_ASCII);
        new MessageQueue(store).enqueue(new IncomingMessage(id, at, "", "198.51.100.9", null, null, null, null, null, null, content,
                content.length, List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)), List.of(), List.of(), EnqueueHook.NONE)).join();
        assertThat(search(request(at, at))).singleElement().satisfies(r -> {
            assertThat(r.SenderAddress()).as("the null sender").isEmpty();
            assertThat(r.Subject()).isNull();
            assertThat(r.MessageId()).isNull();
            assertThat(r.MessageTraceId()).isEqualTo(id);
        });
        assertThat(search(with(request(at, at), null, null, "a", SubjectFilterType.Contains))).isEmpty();
        MessageTraceDetailRow receive = service.detail(T, id, "bob@contoso.com", null, null, List.of(), List.of(), null, null, Flavor.V2)
                .getFirst();
        assertThat(receive.Detail()).isEqualTo("Message received from (no HELO) [198.51.100.9] without TLS, through no connector (Direct Send).");
    }

    @Test
    void fromIpTakesSeveralAddressesAndASubjectWithoutFilterTypeIsAContainsMatch() {
        Instant at = NOW.minus(Duration.ofHours(11));
        message(at, "s@x.example", "Quarterly figures", List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        Request byIp = new Request(null, null, null, null, null, null, List.of("192.0.2.1", "198.51.100.7"), null, null, null, null, 0, 10);
        assertThat(search(byIp)).extracting(MessageTraceRow::FromIP).containsExactly("198.51.100.7");
        Request otherIp = new Request(null, null, null, null, null, null, List.of("198.51.100.70"), null, null, null, null, 0, 10);
        assertThat(search(otherIp)).isEmpty();
        Request subject = new Request(null, null, null, null, null, null, null, null, "TERLY FIG", null, null, 0, 10);
        assertThat(subject.subjectFilterType()).isEqualTo(SubjectFilterType.Contains);
        assertThat(search(subject)).extracting(MessageTraceRow::Subject).containsExactly("Quarterly figures");
    }

    /** The caller writes the pattern: one with many stars must not cost more than pattern × address to test. */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void wildcardsMatchAsStarsAndAHostilePatternStaysCheap() {
        assertThat(MessageTraceService.globMatches("*@contoso.com", "alice@contoso.com")).isTrue();
        assertThat(MessageTraceService.globMatches("a*e@*.com", "alice@contoso.com")).isTrue();
        assertThat(MessageTraceService.globMatches("*", "")).isTrue();
        assertThat(MessageTraceService.globMatches("a**b", "ab")).isTrue();
        assertThat(MessageTraceService.globMatches("*@contoso.com", "alice@contoso.com.evil")).isFalse();
        assertThat(MessageTraceService.globMatches("alice@*", "bob@contoso.com")).isFalse();
        assertThat(MessageTraceService.globMatches("a.c@x", "abc@x")).as("a dot is a dot").isFalse();
        // a regular expression built from this ran for over a minute against this address
        String address = "a".repeat(300) + "@x.example";
        assertThat(MessageTraceService.globMatches("*a".repeat(60) + "*b", address)).isFalse();
        Request hostile = new Request(null, null, java.util.Collections.nCopies(100, "*a".repeat(40) + "*b"), null, null, null, null, null,
                null, null, null, 0, 10);
        message(NOW.minus(Duration.ofHours(12)), address, "long sender", List.of(rcpt(T, "bob@contoso.com", RecipientStatus.Delivered)));
        assertThat(search(hostile)).isEmpty();
    }
}
