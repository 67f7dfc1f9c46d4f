// Get-DirectSendReport's refused rows on both stores: grouping, counts, samples, outcomes, window and tenant scope.
package dev.gatehouse.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.directory.TenantService;
import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.smtp.SmtpReply;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class DirectSendReportRefusedTest extends StoreTestBase {
    static final String SCANNER_IP = "203.0.113.50";

    private RefusalLog log;
    private DirectSendReport report;
    private long contoso;
    private long fabrikam;
    private Instant t0;
    private long written;

    @BeforeEach
    void setUp() {
        log = new RefusalLog(store);
        report = new DirectSendReport(store);
        contoso = new TenantService(store).create("Contoso").id();
        fabrikam = new TenantService(store).create("Fabrikam").id();
        t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    }

    private void refuse(Long tenant, Instant at, String ip, String mailFrom, String recipient, RefusalReason reason, SmtpReply reply) {
        log.record(new RefusalLog.Refusal(tenant, at, ip, "scanner.example", null, mailFrom, recipient, reason, reply.toString(), null));
        written++;
    }

    private void directSend(Instant at, String mailFrom, String recipient) {
        refuse(contoso, at, SCANNER_IP, mailFrom, recipient, RefusalReason.REJECT_DIRECT_SEND, RecipientAttribution.DIRECT_SEND);
    }

    /** The refusal log writes without waiting; the report reads once every row is in. */
    private void awaitWritten() {
        await().atMost(Duration.ofSeconds(30)).until(() -> store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM refusals"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == written;
            }
        }));
    }

    private List<DirectSendReport.Row> refused(long tenant) {
        return report.run(tenant, t0.minus(Duration.ofDays(1)), t0.plus(Duration.ofDays(1)), true);
    }

    @Test
    void refusalsOfOneSourceAndReasonAreOneRowWhateverTheSendersCaseOrAddress() {
        directSend(t0, "Scanner@Contoso.COM", "bob@contoso.com");
        directSend(t0.plusMillis(3), "scanner@contoso.com", "alice@contoso.com");
        directSend(t0.plusSeconds(40), "copier@contoso.com", "bob@contoso.com");
        awaitWritten();
        assertThat(refused(contoso)).singleElement().satisfies(r -> {
            assertThat(r.SenderIP()).isEqualTo(SCANNER_IP);
            assertThat(r.MailFromDomain()).isEqualTo("contoso.com");
            assertThat(r.Outcome()).isEqualTo("Refused 5.7.68 (RejectDirectSend)");
            assertThat(r.RecipientCount()).isEqualTo(3);
            assertThat(r.FirstSeen()).isEqualTo(t0);
            assertThat(r.LastSeen()).isEqualTo(t0.plusSeconds(40));
        });
    }

    @Test
    void messageCountIsDistinctSenderIpMailFromAndSecond() {
        // one transaction refused for three recipients in the same second: one attempt
        for (String rcpt : List.of("a@contoso.com", "b@contoso.com", "c@contoso.com")) directSend(t0.plusMillis(rcpt.charAt(0)), "scanner@contoso.com", rcpt);
        // the same sender again a second later: a second attempt
        directSend(t0.plusSeconds(1), "scanner@contoso.com", "a@contoso.com");
        // another sender of the domain in that same second: its own attempt
        directSend(t0.plusSeconds(1).plusMillis(500), "copier@contoso.com", "a@contoso.com");
        awaitWritten();
        assertThat(refused(contoso)).singleElement().satisfies(r -> {
            assertThat(r.RecipientCount()).isEqualTo(5);
            assertThat(r.MessageCount()).isEqualTo(3);
        });
    }

    @Test
    void theSampleIsTheSenderRefusedMostWithOneOfItsOwnRecipients() {
        directSend(t0, "copier@contoso.com", "zed@contoso.com");
        directSend(t0.plusSeconds(1), "scanner@contoso.com", "bob@contoso.com");
        directSend(t0.plusSeconds(2), "scanner@contoso.com", "alice@contoso.com");
        awaitWritten();
        assertThat(refused(contoso)).singleElement().satisfies(r -> {
            assertThat(r.SampleSender()).isEqualTo("scanner@contoso.com");
            assertThat(r.SampleRecipient()).isEqualTo("alice@contoso.com");
        });
    }

    @Test
    void eachReasonIsItsOwnRowWithTheCodeTheSenderWasGiven() {
        directSend(t0, "scanner@contoso.com", "bob@contoso.com");
        refuse(contoso, t0, SCANNER_IP, "scanner@contoso.com", "nobody@contoso.com", RefusalReason.UNKNOWN_RECIPIENT,
                RecipientAttribution.UNKNOWN_RECIPIENT);
        refuse(contoso, t0, "198.51.100.9", "invoices@billing.example", "bob@contoso.com", RefusalReason.PARTNER_LOCKDOWN,
                RecipientAttribution.PARTNER_LOCKDOWN);
        refuse(contoso, t0, "198.51.100.10", "copier@contoso.com", "bob@contoso.com", RefusalReason.REQUIRE_TLS,
                RecipientAttribution.REQUIRE_TLS);
        refuse(contoso, t0, "198.51.100.11", "ceo@partner.example", "bob@contoso.com", RefusalReason.REJECT_DIRECT_SEND_HEADER_FROM,
                RecipientAttribution.DIRECT_SEND);
        awaitWritten();
        assertThat(refused(contoso)).extracting(r -> r.SenderIP() + " " + r.MailFromDomain() + " " + r.Outcome()).containsExactlyInAnyOrder(
                SCANNER_IP + " contoso.com Refused 5.7.68 (RejectDirectSend)",
                SCANNER_IP + " contoso.com Refused 5.4.1 (no such recipient)",
                "198.51.100.9 billing.example Refused 5.7.51 (connector restriction)",
                "198.51.100.10 contoso.com Refused 530 5.7.0 (RequireTls)",
                "198.51.100.11 partner.example Refused 5.7.68 (header From)");
        // each source's rows are together, and every outcome fits an unwidened table column
        assertThat(refused(contoso).subList(0, 2)).extracting(DirectSendReport.Row::SenderIP).containsOnly(SCANNER_IP);
        assertThat(refused(contoso)).allSatisfy(r -> assertThat(r.Outcome().length()).isLessThanOrEqualTo(40));
    }

    @Test
    void theWindowIsStartInclusiveEndExclusiveAndTheSwitchIsNeeded() {
        directSend(t0, "scanner@contoso.com", "bob@contoso.com");
        directSend(t0.plusSeconds(10), "scanner@contoso.com", "alice@contoso.com");
        awaitWritten();
        assertThat(report.run(contoso, t0, t0.plusSeconds(10), true)).singleElement()
                .satisfies(r -> assertThat(r.SampleRecipient()).isEqualTo("bob@contoso.com"));
        assertThat(report.run(contoso, t0.plusMillis(1), t0.plusSeconds(11), true)).singleElement()
                .satisfies(r -> assertThat(r.SampleRecipient()).isEqualTo("alice@contoso.com"));
        assertThat(report.run(contoso, t0.plusSeconds(11), t0.plusSeconds(20), true)).isEmpty();
        assertThat(report.run(contoso, t0, t0.plusSeconds(20), false)).isEmpty();
        assertThat(report.run(contoso, t0, t0.plusSeconds(20))).isEmpty();
    }

    @Test
    void aTenantSeesOnlyItsOwnRefusalsAndNeverOnesNoTenantOwns() {
        directSend(t0, "scanner@contoso.com", "bob@contoso.com");
        refuse(fabrikam, t0, "198.51.100.20", "x@other.example", "nobody@fabrikam.com", RefusalReason.UNKNOWN_RECIPIENT,
                RecipientAttribution.UNKNOWN_RECIPIENT);
        refuse(null, t0, SCANNER_IP, "scanner@contoso.com", "someone@nowhere.example", RefusalReason.RELAY_DENIED,
                RecipientAttribution.RELAY_DENIED);
        awaitWritten();
        assertThat(refused(contoso)).extracting(DirectSendReport.Row::Outcome).containsExactly("Refused 5.7.68 (RejectDirectSend)");
        assertThat(refused(contoso)).extracting(DirectSendReport.Row::RecipientCount).containsExactly(1);
        assertThat(refused(fabrikam)).extracting(r -> r.SenderIP() + " " + r.SampleRecipient())
                .containsExactly("198.51.100.20 nobody@fabrikam.com");
        assertThat(refused(fabrikam + 1000)).isEmpty();
    }

    @Test
    void theNullSenderIsItsOwnSourceWithAnEmptyDomain() {
        refuse(contoso, t0, SCANNER_IP, null, "nobody@contoso.com", RefusalReason.UNKNOWN_RECIPIENT, RecipientAttribution.UNKNOWN_RECIPIENT);
        awaitWritten();
        assertThat(refused(contoso)).singleElement().satisfies(r -> {
            assertThat(r.MailFromDomain()).isEmpty();
            assertThat(r.SampleSender()).isEmpty();
            assertThat(r.Outcome()).isEqualTo("Refused 5.4.1 (no such recipient)");
        });
    }

    @Test
    void aFloodOfSpoofedSendersIsSummedByTheDatabaseIntoOneRow() {
        // a spammer cycling through random local parts: thousands of distinct MAIL FROMs, one source, one row
        int n = 4_000;
        for (int i = 0; i < n; i++) directSend(t0.plusMillis(i * 250L), "user" + i + "@CONTOSO.com", "bob@contoso.com");
        awaitWritten();
        assertThat(refused(contoso)).singleElement().satisfies(r -> {
            assertThat(r.MailFromDomain()).isEqualTo("contoso.com");
            assertThat(r.RecipientCount()).isEqualTo(n);
            assertThat(r.MessageCount()).isEqualTo(n);
            assertThat(r.FirstSeen()).isEqualTo(t0);
            assertThat(r.LastSeen()).isEqualTo(t0.plusMillis((n - 1) * 250L));
            // every sender was refused once: the tie goes to the earliest
            assertThat(r.SampleSender()).isEqualTo("user0@CONTOSO.com");
        });
    }

    @Test
    void totalsSumWhatGotThroughAndWhatRejectDirectSendRefusedWithTheBusiestSources() {
        // got through before the switch: two messages from the scanner (three copies), one from the copier
        accepted(t0, SCANNER_IP, "scanner@contoso.com", "bob@contoso.com", "alice@contoso.com");
        accepted(t0.plusSeconds(1), SCANNER_IP, "scanner@contoso.com", "bob@contoso.com");
        accepted(t0.plusSeconds(2), "198.51.100.30", "copier@contoso.com", "bob@contoso.com");
        // refused since: two attempts of the scanner (three recipients), one header From; other reasons are not Direct Send
        directSend(t0.plusSeconds(10), "scanner@contoso.com", "bob@contoso.com");
        directSend(t0.plusSeconds(10), "scanner@contoso.com", "alice@contoso.com");
        directSend(t0.plusSeconds(12), "scanner@contoso.com", "bob@contoso.com");
        refuse(contoso, t0.plusSeconds(13), "198.51.100.11", "ceo@partner.example", "bob@contoso.com", RefusalReason.REJECT_DIRECT_SEND_HEADER_FROM,
                RecipientAttribution.DIRECT_SEND);
        refuse(contoso, t0.plusSeconds(14), SCANNER_IP, "scanner@contoso.com", "nobody@contoso.com", RefusalReason.UNKNOWN_RECIPIENT,
                RecipientAttribution.UNKNOWN_RECIPIENT);
        refuse(fabrikam, t0.plusSeconds(14), SCANNER_IP, "scanner@fabrikam.com", "carol@fabrikam.com", RefusalReason.REJECT_DIRECT_SEND,
                RecipientAttribution.DIRECT_SEND);
        awaitWritten();

        DirectSendReport.Totals t = report.totals(contoso, t0, t0.plusSeconds(60), 1);
        assertThat(t.acceptedMessages()).isEqualTo(3);
        assertThat(t.acceptedRecipients()).isEqualTo(4);
        assertThat(t.refusedMessages()).isEqualTo(3);
        assertThat(t.refusedRecipients()).isEqualTo(4);
        assertThat(t.sources()).isEqualTo(2);
        assertThat(t.topSources()).singleElement().satisfies(r -> {
            assertThat(r.SenderIP()).isEqualTo(SCANNER_IP);
            assertThat(r.MessageCount()).isEqualTo(2);
        });
        assertThat(report.totals(fabrikam, t0, t0.plusSeconds(60), 10)).isEqualTo(new DirectSendReport.Totals(0, 0, 1, 1, 0, List.of()));
        assertThat(report.totals(contoso, t0.plusSeconds(60), t0.plusSeconds(120), 10))
                .isEqualTo(new DirectSendReport.Totals(0, 0, 0, 0, 0, List.of()));
    }

    /** A message that got through as Direct Send (anonymous, through no connector, MAIL FROM an accepted domain). */
    private void accepted(Instant at, String ip, String mailFrom, String... to) {
        List<QueuedRecipient> copies = java.util.Arrays.stream(to).map(a -> new QueuedRecipient(contoso, a, null, RecipientStatus.Pending, "",
                Directionality.Incoming, AuthAs.Anonymous, true, null)).toList();
        String id = java.util.UUID.randomUUID().toString();
        new MessageQueue(store).enqueue(new IncomingMessage(id, at, mailFrom, ip, "scanner.local", null, null, "<" + id + "@x>", "scan",
                mailFrom, ("Subject: scan\r\n\r\nx\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII), copies)).join();
    }

    @Test
    void codesAreReadFromTheReply() {
        assertThat(DirectSendReport.codes("550 5.7.68 TenantInboundAttribution; Direct Send not allowed")).isEqualTo("5.7.68");
        assertThat(DirectSendReport.codes("530 5.7.0 Must issue a STARTTLS command first")).isEqualTo("530 5.7.0");
        assertThat(DirectSendReport.codes("554 Transaction failed")).isEqualTo("554");
        assertThat(DirectSendReport.codes("")).isEqualTo("?");
        assertThat(DirectSendReport.outcome(RefusalReason.MAIL_LOOP, "554 5.4.6 Too many hops")).isEqualTo("Refused 554 5.4.6 (mail loop)");
    }
}
