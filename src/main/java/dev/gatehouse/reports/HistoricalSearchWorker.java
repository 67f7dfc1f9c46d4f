// Runs queued historical searches in the background, one at a time per node, and notifies when each is done.
package dev.gatehouse.reports;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.ndr.Bounces;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.reports.HistoricalSearch.State;
import dev.gatehouse.store.Store;

/**
 * A single virtual thread claims the oldest waiting job ({@link SearchJobs#claim}, with a lease it renews after
 * every hour of the period), writes its report to a temporary file in the reports directory (mode 0600), and
 * renames it into place before the job is marked Done, so a Done job always has its whole file. Any error ends
 * the job as Failed with the reason; a job that was interrupted ({@link #MAX_ATTEMPTS} claims without an end) is
 * failed instead of being tried forever. When the job has {@code -NotifyAddress}, each address gets a message
 * from postmaster with the link, through Gatehouse's own queue and delivery, written with the Done state in one
 * transaction so it is sent exactly once.
 */
public final class HistoricalSearchWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HistoricalSearchWorker.class);
    static final int MAX_ATTEMPTS = 3;
    static final Duration LEASE = Duration.ofMinutes(5);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    private final Store store;
    private final SearchJobs jobs;
    private ReportWriter writer;
    private final Bounces bounces;
    private final Path reportsDir;
    private final String owner;
    private final Runnable enqueued;
    private final Clock clock;
    private final Duration poll;
    private final Object signal = new Object();
    private volatile boolean closed;
    private volatile boolean wake;
    private Thread thread;
    private HistoricalSearchService service;

    public HistoricalSearchWorker(Store store, Bounces bounces, Path reportsDir, String owner, Runnable enqueued, Clock clock,
                                  Duration poll) {
        this.store = store;
        this.jobs = new SearchJobs(store);
        this.writer = new ReportWriter(store);
        this.bounces = bounces;
        this.reportsDir = reportsDir;
        this.owner = owner;
        this.enqueued = enqueued;
        this.clock = clock;
        this.poll = poll;
    }

    /** Caps reports at {@code maxRows} rows instead of Exchange's 100,000 (tests). */
    HistoricalSearchWorker withMaxRows(int maxRows) {
        this.writer = new ReportWriter(store, maxRows);
        return this;
    }

    /** The service that queues jobs for this worker and builds their links. */
    public HistoricalSearchWorker serving(HistoricalSearchService s) {
        this.service = s;
        return this;
    }

    public void start() throws IOException {
        Files.createDirectories(reportsDir);
        try {
            Files.setPosixFilePermissions(reportsDir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the data directory's own protection applies
        }
        thread = Thread.ofVirtual().name("historical-search").start(this::loop);
    }

    /** A job is waiting: look now instead of at the next poll. */
    public void wakeUp() {
        synchronized (signal) {
            wake = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        boolean first = true;
        while (!closed) {
            try {
                SearchJobs.Job job = jobs.claim(owner, clock.instant(), clock.instant().plus(LEASE), first);
                first = false;
                if (job != null) {
                    run(job);
                    continue;
                }
            } catch (RuntimeException e) {
                log.warn("event=historical_search_claim_failed cause=\"{}\"", e.toString());
            }
            synchronized (signal) {
                if (!wake && !closed) {
                    try {
                        signal.wait(poll.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                wake = false;
            }
        }
    }

    /** Runs one claimed job to Done or Failed. */
    void run(SearchJobs.Job job) {
        SearchRequest r = job.request();
        String base = job.jobId() + (r.compress() ? ".zip" : ".csv");
        Path tmp = reportsDir.resolve(job.jobId() + ".tmp");
        try {
            if (job.attempts() > MAX_ATTEMPTS) {
                jobs.finish(job.rowId(), owner, State.Failed, 0, null, "The search was interrupted " + MAX_ATTEMPTS
                        + " times (the gateway stopped while it ran); start it again, perhaps over a shorter period.", clock.instant());
                return;
            }
            log.info("event=historical_search_started job={} tenant={} type={} attempt={}", job.jobId(), r.tenantId(), r.type(), job.attempts());
            Files.createDirectories(reportsDir); // again: an admin may have removed it while the gateway ran
            ReportWriter.Result result;
            try (OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                restrict(tmp);
                OutputStream body = file;
                ZipOutputStream zip = null;
                if (r.compress()) {
                    zip = new ZipOutputStream(file);
                    zip.putNextEntry(new ZipEntry(job.jobId() + ".csv"));
                    body = zip;
                }
                Writer w = new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8), 1 << 16);
                w.write(Csv.BOM);
                // stopping the gateway leaves the job InProgress: this node takes it up again when it starts. Progress
                // (and the lease) is written at most once a second: one commit per hour of a 90-day period would cost
                // more than the search
                long[] lastWrite = {System.nanoTime()};
                result = writer.write(r, w, (rows, percent) -> {
                    if (closed) return false;
                    if (System.nanoTime() - lastWrite[0] < PROGRESS_EVERY.toNanos()) return true;
                    lastWrite[0] = System.nanoTime();
                    return jobs.progress(job.rowId(), owner, rows, percent, clock.instant().plus(LEASE));
                });
                w.flush();
                if (zip != null) zip.finish();
                file.flush();
            }
            Files.move(tmp, reportsDir.resolve(base), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            String description = result.truncated()
                    ? "Done, but more than " + result.rows() + " rows matched: the file holds the newest " + result.rows()
                    + ". Narrow the period or the filters for the rest."
                    : "Done: " + result.rows() + " rows.";
            done(job, result.rows(), base, description);
            log.info("event=historical_search_done job={} rows={} truncated={}", job.jobId(), result.rows(), result.truncated());
        } catch (ReportWriter.LeaseLost e) {
            log.warn("event=historical_search_interrupted job={} reason={}", job.jobId(), closed ? "shutdown" : "lease_lost");
            deleteQuietly(tmp);
        } catch (IOException | RuntimeException e) {
            log.error("event=historical_search_failed job={}", job.jobId(), e);
            deleteQuietly(tmp);
            jobs.finish(job.rowId(), owner, State.Failed, 0, null, "The search failed: " + e.getMessage() + " (event="
                    + "historical_search_failed job=" + job.jobId() + " in the gateway's log).", clock.instant());
        }
    }

    private void done(SearchJobs.Job job, long rows, String file, String description) {
        SearchRequest r = job.request();
        List<IncomingMessage> notes = new ArrayList<>();
        for (String to : r.notifyAddresses()) {
            String url = service == null ? "" : service.fileUrl(tenantName(r.tenantId()), job.jobId());
            String text = "Your historical search '" + r.title() + "' (" + r.type() + ", " + r.start() + " to " + r.end() + ") is done: "
                    + rows + " rows.\n\n" + description + "\n\nDownload the report with your admin token:\n" + url + "\n\nor run:\n"
                    + "Get-HistoricalSearch -JobId " + job.jobId() + "\n";
            IncomingMessage note = bounces.notification(r.tenantId(), to, "Historical search '" + r.title() + "' is done", text);
            if (note == null) log.warn("event=historical_search_notify_not_sent job={} to=\"{}\"", job.jobId(), to);
            else notes.add(note);
        }
        boolean finished = store.writeAndWait(ctx -> {
            if (!SearchJobs.finish(ctx, job.rowId(), owner, State.Done, rows, file, description, clock.instant())) return false;
            for (IncomingMessage n : notes) MessageQueue.write(ctx, n);
            return true;
        });
        if (finished && !notes.isEmpty()) enqueued.run();
    }

    private String tenantName(long tenantId) { return new dev.gatehouse.directory.TenantService(store).get(tenantId).Name(); }

    /** Deletes the files of jobs older than 10 days, with their rows. */
    public int purge(Instant now) {
        List<String> files = jobs.purgeOlderThan(now.minus(HistoricalSearchService.LISTED));
        for (String f : files) deleteQuietly(reportsDir.resolve(f));
        return files.size();
    }

    private static void restrict(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not POSIX
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("event=historical_search_file_not_deleted file=\"{}\" cause=\"{}\"", p, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        wakeUp();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
