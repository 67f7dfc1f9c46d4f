// Message trace: the search (Get-MessageTraceV2, and the header's "What happened to this message?") and one message's events.
package dev.gatehouse.web.pages;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.trace.MessageTraceService;
import dev.gatehouse.trace.MessageTraceService.MessageTraceDetailRow;
import dev.gatehouse.trace.MessageTraceService.MessageTraceRow;
import dev.gatehouse.web.AdminCentre;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * {@code GET /trace} searches with Get-MessageTraceV2's filters, a page of {@code ResultSize} rows at a time; the next
 * page continues after the last row as the cmdlet says (that row's Received as {@code -EndDate}, its recipient as
 * {@code -StartingRecipientAddress}). {@code GET /trace?q=...} is the header's box: a Message-ID, a MessageTraceId or a
 * sender's address, searched over the last 10 days (one query's most); one match opens its events directly.
 * {@code GET /trace/{MessageTraceId}?recipient=...} shows one recipient's events (Get-MessageTraceDetailV2). Every
 * search runs on the session's organization: another's message is not found.
 */
public final class TracePages implements AdminCentre.PageModule {
    static final String[] FILTERS = {"SenderAddress", "RecipientAddress", "MessageId", "MessageTraceId", "Subject", "SubjectFilterType",
            "Status", "FromIP", "StartDate", "EndDate", "ResultSize"};
    public static final List<String> STATUSES = List.of("Delivered", "Failed", "Pending", "Quarantined", "None");
    public static final List<String> SIZES = List.of("50", "100", "250", "1000");
    static final Duration BOX_WINDOW = Duration.ofDays(10);
    private static final Pattern GUID = Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private AdminCentre centre;

    @Override public void mount(JavalinConfig config, AdminCentre centre) {
        this.centre = centre;
        config.routes.get("/trace", this::search);
        config.routes.get("/trace/{id}", this::message);
    }

    /** {@code GET /trace}: the form and, always, its results (with nothing given: the last 48 hours). */
    private void search(Context ctx) {
        String q = ctx.queryParam("q");
        if (q != null && !q.isBlank()) {
            box(ctx, q.strip());
            return;
        }
        Form form = Form.query(ctx, FILTERS);
        Search s = run(ctx, form, ctx.queryParam("StartingRecipientAddress"), ctx.queryParam("StartingReceived"));
        if (!s.result().succeeded()) ctx.status(400);
        show(ctx, s, "");
    }

    private record Search(Form form, RunResult result, List<MessageTraceRow> rows, int size, boolean continued) {}

    /**
     * Get-MessageTraceV2 with the form's filters; {@code startingRecipient} and {@code startingReceived} (the last row
     * shown, both or neither) continue after that row.
     */
    private Search run(Context ctx, Form form, String startingRecipient, String startingReceived) {
        Map<String, Object> p = new LinkedHashMap<>();
        form.list(p, "SenderAddress").list(p, "RecipientAddress").list(p, "MessageId").text(p, "MessageTraceId").text(p, "Subject")
                .text(p, "SubjectFilterType").choices(p, "Status").list(p, "FromIP").text(p, "StartDate").text(p, "EndDate");
        boolean continued = startingRecipient != null && startingReceived != null;
        if (continued) {
            p.put("StartingRecipientAddress", startingRecipient);
            p.put("EndDate", startingReceived);
        }
        p.put("ResultSize", form.has("ResultSize") ? form.value("ResultSize") : SIZES.getFirst());
        RunResult r = centre.run(ctx, "Get-MessageTraceV2", p);
        form.errors(r);
        List<MessageTraceRow> rows = r.objects().stream().map(MessageTraceRow.class::cast).toList();
        return new Search(form, r, rows, Form.number(form.value("ResultSize"), Integer.parseInt(SIZES.getFirst())), continued);
    }

    private void show(Context ctx, Search s, String box) {
        Form form = s.form();
        MessageTraceRow last = s.rows().size() == s.size() ? s.rows().getLast() : null;
        String next = last == null ? "" : form.url("/trace", "StartDate", start(form), "StartingReceived", last.Received().toString(),
                "StartingRecipientAddress", last.RecipientAddress());
        centre.render(ctx, "trace/search.jte", Map.of("page", centre.page(ctx, "Message trace", "trace"), "form", form, "rows", s.rows(),
                "next", next, "continued", s.continued(), "box", box));
    }

    /**
     * The start of the search's window, so that the next pages keep it when the last row moves the end: as given, or
     * the cmdlet's default, 48 hours before the end (a {@code datetime-local} value, as the form sends it) or now.
     */
    private static String start(Form form) {
        if (form.has("StartDate")) return form.value("StartDate");
        Instant end = Instant.now();
        if (form.has("EndDate")) {
            try {
                end = LocalDateTime.parse(form.value("EndDate")).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return null; // not the form's own format: the cmdlet's default then applies on every page
            }
        }
        return Formats.inputTime(end.minus(MessageTraceService.DEFAULT_SPAN));
    }

    /**
     * The header's box, over the last 10 days: a GUID is a MessageTraceId; {@code <id@host>} a Message-ID; {@code x@host}
     * a Message-ID, or else a sender's address; anything else a sender's address. When one message matches, its events open.
     */
    private void box(Context ctx, String q) {
        // to the minute, as the form shows it, and within the 10 days: with no EndDate the search then ends now
        String start = Formats.inputTime(Instant.now().minus(BOX_WINDOW).plus(Duration.ofMinutes(1)));
        List<String> fields = GUID.matcher(q).matches() ? List.of("MessageTraceId")
                : q.startsWith("<") ? List.of("MessageId") : q.contains("@") ? List.of("MessageId", "SenderAddress") : List.of("SenderAddress");
        Search s = null;
        for (String field : fields) {
            s = run(ctx, Form.of(Map.of(field, q, "StartDate", start), FILTERS), null, null);
            if (!s.rows().isEmpty() || !s.result().succeeded()) break;
        }
        if (!s.rows().isEmpty() && s.rows().stream().map(MessageTraceRow::MessageTraceId).distinct().count() == 1) {
            AdminCentre.redirect(ctx, detailUrl(s.rows().getFirst())); // one message (to one or more recipients)
            return;
        }
        show(ctx, s, q);
    }

    /** {@code GET /trace/{MessageTraceId}?recipient=...}: the message, its recipients, and one recipient's events. */
    private void message(Context ctx) {
        String id = ctx.pathParam("id");
        String recipient = ctx.queryParam("recipient");
        if (recipient == null || recipient.isBlank()) {
            RunResult any = centre.run(ctx, "Get-MessageTraceV2", Map.of("MessageTraceId", id,
                    "StartDate", Instant.now().minus(BOX_WINDOW).toString(), "ResultSize", 1));
            if (any.objects().isEmpty()) {
                notFound(ctx, any.succeeded() ? "No message with the MessageTraceId '" + id + "' was received in the last 10 days."
                        : AdminCentre.fieldErrors(any).values().iterator().next());
                return;
            }
            recipient = ((MessageTraceRow) any.objects().getFirst()).RecipientAddress();
        }
        RunResult events = centre.run(ctx, "Get-MessageTraceDetailV2", Map.of("MessageTraceId", id, "RecipientAddress", recipient));
        if (events.objects().isEmpty()) {
            notFound(ctx, events.succeeded() ? "The message '" + id + "' to '" + recipient + "' couldn't be found."
                    : AdminCentre.fieldErrors(events).values().iterator().next());
            return;
        }
        List<MessageTraceDetailRow> timeline = events.objects().stream().map(MessageTraceDetailRow.class::cast).toList();
        // the message's copies: received when its first event happened
        Instant at = timeline.getFirst().Date();
        List<MessageTraceRow> copies = centre.run(ctx, "Get-MessageTraceV2", Map.of("MessageTraceId", id, "StartDate",
                at.minusSeconds(60).toString(), "EndDate", at.plusSeconds(60).toString(), "ResultSize", 1000)).objects().stream()
                .map(MessageTraceRow.class::cast).toList();
        String chosen = recipient;
        MessageTraceRow copy = copies.stream().filter(c -> c.RecipientAddress().equalsIgnoreCase(chosen)).findFirst().orElse(null);
        centre.render(ctx, "trace/message.jte", Map.of("page", centre.page(ctx, "Message trace details", "trace"), "copy",
                copy == null ? new MessageTraceRow(at, "", recipient, "", "", null, null, 0, timeline.getFirst().MessageId(), id) : copy,
                "copies", copies, "events", timeline));
    }

    /** Where one row's events are shown. */
    public static String detailUrl(MessageTraceRow row) {
        return "/trace/" + row.MessageTraceId() + "?recipient=" + Formats.query(row.RecipientAddress());
    }

    private void notFound(Context ctx, String message) {
        NotFound.render(centre, ctx, "trace", "Message trace details", message, "/trace", "Back to message trace");
    }
}
