// The reply at end of data and the durable commit behind it, over a real socket: 250 only when stored, 451 only when it never will be.
package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.attribution.RecipientAttribution;
import dev.gatehouse.attribution.RecipientStage;
import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.it.RawSmtpClient;
import dev.gatehouse.observability.Metrics;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.pipeline.Route;
import dev.gatehouse.pipeline.Stage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.MessageTrace;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.smtp.SmtpConfig;
import dev.gatehouse.smtp.SmtpReply;
import dev.gatehouse.smtp.SmtpServer;
import dev.gatehouse.store.PendingWrite;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class GatewayMailHandlerCommitTest extends StoreTestBase {

    private static final long COMMIT_TIMEOUT_MILLIS = 1000;   // a committer that has not started a write in 1 s on a busy test machine is not the point
    private static final String MESSAGE = "From: x@partner.example\r\nSubject: hello\r\n\r\nbody\r\n";

    private Tenant contoso;
    private MessageQueue queue;
    private Metrics metrics;
    private SmtpServer<Route> smtp;
    /** The stage run after the recipients are attributed; each test sets what it does. */
    private volatile Stage extra = m -> null;
    private final AtomicInteger lastStageRuns = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        contoso = new TenantService(store).create("Contoso");
        new AcceptedDomainService(store).create(contoso.id(), "contoso.com", DomainType.Authoritative, false);
        new MailboxService(store).create(contoso.id(), "Bob", "bob@contoso.com", null);
        queue = new MessageQueue(store);
        metrics = new Metrics();
        List<Stage> stages = List.of(new RecipientStage("mx.gatehouse.test"), m -> extra.apply(m), m -> {
            lastStageRuns.incrementAndGet();
            return null;
        });
        GatewayMailHandler handler = new GatewayMailHandler(new RecipientAttribution(new Directory(store)), null, stages, queue, metrics,
                COMMIT_TIMEOUT_MILLIS);
        smtp = new SmtpServer<>(SmtpConfig.defaults("mx.gatehouse.test"), handler);
        smtp.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() {
        if (smtp != null) smtp.close(Duration.ofSeconds(1));
        if (queue != null) queue.close();
    }

    private String send() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", smtp.port())) {
            RawSmtpClient.expect(c.reply(), "220");
            RawSmtpClient.expect(c.cmd("EHLO client.example"), "250");
            return c.sendMessage("x@partner.example", List.of("bob@contoso.com"), MESSAGE);
        }
    }

    private long messagesStored() {
        return store.read(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM messages"); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private String scraped(String prefix) {
        return metrics.scrape().lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
    }

    @Test
    void theReplyNamesTheNetworkMessageIdThatTraceShows() throws Exception {
        String reply = send();
        assertThat(reply).matches("250 2\\.0\\.0 OK: queued as [0-9a-f-]{36}");
        String nmid = reply.substring(reply.lastIndexOf(' ') + 1);
        assertThat(new MessageTrace(store).events(contoso.id(), nmid)).extracting(MessageTraceEvent::event).containsExactly(TraceEventType.Receive);
        assertThat(scraped("gatehouse_messages_accepted_total")).isEqualTo("gatehouse_messages_accepted_total 1.0");
        assertThat(scraped("gatehouse_end_of_data_to_reply_seconds_count")).endsWith(" 1");
    }

    @Test
    void aCommitThatHasNotStartedWhenTheTimeoutExpiresIsWithdrawnAndAnswered451() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PendingWrite<Void> stall = store.write(ctx -> { // the committer is stuck, as behind a stalled disk
            running.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        String reply;
        try {
            reply = send();
        } finally {
            release.countDown();
        }
        assertThat(reply).isEqualTo("451 4.3.0 Error: queueing failed, try again later");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(COMMIT_TIMEOUT_MILLIS));
        stall.get(10, TimeUnit.SECONDS);
        store.writeAndWait(ctx -> null); // a commit after the one the message would have joined
        assertThat(messagesStored()).as("a message answered 4xx is never stored, so never delivered").isZero();
        assertThat(scraped("gatehouse_messages_refused_total{reason=\"queue_failed\"}")).endsWith(" 1.0");
        assertThat(scraped("gatehouse_messages_accepted_total")).isEqualTo("gatehouse_messages_accepted_total 0.0");
    }

    @Test
    void aCommitAlreadyUnderWayWhenTheTimeoutExpiresIsWaitedForAndAnswered250() throws Exception {
        extra = m -> {
            m.hook((ctx, row, rows) -> {
                try {
                    Thread.sleep(COMMIT_TIMEOUT_MILLIS * 3); // a slow write inside the commit that holds the message
                } catch (InterruptedException e) {
                    throw new SQLException(e);
                }
            });
            return null;
        };
        long start = System.nanoTime();
        assertThat(send()).startsWith("250 2.0.0 OK: queued as ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(COMMIT_TIMEOUT_MILLIS * 3));
        assertThat(messagesStored()).isEqualTo(1);
        assertThat(scraped("gatehouse_messages_refused_total")).isEmpty();
    }

    @Test
    void aCommitThatFailsIsAnswered451AndLeavesNothing() throws Exception {
        extra = m -> {
            m.hook((ctx, row, rows) -> { throw new SQLException("quarantine copy could not be written"); });
            return null;
        };
        assertThat(send()).isEqualTo("451 4.3.0 Error: queueing failed, try again later");
        assertThat(messagesStored()).isZero();
        extra = m -> null;
        assertThat(send()).as("the next message is not affected").startsWith("250 ");
        assertThat(messagesStored()).isEqualTo(1);
    }

    @Test
    void aStagesRefusalIsTheReplyLaterStagesDoNotRunAndNothingIsStored() throws Exception {
        extra = m -> new Refusal(SmtpReply.of(554, "5.4.6", "Hop count exceeded - possible mail loop"), RefusalReason.MAIL_LOOP);
        assertThat(send()).isEqualTo("554 5.4.6 Hop count exceeded - possible mail loop");
        assertThat(lastStageRuns).hasValue(0);
        assertThat(messagesStored()).isZero();
        assertThat(scraped("gatehouse_messages_refused_total{reason=\"mail_loop\"}")).endsWith(" 1.0");
    }

    @Test
    void aRecordedRefusalIsKeptInTraceWithTheReplyItGave() throws Exception {
        extra = m -> new Refusal(SmtpReply.of(550, "5.7.1", "Not here"), RefusalReason.TRANSPORT_RULE, true);
        assertThat(send()).isEqualTo("550 5.7.1 Not here");
        assertThat(messagesStored()).isEqualTo(1);
        assertThat(new MessageTrace(store).recentRecipients(contoso.id(), 10)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("Failed");
            assertThat(r.lastError()).isEqualTo("550 5.7.1 Not here");
        });
        assertThat(queue.pendingRecipients()).isZero();
    }

    @Test
    void aRefusalAtRcptIsCountedByItsReason() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", smtp.port())) {
            c.reply();
            c.cmd("EHLO client.example");
            c.cmd("MAIL FROM:<x@partner.example>");
            assertThat(c.cmd("RCPT TO:<ghost@contoso.com>")).isEqualTo("550 5.4.1 Recipient address rejected: Access denied");
            assertThat(c.cmd("RCPT TO:<x@nowhere.example>")).isEqualTo("550 5.7.64 TenantAttribution; Relay Access Denied");
        }
        assertThat(scraped("gatehouse_messages_refused_total{reason=\"unknown_recipient\"}")).endsWith(" 1.0");
        assertThat(scraped("gatehouse_messages_refused_total{reason=\"relay_denied\"}")).endsWith(" 1.0");
    }
}
