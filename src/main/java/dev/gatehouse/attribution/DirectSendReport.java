// Get-DirectSendReport: the anonymous accepted-domain mail RejectDirectSend would refuse, and what was refused, per source.
package dev.gatehouse.attribution;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.queue.DirectSendSender;
import dev.gatehouse.queue.HourlyCounts;
import dev.gatehouse.store.Store;

/**
 * Reads the attribution facts stored with each accepted recipient ({@code recipients.direct_send}: Incoming,
 * default connector, MAIL FROM domain accepted by the tenant when the message arrived) and groups them per
 * sender IP and MAIL FROM domain, so an admin can create connectors for scanners and applications before
 * turning {@code RejectDirectSend} on. Tenant-scoped; the window is {@code [start, end)}.
 *
 * <p>With refusals included it also reads the tenant's {@link RefusalLog} (what was refused at RCPT TO, and
 * at end of data for the header From) and groups it the same way and by outcome, so an admin who turned
 * {@code RejectDirectSend} on sees who is now refused beside who still gets through; Exchange offers nothing
 * for this. Refusals no tenant owns (relay to a domain nobody accepts) are never shown. A refused message
 * never existed, only its refused recipients did: a refused row's {@code MessageCount} counts distinct
 * (client IP, MAIL FROM, second) instead of messages ({@link RefusalLog.Summary#seconds()}).
 *
 * <p>The accepted copies come summed per hour, client IP and MAIL FROM from the queue ({@link HourlyCounts#directSend}:
 * closed hours counted once and kept, the rest walked live); this report adds them up per source.
 */
public final class DirectSendReport {

    /** {@link Row#Outcome} of the mail that got through. */
    public static final String ACCEPTED = "Accepted";

    /**
     * One source (sender IP and MAIL FROM domain) with one outcome: how many messages and recipient copies,
     * when first and last, and a sample sender and recipient of that outcome.
     *
     * @param Outcome      {@link #ACCEPTED}, or {@code Refused <code> (<why>)}, e.g. {@code Refused 5.7.68 (RejectDirectSend)}
     * @param MessageCount accepted: messages; refused: distinct (client IP, MAIL FROM, second) of the refusals
     */
    public record Row(String SenderIP, String MailFromDomain, String Outcome, int MessageCount, int RecipientCount, Instant FirstSeen,
                      Instant LastSeen, String SampleSender, String SampleRecipient) {}

    private final HourlyCounts counts;
    private final RefusalLog refusals;
    private final Clock clock;

    public DirectSendReport(Store store) { this(store, Clock.systemUTC()); }

    /** @param clock what "now" is: the hours closed before it are read from the kept counts */
    public DirectSendReport(Store store, Clock clock) {
        this.counts = new HourlyCounts(store);
        this.refusals = new RefusalLog(store);
        this.clock = clock;
    }

    /** The accepted Direct Send of the tenant in {@code [start, end)}. */
    public List<Row> run(long tenantId, Instant start, Instant end) { return run(tenantId, start, end, false); }

    /**
     * The accepted Direct Send and, with {@code includeRefused}, the tenant's refusals in {@code [start, end)}.
     * Sources with the most messages first (each source's rows together: Accepted, then its refusals, most
     * first); without refusals that is the order of the accepted rows alone.
     */
    public List<Row> run(long tenantId, Instant start, Instant end, boolean includeRefused) {
        List<Row> rows = new ArrayList<>(accepted(tenantId, start, end));
        if (includeRefused) rows.addAll(refused(tenantId, start, end));
        Map<String, Integer> perSource = new HashMap<>();
        for (Row r : rows) perSource.merge(source(r), r.MessageCount(), Integer::sum);
        // each row's source total looked up once, not at every comparison (thousands of sources on a busy home page)
        List<Ranked> ranked = new ArrayList<>(rows.size());
        for (Row r : rows) ranked.add(new Ranked(r, perSource.get(source(r))));
        ranked.sort(Comparator.comparingInt(Ranked::sourceMessages).reversed()
                .thenComparing(k -> k.row().SenderIP()).thenComparing(k -> k.row().MailFromDomain())
                .thenComparing(k -> !ACCEPTED.equals(k.row().Outcome()))
                .thenComparing(Comparator.<Ranked>comparingInt(k -> k.row().MessageCount()).reversed())
                .thenComparing(k -> k.row().Outcome()));
        return ranked.stream().map(Ranked::row).toList();
    }

    /** A row and the messages of its whole source, which orders it. */
    private record Ranked(Row row, int sourceMessages) {}

    /** The refusals of anonymous mail that claimed one of the organization's domains. */
    static final Set<RefusalReason> DIRECT_SEND_REFUSALS = Set.of(RefusalReason.REJECT_DIRECT_SEND,
            RefusalReason.REJECT_DIRECT_SEND_HEADER_FROM);

    /**
     * The report of a window in a few numbers, for a glance (the admin centre's home page).
     *
     * @param acceptedMessages   anonymous messages from the organization's own domains that got through: what
     *                           RejectDirectSend would refuse (the report's Accepted rows, summed)
     * @param acceptedRecipients their recipient copies
     * @param refusedMessages    such messages refused by RejectDirectSend (5.7.68 at RCPT TO) or
     *                           RejectDirectSendHeaderFrom (5.7.68 at end of data), counted as the report counts
     *                           refused messages: distinct (sender IP, MAIL FROM, second)
     * @param refusedRecipients  their refused recipients
     * @param sources            how many sources (sender IP and MAIL FROM domain) got through: each would need a
     *                           connector before RejectDirectSend is turned on
     * @param topSources         the Accepted rows of the sources with the most messages, at most the number asked for
     */
    public record Totals(long acceptedMessages, long acceptedRecipients, long refusedMessages, long refusedRecipients, int sources,
                         List<Row> topSources) {
        public Totals { topSources = List.copyOf(topSources); }
    }

    /** {@link Totals} of the tenant's window {@code [start, end)}, with at most {@code top} sources listed. */
    public Totals totals(long tenantId, Instant start, Instant end, int top) {
        List<Row> accepted = run(tenantId, start, end, false);
        long messages = 0, recipients = 0;
        for (Row r : accepted) {
            messages += r.MessageCount();
            recipients += r.RecipientCount();
        }
        long[] refused = new long[2];
        refusals.summarize(tenantId, start, end, s -> {
            if (!DIRECT_SEND_REFUSALS.contains(s.reason())) return;
            refused[0] += s.seconds();
            refused[1] += s.recipients();
        });
        return new Totals(messages, recipients, refused[0], refused[1], accepted.size(), accepted.subList(0, Math.min(top, accepted.size())));
    }

    private static String source(Row r) { return r.SenderIP() + "\0" + r.MailFromDomain(); }

    /**
     * The accepted Direct Send per source (sender IP and MAIL FROM domain), from the senders' hourly sums: the counts
     * add up, first and last seen are the earliest and latest, and the sample is the source's first copy (by receive
     * time, then recipient row id): its MAIL FROM and recipient.
     */
    private List<Row> accepted(long tenantId, Instant start, Instant end) {
        Map<String, Acc> groups = new LinkedHashMap<>();
        for (DirectSendSender s : counts.directSend(tenantId, start, end, clock.instant())) {
            String domain = domainOf(s.mailFrom());
            groups.computeIfAbsent(s.clientIp() + "\0" + domain, k -> new Acc(s.clientIp(), domain)).add(s);
        }
        return groups.values().stream().map(Acc::row).toList();
    }

    /** One source's accepted copies being summed. */
    private static final class Acc {
        final String ip;
        final String domain;
        long messages;
        long recipients;
        DirectSendSender first;
        Instant last;

        Acc(String ip, String domain) {
            this.ip = ip;
            this.domain = domain;
        }

        void add(DirectSendSender s) {
            messages += s.messages();
            recipients += s.copies();
            if (first == null || s.firstSeen().isBefore(first.firstSeen())
                    || (s.firstSeen().equals(first.firstSeen()) && s.firstCopyId() < first.firstCopyId())) {
                first = s;
            }
            if (last == null || s.lastSeen().isAfter(last)) last = s.lastSeen();
        }

        Row row() {
            return new Row(ip, domain, ACCEPTED, (int) messages, (int) recipients, first.firstSeen(), last, first.mailFrom(),
                    first.sampleRecipient());
        }
    }

    /** One (sender IP, MAIL FROM domain, reason) being summed; the sample is its (IP, MAIL FROM) with the most refusals. */
    private static final class Refused {
        final String ip;
        final String domain;
        final String outcome;
        int recipients;
        int messages;
        Instant first;
        Instant last;
        RefusalLog.Summary sample;

        Refused(String ip, String domain, String outcome) {
            this.ip = ip;
            this.domain = domain;
            this.outcome = outcome;
        }

        void add(RefusalLog.Summary s) {
            recipients += s.recipients();
            messages += s.seconds();
            first = first == null || s.first().isBefore(first) ? s.first() : first;
            last = last == null || s.last().isAfter(last) ? s.last() : last;
            if (sample == null || SAMPLE_ORDER.compare(s, sample) < 0) sample = s;
        }

        Row row() { return new Row(ip, domain, outcome, messages, recipients, first, last, sample.mailFrom(), sample.sampleRecipient()); }
    }

    /** The most refused recipients first; ties: the earliest, then the smallest address (the database's order is none). */
    private static final Comparator<RefusalLog.Summary> SAMPLE_ORDER = Comparator.comparingInt(RefusalLog.Summary::recipients).reversed()
            .thenComparing(RefusalLog.Summary::first).thenComparing(RefusalLog.Summary::mailFrom);

    private List<Row> refused(long tenantId, Instant start, Instant end) {
        Map<String, Refused> groups = new HashMap<>();
        refusals.summarize(tenantId, start, end, s -> {
            String ip = s.clientIp() == null ? "" : s.clientIp();
            String domain = domainOf(s.mailFrom());
            groups.computeIfAbsent(ip + "\0" + domain + "\0" + s.reason().label(), k -> new Refused(ip, domain, outcome(s.reason(), s.reply())))
                    .add(s);
        });
        return groups.values().stream().map(Refused::row).toList();
    }

    /** The MAIL FROM's domain, lower-cased ({@code ""} for the null sender {@code <>}). */
    static String domainOf(String mailFrom) {
        if (mailFrom == null) return "";
        return mailFrom.substring(mailFrom.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * What the sender was told, for a glance: {@code Refused}, the reply's enhanced status code (preceded by the
     * reply code when it isn't 550, as RequireTls's {@code 530 5.7.0}) and why in the admin's words, e.g.
     * {@code Refused 5.7.68 (RejectDirectSend)}. The codes are read from the reply the client got.
     */
    static String outcome(RefusalReason reason, String reply) {
        String why = switch (reason) {
            case REJECT_DIRECT_SEND -> "RejectDirectSend";
            case REJECT_DIRECT_SEND_HEADER_FROM -> "header From";
            case PARTNER_LOCKDOWN -> "connector restriction";
            case UNKNOWN_RECIPIENT -> "no such recipient";
            case RELAY_DENIED -> "relay";
            case REQUIRE_TLS -> "RequireTls";
            case MAIL_LOOP -> "mail loop";
            case TRANSPORT_RULE -> "mail flow rule";
            case DMARC_REJECT -> "DMARC reject";
            case RULES_DEFERRED -> "mail flow rule error";
            case QUEUE_FAILED -> "queue failure";
        };
        return "Refused " + codes(reply) + " (" + why + ")";
    }

    /** {@code "550 5.7.68 Text"} → {@code 5.7.68}; {@code "530 5.7.0 Text"} → {@code 530 5.7.0}; no enhanced code → {@code 550}. */
    static String codes(String reply) {
        String[] words = (reply == null ? "" : reply.strip()).split(" ", 3);
        String code = words[0];
        boolean enhanced = words.length > 1 && words[1].matches("[245]\\.\\d{1,3}\\.\\d{1,3}");
        if (!enhanced) return code.isEmpty() ? "?" : code;
        return "550".equals(code) ? words[1] : code + " " + words[1];
    }
}
