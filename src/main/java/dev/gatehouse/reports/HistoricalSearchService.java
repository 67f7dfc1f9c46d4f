// Start-/Get-/Stop-HistoricalSearch (spec §8): checks a request against Exchange's limits, queues it, lists jobs.
package dev.gatehouse.reports;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.gatehouse.directory.Directory;
import dev.gatehouse.kernel.Guids;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.reports.HistoricalSearch.State;
import dev.gatehouse.store.Store;

/**
 * Exchange's limits: data of the last 90 days, at most 100 sender and 100 recipient addresses, a
 * {@code -NotifyAddress} in one of the organization's accepted domains, 250 searches per tenant per 24 hours
 * (cancelled ones count), jobs listed for 10 days. {@code MessageTrace} and {@code MessageTraceDetail} need
 * {@code -MessageID}, {@code -SenderAddress} or {@code -RecipientAddress} (Microsoft's requirement, which its own
 * ConnectorReport example for Direct Send does without: spec §8, inferred). Unlike Exchange, whose data is 1 to
 * 4 hours late, Gatehouse's is current: a search may end now. The job runs in the background
 * ({@link HistoricalSearchWorker}); its CSV is downloaded from {@code FileUrl} with the tenant's token.
 */
public final class HistoricalSearchService {
    public static final Duration LOOKBACK = Duration.ofDays(90);
    public static final Duration LISTED = Duration.ofDays(10);
    public static final int DAILY_QUOTA = 250;
    public static final int MAX_ADDRESSES = 100;

    /** A Start-HistoricalSearch request as the cmdlet binds it; null or empty means "not given". */
    public record Request(String reportTitle, Instant startDate, Instant endDate, String reportType, String direction,
                          String connectorType, String deliveryStatus, String tlsUsed, List<String> senderAddress,
                          List<String> recipientAddress, List<String> messageId, String originalClientIp, List<String> transportRule,
                          List<String> notifyAddress, boolean compressFile) {}

    private final Store store;
    private final SearchJobs jobs;
    private final Directory directory;
    private final Path reportsDir;
    private final String baseUrl;
    private final Runnable wakeUp;
    private final Clock clock;

    /**
     * @param reportsDir where the worker writes the CSV files (null: searches can't be started here)
     * @param baseUrl    the admin API's address as admins reach it, e.g. {@code http://mx.contoso.com:8080}
     * @param wakeUp     tells the worker a job is waiting
     */
    public HistoricalSearchService(Store store, Directory directory, Path reportsDir, String baseUrl, Runnable wakeUp, Clock clock) {
        this.store = store;
        this.jobs = new SearchJobs(store);
        this.directory = directory;
        this.reportsDir = reportsDir;
        this.baseUrl = baseUrl;
        this.wakeUp = wakeUp;
        this.clock = clock;
    }

    /** Queues a search; returns it as Get-HistoricalSearch shows it (NotStarted). */
    public HistoricalSearch start(long tenantId, String tenantName, String submittedBy, Request q) {
        if (reportsDir == null) throw new ValidationException("Historical search needs the gateway's data directory; run it on a gateway.");
        SearchRequest r = validate(tenantId, q);
        Instant now = clock.instant();
        int used = jobs.submittedSince(tenantId, now.minus(Duration.ofHours(24)));
        if (used >= DAILY_QUOTA) {
            throw new ValidationException("The organization has started " + used + " historical searches in the last 24 hours; at most "
                    + DAILY_QUOTA + " are allowed (cancelled ones count). Try again later.");
        }
        String id = UUID.randomUUID().toString();
        jobs.insert(id, r, now, submittedBy);
        // read back before the runner is woken: it may claim the job at once, and Start-HistoricalSearch shows the search as
        // queued, the way Exchange Online does
        HistoricalSearch queued = get(tenantId, tenantName, id);
        wakeUp.run();
        return queued;
    }

    /** The tenant's searches of the last 10 days, newest first. */
    public List<HistoricalSearch> list(long tenantId, String tenantName) {
        return jobs.list(tenantId, clock.instant().minus(LISTED), null).stream().map(j -> view(j, tenantName)).toList();
    }

    /** One of the tenant's searches; not found for another tenant's. */
    public HistoricalSearch get(long tenantId, String tenantName, String jobId) {
        String id = guid(jobId);
        return jobs.list(tenantId, null, id).stream().findFirst().map(j -> view(j, tenantName))
                .orElseThrow(() -> new NotFoundException("The historical search '" + jobId + "' couldn't be found."));
    }

    /** Stop-HistoricalSearch: only a search that hasn't started can be stopped. */
    public void stop(long tenantId, String jobId) {
        String id = guid(jobId);
        if (jobs.cancel(tenantId, id, clock.instant())) return;
        HistoricalSearch s = get(tenantId, "", id);
        throw new ValidationException("The historical search '" + jobId + "' is " + s.Status() + ": only a search that is NotStarted "
                + "can be stopped.");
    }

    /** The finished report of one of the tenant's searches: its file and the name to download it as. */
    public record ReportFile(Path path, String downloadName, String contentType) {}

    public ReportFile file(long tenantId, String jobId) {
        String id = guid(jobId);
        SearchJobs.Job j = jobs.list(tenantId, null, id).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("The historical search '" + jobId + "' couldn't be found."));
        if (j.state() != State.Done || j.fileName() == null || reportsDir == null || !Files.isRegularFile(reportsDir.resolve(j.fileName()))) {
            throw new NotFoundException("The historical search '" + jobId + "' has no report file" + (j.state() == State.Done ? " any more."
                    : ": it is " + j.state() + "."));
        }
        String safeTitle = j.request().title().replaceAll("[^A-Za-z0-9._-]", "_");
        boolean zip = j.fileName().endsWith(".zip");
        return new ReportFile(reportsDir.resolve(j.fileName()), safeTitle + "_" + id + (zip ? ".zip" : ".csv"),
                zip ? "application/zip" : "text/csv; charset=utf-8");
    }

    private SearchRequest validate(long tenantId, Request q) {
        if (q.reportTitle() == null || q.reportTitle().isBlank()) throw new ValidationException("-ReportTitle is required.");
        if (q.reportTitle().length() > 255) throw new ValidationException("-ReportTitle is " + q.reportTitle().length() + " characters long; at most 255 are allowed.");
        if (q.startDate() == null) throw new ValidationException("-StartDate is required.");
        if (q.endDate() == null) throw new ValidationException("-EndDate is required.");
        Instant earliest = clock.instant().minus(LOOKBACK).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (q.startDate().isBefore(earliest)) {
            throw new ValidationException("-StartDate '" + q.startDate() + "' is too far back: historical search covers the last 90 days, "
                    + "so the earliest start is " + earliest + ".");
        }
        if (!q.endDate().isAfter(q.startDate())) {
            throw new ValidationException("-EndDate '" + q.endDate() + "' must be later than -StartDate '" + q.startDate() + "' (a date "
                    + "without a time is its midnight, so that day itself is not included).");
        }
        ReportType type = reportType(q.reportType());
        if (q.connectorType() != null && type != ReportType.ConnectorReport) {
            throw new ValidationException("-ConnectorType '" + q.connectorType() + "' applies to -ReportType ConnectorReport only.");
        }
        if (q.tlsUsed() != null && type != ReportType.ConnectorReport) {
            throw new ValidationException("-TLSUsed '" + q.tlsUsed() + "' applies to -ReportType ConnectorReport only.");
        }
        if (q.transportRule() != null && !q.transportRule().isEmpty() && type != ReportType.TransportRule) {
            throw new ValidationException("-TransportRule applies to -ReportType TransportRule only.");
        }
        List<String> senders = addresses("SenderAddress", q.senderAddress());
        List<String> recipients = addresses("RecipientAddress", q.recipientAddress());
        List<String> messageIds = q.messageId() == null ? List.of() : q.messageId().stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(dev.gatehouse.trace.MessageTraceService::bracketed).toList();
        if (messageIds.size() > MAX_ADDRESSES) throw new ValidationException("-MessageID has " + messageIds.size() + " values; at most 100 are allowed.");
        if (type.needsAMessageFilter() && senders.isEmpty() && recipients.isEmpty() && messageIds.isEmpty()) {
            throw new ValidationException("-ReportType " + type + " needs -MessageID, -SenderAddress or -RecipientAddress.");
        }
        List<String> notify = q.notifyAddress() == null ? List.of() : q.notifyAddress().stream().map(String::trim).toList();
        for (String n : notify) {
            int at = n.lastIndexOf('@');
            if (at <= 0 || at == n.length() - 1 || !directory.isAcceptedDomain(tenantId, n.substring(at + 1))) {
                throw new ValidationException("-NotifyAddress '" + n + "' is not in one of the organization's accepted domains.");
            }
        }
        String ip = q.originalClientIp() == null || q.originalClientIp().isBlank() ? null : q.originalClientIp().trim();
        if (ip != null && !ip.matches("[0-9A-Fa-f.:]{2,45}")) {
            throw new ValidationException("-OriginalClientIP '" + q.originalClientIp() + "' is not an IP address.");
        }
        return new SearchRequest(tenantId, q.reportTitle().trim(), type, q.startDate(), q.endDate(),
                q.direction() == null ? "All" : q.direction(), q.connectorType(), q.deliveryStatus(), q.tlsUsed(), senders, recipients,
                messageIds, ip, q.transportRule() == null ? List.of() : List.copyOf(q.transportRule()), notify, q.compressFile());
    }

    private static ReportType reportType(String value) {
        if (value == null) throw new ValidationException("-ReportType is required.");
        for (ReportType t : ReportType.values()) if (t.name().equalsIgnoreCase(value)) return t;
        for (var e : ReportType.NOT_AVAILABLE.entrySet()) {
            if (e.getKey().equalsIgnoreCase(value)) {
                throw new ValidationException("-ReportType '" + value + "' isn't available: " + e.getValue() + ". Gatehouse makes "
                        + "ConnectorReport, MessageTrace, MessageTraceDetail, TransportRule and Refusals.");
            }
        }
        throw new ValidationException("-ReportType '" + value + "' is not a report type. Use ConnectorReport, MessageTrace, "
                + "MessageTraceDetail, TransportRule or Refusals.");
    }

    private static List<String> addresses(String parameter, List<String> values) {
        if (values == null) return List.of();
        List<String> out = values.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (out.size() > MAX_ADDRESSES) {
            throw new ValidationException("-" + parameter + " has " + out.size() + " addresses; at most " + MAX_ADDRESSES + " are allowed "
                    + "(for a distribution group, name its members).");
        }
        for (String a : out) {
            if (a.indexOf('@') <= 0 || a.indexOf('@') == a.length() - 1) {
                throw new ValidationException("-" + parameter + " '" + a + "' is not an email address.");
            }
        }
        return out;
    }

    static String guid(String value) {
        return Guids.parse("JobId", value, ": take it from the JobId column of Get-HistoricalSearch.");
    }

    private HistoricalSearch view(SearchJobs.Job j, String tenantName) {
        SearchRequest r = j.request();
        String url = j.state() == State.Done && j.fileName() != null ? fileUrl(tenantName, j.jobId()) : null;
        String description = j.description() != null ? j.description() : switch (j.state()) {
            case NotStarted -> "Waiting to start.";
            case InProgress -> "Searching: " + j.progress() + "% of the period, " + j.rows() + " rows so far.";
            default -> "";
        };
        return new HistoricalSearch(j.jobId(), j.submittedAt(), r.title(), r.type().name(), j.state().name(), j.rows(),
                j.state() == State.Done ? 100 : j.progress(), url, description, r.start(), r.end(), r.direction(), r.connectorType(),
                r.deliveryStatus(), r.tlsUsed(), r.senders(), r.recipients(), r.messageIds(), r.originalClientIp(), r.transportRules(),
                r.notifyAddresses(), r.compress(), j.completedAt(), j.submittedBy());
    }

    /** Where the report is downloaded: the admin API's address, the organization, the job. */
    public String fileUrl(String tenantName, String jobId) {
        return baseUrl + "/adminapi/v1/" + URLEncoder.encode(tenantName, StandardCharsets.UTF_8).replace("+", "%20")
                + "/HistoricalSearchReports/" + jobId;
    }
}
