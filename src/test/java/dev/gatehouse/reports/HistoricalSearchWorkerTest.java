// The historical search worker on a real store (SQLite and PostgreSQL): jobs survive a restart, a lost lease is
// taken over, repeated interruptions and errors end in Failed with a reason, the cap and the quota hold, and a
// cancelled job never runs.
package dev.gatehouse.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.ndr.Bounces;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.reports.HistoricalSearch.State;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class HistoricalSearchWorkerTest extends StoreTestBase {
    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    final Clock clock = new Clock() {
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    };
    long tenant;
    Path reports;
    HistoricalSearchService service;

    @BeforeEach
    void organization() {
        tenant = new TenantService(store).create("Contoso").id();
        new AcceptedDomainService(store).create(tenant, "contoso.com", DomainType.Authoritative, false);
        reports = db.dir().resolve("reports");
        service = new HistoricalSearchService(store, new Directory(store), reports, "http://gw.example:8080", () -> {}, clock);
    }

    private HistoricalSearchWorker worker(String owner) {
        return new HistoricalSearchWorker(store, new Bounces(new Directory(store), "gw.example"), reports, owner, () -> {}, clock,
                Duration.ofMillis(20)).serving(service);
    }

    private HistoricalSearchService.Request request(String title, String type) {
        return new HistoricalSearchService.Request(title, NOW.minus(Duration.ofDays(1)), NOW, type, null, null, null, null, null, null,
                null, null, null, null, false);
    }

    private void received(Instant at, String mailFrom, String subject) {
        String id = UUID.randomUUID().toString();
        byte[] content = ("Subject: " + subject + "\r\n\r\nx\r\n").getBytes(StandardCharsets.UTF_8);
        new MessageQueue(store).enqueue(new IncomingMessage(id, at, mailFrom, "192.0.2.9", "mx.example", null, null, "<" + id + "@x>",
                subject, mailFrom, content, List.of(new QueuedRecipient(tenant, "bob@contoso.com", null)))).join();
    }

    private HistoricalSearch job(String id) { return service.get(tenant, "Contoso", id); }

    @Test
    void aJobInterruptedByARestartIsTakenUpAgainByTheSameNodeAtOnce() throws IOException {
        received(NOW.minus(Duration.ofHours(2)), "a@x.example", "one");
        String id = service.start(tenant, "Contoso", "admin", request("r", "ConnectorReport")).JobId();
        // a worker claimed it and the gateway stopped before it finished: InProgress, with a lease minutes long
        SearchJobs.Job claimed = new SearchJobs(store).claim("node-1", NOW, NOW.plus(HistoricalSearchWorker.LEASE), false);
        assertThat(claimed.jobId()).isEqualTo(id);
        assertThat(job(id).Status()).isEqualTo("InProgress");
        restart();
        service = new HistoricalSearchService(store, new Directory(store), reports, "http://gw.example:8080", () -> {}, clock);
        // another node waits for the lease; the node that held it takes it back when it starts again
        assertThat(new SearchJobs(store).claim("node-2", NOW, NOW.plus(HistoricalSearchWorker.LEASE), true)).isNull();
        try (HistoricalSearchWorker w = worker("node-1")) {
            w.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> job(id).Status().equals("Done"));
        }
        HistoricalSearch done = job(id);
        assertThat(done.Rows()).isEqualTo(1);
        assertThat(done.FileUrl()).isEqualTo("http://gw.example:8080/adminapi/v1/Contoso/HistoricalSearchReports/" + id);
        Path file = reports.resolve(id + ".csv");
        assertThat(Files.readString(file)).contains(",one,");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(reports)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (var s = Files.list(reports)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(id + ".csv"); // no temporary file left
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndAJobInterruptedTooOftenFails() {
        String id = service.start(tenant, "Contoso", "admin", request("r", "ConnectorReport")).JobId();
        SearchJobs jobs = new SearchJobs(store);
        for (int i = 1; i <= HistoricalSearchWorker.MAX_ATTEMPTS; i++) {
            // each claim's holder dies; after the lease another node takes the job
            SearchJobs.Job j = jobs.claim("node-" + i, now.get(), now.get().plus(HistoricalSearchWorker.LEASE), false);
            assertThat(j).as("claim %d", i).isNotNull();
            assertThat(j.attempts()).isEqualTo(i);
            assertThat(jobs.claim("node-x", now.get(), now.get().plus(HistoricalSearchWorker.LEASE), false)).as("lease held").isNull();
            now.set(now.get().plus(HistoricalSearchWorker.LEASE).plusSeconds(1));
        }
        SearchJobs.Job last = jobs.claim("node-4", now.get(), now.get().plus(HistoricalSearchWorker.LEASE), false);
        worker("node-4").run(last);
        HistoricalSearch failed = job(id);
        assertThat(failed.Status()).isEqualTo("Failed");
        assertThat(failed.ReportStatusDescription()).contains("interrupted 3 times");
        assertThat(failed.FileUrl()).isNull();
    }

    @Test
    void anErrorEndsTheJobFailedWithTheReasonNeverInProgress() throws IOException {
        String id = service.start(tenant, "Contoso", "admin", request("r", "ConnectorReport")).JobId();
        Files.createDirectories(reports.getParent());
        Files.writeString(reports, "a file where the reports directory should be");
        SearchJobs.Job j = new SearchJobs(store).claim("node-1", NOW, NOW.plus(HistoricalSearchWorker.LEASE), false);
        worker("node-1").run(j);
        HistoricalSearch failed = job(id);
        assertThat(failed.Status()).isEqualTo("Failed");
        assertThat(failed.ReportStatusDescription()).startsWith("The search failed: ").contains("historical_search_failed job=" + id);
    }

    @Test
    void theRowCapKeepsTheNewestAndSaysMoreMatched() throws IOException {
        for (int i = 0; i < 5; i++) received(NOW.minus(Duration.ofMinutes(90 - i)), "a@x.example", "m" + i);
        String id = service.start(tenant, "Contoso", "admin", new HistoricalSearchService.Request("capped", NOW.minus(Duration.ofDays(1)),
                NOW, "MessageTrace", null, null, null, null, List.of("a@x.example"), null, null, null, null, null, false)).JobId();
        SearchJobs.Job j = new SearchJobs(store).claim("node-1", NOW, NOW.plus(HistoricalSearchWorker.LEASE), false);
        worker("node-1").withMaxRows(3).run(j);
        HistoricalSearch done = job(id);
        assertThat(done.Status()).isEqualTo("Done");
        assertThat(done.Rows()).isEqualTo(3);
        assertThat(done.ReportStatusDescription()).contains("more than 3 rows matched: the file holds the newest 3");
        List<String> rows = Files.readAllLines(reports.resolve(id + ".csv")).stream().skip(1).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).contains(",m4,");
        assertThat(rows.get(2)).contains(",m2,");
    }

    @Test
    void aCancelledJobNeverRunsAndOnlyAWaitingJobCanBeCancelled() {
        String waiting = service.start(tenant, "Contoso", "admin", request("cancel me", "ConnectorReport")).JobId();
        service.stop(tenant, waiting);
        assertThat(job(waiting).Status()).isEqualTo("Cancelled");
        assertThat(new SearchJobs(store).claim("node-1", NOW, NOW.plus(HistoricalSearchWorker.LEASE), true)).isNull();
        assertThatThrownBy(() -> service.stop(tenant, waiting)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("is Cancelled: only a search that is NotStarted can be stopped");
        long other = new TenantService(store).create("Fabrikam").id();
        assertThatThrownBy(() -> service.stop(other, waiting)).isInstanceOf(dev.gatehouse.kernel.NotFoundException.class);
    }

    @Test
    void twoHundredFiftySearchesADayThenRefusedCancelledOnesCounting() {
        for (int i = 0; i < HistoricalSearchService.DAILY_QUOTA; i++) {
            String id = service.start(tenant, "Contoso", "admin", request("q" + i, "Refusals")).JobId();
            if (i % 50 == 0) service.stop(tenant, id);
        }
        assertThatThrownBy(() -> service.start(tenant, "Contoso", "admin", request("one more", "Refusals")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("250 historical searches in the last 24 hours");
        now.set(NOW.plus(Duration.ofHours(24)).plusSeconds(1));
        assertThat(service.start(tenant, "Contoso", "admin", new HistoricalSearchService.Request("next day", NOW, now.get(), "Refusals",
                null, null, null, null, null, null, null, null, null, null, false)).Status()).isEqualTo("NotStarted");
        // the list shows ten days of searches, newest first
        assertThat(service.list(tenant, "Contoso").getFirst().ReportTitle()).isEqualTo("next day");
    }

    @Test
    void oldJobsAndTheirFilesArePurgedAfterTenDays() throws IOException {
        received(NOW.minus(Duration.ofHours(1)), "a@x.example", "x");
        String id = service.start(tenant, "Contoso", "admin", request("old", "ConnectorReport")).JobId();
        HistoricalSearchWorker w = worker("node-1");
        Files.createDirectories(reports);
        w.run(new SearchJobs(store).claim("node-1", NOW, NOW.plus(HistoricalSearchWorker.LEASE), false));
        assertThat(reports.resolve(id + ".csv")).exists();
        assertThat(w.purge(NOW.plus(Duration.ofDays(9)))).isZero();
        assertThat(w.purge(NOW.plus(Duration.ofDays(10)).plusSeconds(1))).isEqualTo(1);
        assertThat(reports.resolve(id + ".csv")).doesNotExist();
        assertThat(service.list(tenant, "Contoso")).isEmpty();
    }

    @Test
    void spreadsheetFormulasInMailBecomeText() {
        assertThat(Csv.cell("=1+1")).isEqualTo("'=1+1");
        assertThat(Csv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Csv.cell("+33 1 23")).isEqualTo("'+33 1 23");
        assertThat(Csv.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(Csv.cell("-")).as("a lone dash, the reports' \"none\", is no formula").isEqualTo("-");
        assertThat(Csv.cell("\t=x")).isEqualTo("'\t=x");
        assertThat(Csv.cell("a,\"b\"\r\nc")).isEqualTo("\"a,\"\"b\"\"\r\nc\"");
        assertThat(Csv.cell("plain")).isEqualTo("plain");
        assertThat(Csv.cell(null)).isEmpty();
    }
}
