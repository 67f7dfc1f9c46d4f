// Message trace as Exchange Online answers it (spec §7): Get-MessageTraceV2 and its detail, and the legacy pair.
package dev.gatehouse.trace;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import dev.gatehouse.kernel.Guids;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.queue.MessageTrace;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.queue.TraceRow;
import dev.gatehouse.queue.TraceSearch;
import dev.gatehouse.store.Store;

/**
 * Checks a trace request against Exchange's limits and reads it through the queue, which owns the message
 * tables. The limits are Exchange's: data of the last 90 days ({@code Get-MessageTrace}, the legacy cmdlet: 10),
 * at most 10 days per query, the last 48 hours when no date is given, 1 to 5,000 rows (default 1,000), at
 * most 100 values per address or Message-ID filter. Each violation is refused naming the parameter and its
 * value. Every query is scoped to one tenant: a message that reached several tenants shows each only its own
 * recipients and events.
 *
 * <p>Status is Exchange's: a recipient waiting for local delivery or the relay is {@code Pending},
 * {@code Delivered}, {@code Failed} (including rule rejections and expired deferrals), {@code Quarantined};
 * a recipient a rule redirected has {@code None}, Exchange's status for "rejected or redirected" (its
 * detail names where it went). Gatehouse has no distribution groups or spam verdicts, so {@code Expanded},
 * {@code FilteredAsSpam} and {@code GettingStatus} are accepted and match nothing.
 */
public final class MessageTraceService {

    /** Which cmdlet's limits apply. */
    public enum Flavor {
        /** Get-MessageTraceV2 / Get-MessageTraceDetailV2: 90 days of data. */
        V2(Duration.ofDays(90)),
        /** Get-MessageTrace / Get-MessageTraceDetail: 10 days of data. */
        LEGACY(Duration.ofDays(10));

        final Duration lookback;

        Flavor(Duration lookback) { this.lookback = lookback; }
    }

    public static final Duration MAX_SPAN = Duration.ofDays(10);
    public static final Duration DEFAULT_SPAN = Duration.ofHours(48);
    public static final int MAX_VALUES = 100;

    /** How {@code -Subject} is compared (not case-sensitive in every case). */
    public enum SubjectFilterType { Contains, StartsWith, EndsWith }

    /** A trace request as the cmdlets bind it; null or empty means "not given". */
    public record Request(Instant startDate, Instant endDate, List<String> senderAddress, List<String> recipientAddress,
                          List<String> messageId, String messageTraceId, List<String> fromIp, List<String> status, String subject,
                          SubjectFilterType subjectFilterType, String startingRecipientAddress, int offset, int resultSize) {
        public Request {
            senderAddress = senderAddress == null ? List.of() : List.copyOf(senderAddress);
            recipientAddress = recipientAddress == null ? List.of() : List.copyOf(recipientAddress);
            messageId = messageId == null ? List.of() : List.copyOf(messageId);
            fromIp = fromIp == null ? List.of() : List.copyOf(fromIp);
            status = status == null ? List.of() : List.copyOf(status);
            if (subjectFilterType == null) subjectFilterType = SubjectFilterType.Contains;
        }
    }

    /** One row of Get-MessageTraceV2, with Exchange's property names. Times are UTC. */
    public record MessageTraceRow(Instant Received, String SenderAddress, String RecipientAddress, String Subject, String Status,
                                  String ToIP, String FromIP, long Size, String MessageId, String MessageTraceId) {}

    /** One event of Get-MessageTraceDetailV2, with Exchange's property names. */
    public record MessageTraceDetailRow(Instant Date, String Event, String Action, String Detail, String Data, String MessageId,
                                        String MessageTraceId) {}

    private final MessageTrace trace;
    private final Clock clock;

    public MessageTraceService(Store store) { this(store, Clock.systemUTC()); }

    public MessageTraceService(Store store, Clock clock) {
        this.trace = new MessageTrace(store);
        this.clock = clock;
    }

    /** Get-MessageTraceV2 (or, with {@link Flavor#LEGACY}, Get-MessageTrace): one row per recipient copy. */
    public List<MessageTraceRow> search(long tenantId, Request r, Flavor flavor) {
        Instant[] window = window(r.startDate(), r.endDate(), flavor);
        limitValues("SenderAddress", r.senderAddress());
        limitValues("RecipientAddress", r.recipientAddress());
        limitValues("MessageId", r.messageId());
        limitValues("FromIP", r.fromIp());
        String traceId = r.messageTraceId() == null ? null : guid("MessageTraceId", r.messageTraceId());
        List<RecipientStatus> statuses = new ArrayList<>();
        for (String s : r.status()) statuses.addAll(statusesFor(s));
        if (!r.status().isEmpty() && statuses.isEmpty()) return List.of(); // only statuses Gatehouse never gives
        Addresses senders = Addresses.of(r.senderAddress());
        Addresses recipients = Addresses.of(r.recipientAddress());
        Predicate<TraceRow> filter = senders.filter(TraceRow::sender).and(recipients.filter(TraceRow::recipient));
        if (r.subject() != null && !r.subject().isEmpty()) filter = filter.and(subjectFilter(r.subject(), r.subjectFilterType()));
        boolean javaFilter = senders.hasWildcards() || recipients.hasWildcards() || (r.subject() != null && !r.subject().isEmpty());
        TraceSearch q = new TraceSearch(window[0], window[1], senders.exactForStore(), recipients.exactForStore(),
                r.messageId().stream().map(MessageTraceService::bracketed).toList(), traceId, r.fromIp(), statuses,
                emptyToNull(r.startingRecipientAddress()), javaFilter ? filter : null, r.offset(), r.resultSize());
        return trace.search(tenantId, q).stream().map(MessageTraceService::summary).toList();
    }

    /**
     * Get-MessageTraceDetailV2: the events of one message for one recipient, oldest first. Events that concern
     * the whole message (a rule's evaluation error) are shown to every recipient. Nothing when the tenant has
     * no such copy, or when {@code messageId} or {@code senderAddress} is given and the message has another.
     */
    public List<MessageTraceDetailRow> detail(long tenantId, String messageTraceId, String recipientAddress, Instant startDate,
                                              Instant endDate, List<String> events, List<String> actions, String messageId,
                                              String senderAddress, Flavor flavor) {
        String id = guid("MessageTraceId", messageTraceId);
        if (recipientAddress == null || recipientAddress.isBlank()) {
            throw new ValidationException("-RecipientAddress is required: the detail is per recipient of the message.");
        }
        Instant from = null;
        Instant to = null;
        if (startDate != null || endDate != null) {
            Instant[] w = window(startDate, endDate, flavor);
            from = w[0];
            to = w[1];
        }
        TraceRow copy = trace.copy(tenantId, id, recipientAddress.trim());
        if (copy == null) return List.of();
        if (messageId != null && !bracketed(messageId).equals(copy.internetMessageId())) return List.of();
        if (senderAddress != null && !senderAddress.trim().equalsIgnoreCase(copy.sender())) return List.of();
        Instant earliest = clock.instant().minus(flavor.lookback);
        List<MessageTraceDetailRow> out = new ArrayList<>();
        for (MessageTraceEvent e : trace.events(tenantId, id)) {
            if (e.recipient() != null && !e.recipient().equalsIgnoreCase(copy.recipient())) continue;
            if (e.timestamp().isBefore(earliest)) continue;
            if (from != null && (e.timestamp().isBefore(from) || e.timestamp().isAfter(to))) continue;
            MessageTraceDetailRow row = TraceEvents.row(e, copy);
            if (!events.isEmpty() && events.stream().noneMatch(v -> v.equalsIgnoreCase(row.Event()))) continue;
            if (!actions.isEmpty() && actions.stream().noneMatch(v -> v.equalsIgnoreCase(row.Action()))) continue;
            out.add(row);
        }
        return out;
    }

    /** [start, end]: defaults, the data window and the 10-day span, each refusal naming the parameter and value. */
    Instant[] window(Instant start, Instant end, Flavor flavor) {
        Instant now = clock.instant();
        if (start != null && end == null && start.isAfter(now)) {
            throw new ValidationException("-StartDate '" + start + "' is in the future: message trace shows mail already received.");
        }
        Instant e = end != null ? end : (start != null ? min(start.plus(MAX_SPAN), now) : now);
        Instant s = start != null ? start : e.minus(DEFAULT_SPAN);
        if (e.isBefore(s)) {
            throw new ValidationException("-EndDate '" + e + "' is earlier than -StartDate '" + s + "'.");
        }
        Instant earliest = now.minus(flavor.lookback).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (e.isBefore(earliest)) {
            throw new ValidationException("-EndDate '" + e + "' is too far back: " + (flavor == Flavor.V2 ? "message trace keeps 90 days"
                    : "Get-MessageTrace searches the last 10 days") + ", so the earliest date is " + earliest + ".");
        }
        if (start == null && s.isBefore(earliest)) s = earliest; // a default start never reaches past the data
        if (start != null && s.isBefore(earliest)) {
            throw new ValidationException("-StartDate '" + s + "' is too far back: "
                    + (flavor == Flavor.V2 ? "message trace keeps 90 days" : "Get-MessageTrace searches the last 10 days (Get-MessageTraceV2 "
                    + "searches 90)") + ", so the earliest start is " + earliest + ".");
        }
        if (Duration.between(s, e).compareTo(MAX_SPAN) > 0) {
            throw new ValidationException("-StartDate '" + s + "' and -EndDate '" + e + "' are more than 10 days apart: one query covers "
                    + "at most 10 days; search the rest of the period with another query.");
        }
        return new Instant[] {s, e};
    }

    /** The recipient statuses an Exchange -Status value stands for (none for Expanded, FilteredAsSpam, GettingStatus). */
    static List<RecipientStatus> statusesFor(String status) {
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "pending" -> List.of(RecipientStatus.Pending, RecipientStatus.AwaitingRelay);
            case "delivered" -> List.of(RecipientStatus.Delivered);
            case "failed" -> List.of(RecipientStatus.Failed);
            case "quarantined" -> List.of(RecipientStatus.Quarantined);
            case "none" -> List.of(RecipientStatus.Redirected);
            default -> List.of();
        };
    }

    /** How one stored event of {@code copy} reads in the detail (historical search's MessageTraceDetail report too). */
    public static MessageTraceDetailRow detailRow(MessageTraceEvent e, TraceRow copy) { return TraceEvents.row(e, copy); }

    /** Exchange's Status for a recipient status: Pending, Delivered, Failed, Quarantined or None (redirected). */
    public static String statusName(RecipientStatus s) { return status(s); }

    /** Exchange's Status for a recipient status. */
    static String status(RecipientStatus s) {
        return switch (s) {
            case Pending, AwaitingRelay -> "Pending";
            case Delivered -> "Delivered";
            case Failed -> "Failed";
            case Quarantined -> "Quarantined";
            case Redirected -> "None";
        };
    }

    private static MessageTraceRow summary(TraceRow r) {
        return new MessageTraceRow(r.received(), r.sender(), r.recipient(), r.subject(), status(r.status()), null, r.clientIp(), r.size(),
                r.internetMessageId(), r.networkMessageId());
    }

    private static Predicate<TraceRow> subjectFilter(String subject, SubjectFilterType type) {
        String wanted = subject.toLowerCase(Locale.ROOT);
        return row -> {
            String s = row.subject() == null ? "" : row.subject().toLowerCase(Locale.ROOT);
            return switch (type) {
                case Contains -> s.contains(wanted);
                case StartsWith -> s.startsWith(wanted);
                case EndsWith -> s.endsWith(wanted);
            };
        };
    }

    private static void limitValues(String parameter, List<String> values) {
        if (values.size() > MAX_VALUES) {
            throw new ValidationException("-" + parameter + " has " + values.size() + " values; at most " + MAX_VALUES + " are allowed.");
        }
    }

    static String guid(String parameter, String value) {
        return Guids.parse(parameter, value, " (like 0190a3c2-7b6e-7d41-9a8e-2f4c1b7e3d90): take it from the MessageTraceId column of "
                + "Get-MessageTraceV2.");
    }

    /** A Message-ID as stored, with its angle brackets, whether or not the admin typed them. */
    public static String bracketed(String messageId) {
        String v = messageId.trim();
        return v.startsWith("<") ? v : "<" + v + ">";
    }

    private static String emptyToNull(String s) { return s == null || s.isBlank() ? null : s.trim(); }

    private static Instant min(Instant a, Instant b) { return a.isBefore(b) ? a : b; }

    /** Address filters: exact values go to the store's index; values with * are matched here, ignoring case. */
    private record Addresses(List<String> exact, List<String> wildcards) {
        static Addresses of(List<String> values) {
            List<String> exact = new ArrayList<>();
            List<String> wild = new ArrayList<>();
            for (String v : values) {
                String t = v.trim();
                if (t.contains("*")) wild.add(t.toLowerCase(Locale.ROOT));
                else exact.add(t);
            }
            return new Addresses(exact, wild);
        }

        boolean hasWildcards() { return !wildcards.isEmpty(); }

        /**
         * Exact and wildcard values together: with only exact ones the store has filtered already; with
         * wildcards, the store cannot filter (an exact value or a pattern may match), so both are tested here.
         */
        Predicate<TraceRow> filter(java.util.function.Function<TraceRow, String> field) {
            if (wildcards.isEmpty()) return r -> true;
            return r -> {
                String v = field.apply(r);
                if (v == null) return false;
                for (String e : exact) if (e.equalsIgnoreCase(v)) return true;
                String lower = v.toLowerCase(Locale.ROOT);
                for (String w : wildcards) if (globMatches(w, lower)) return true;
                return false;
            };
        }

        List<String> exactForStore() { return wildcards.isEmpty() ? exact : List.of(); }
    }

    /**
     * Whether {@code text} matches {@code pattern}, where {@code *} is any run of characters and every other
     * character is itself. Greedy with one remembered star, so linear in practice and never worse than
     * pattern × text: a regular expression built from {@code *a*a*a*…*b} backtracks exponentially (13 stars
     * against a 62-character address ran for over a minute), and the pattern comes from the caller.
     */
    static boolean globMatches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') p++;
        return p == pattern.length();
    }
}
