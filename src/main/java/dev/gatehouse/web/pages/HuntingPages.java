// Advanced hunting: the KQL editor, the result 100 rows a page with its chart, and the whole result as CSV.
package dev.gatehouse.web.pages;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.directory.Tenant;
import dev.gatehouse.hunting.HuntingSchema;
import dev.gatehouse.hunting.HuntingService;
import dev.gatehouse.kql.ColumnarTable.Column;
import dev.gatehouse.kql.Pos;
import dev.gatehouse.reports.Csv;
import dev.gatehouse.web.AdminCentre;
import dev.gatehouse.web.HuntingRun;
import dev.gatehouse.web.HuntingRun.Refused;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpSession;

/**
 * {@code GET /hunting} the page (with the session's last result, if any); {@code POST /hunting/run} runs the query
 * ({@code query}) and answers the result, or the refusal with REST's status (400 with the position, 413, 429, 504);
 * {@code GET /hunting/result?run=&page=} one page of the kept result; {@code GET /hunting/export.csv?run=} all of it.
 * An htmx request gets the part of the page that changes; any other the whole page, so the form and the pager also
 * work as plain links and posts. The query runs through {@link HuntingRun}, as REST's does: same limits, same
 * messages, same log line. See {@link KeptHuntingResult} for why pages come from the kept result.
 */
public final class HuntingPages implements AdminCentre.PageModule {
    static final String TITLE = "Advanced hunting";
    static final Refused GONE = new Refused(410, "Gone", "This result is no longer kept: each run replaces the last one (in any tab), and "
            + "it ends with the session. Run the query again.", Pos.NONE);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** The tables a query can read, for the schema panel. */
    public record SchemaTable(String name, List<HuntingResultView.Header> columns) {}

    static final List<SchemaTable> SCHEMA = List.of(
            table(HuntingSchema.EMAIL_EVENTS, HuntingSchema.EMAIL_EVENTS_COLUMNS),
            table(HuntingSchema.EMAIL_ATTACHMENT_INFO, HuntingSchema.EMAIL_ATTACHMENT_INFO_COLUMNS),
            table(HuntingSchema.EMAIL_URL_INFO, HuntingSchema.EMAIL_URL_INFO_COLUMNS),
            table(HuntingSchema.EMAIL_POST_DELIVERY_EVENTS, HuntingSchema.EMAIL_POST_DELIVERY_EVENTS_COLUMNS));

    private AdminCentre centre;

    @Override public void mount(JavalinConfig config, AdminCentre centre) {
        this.centre = centre;
        config.routes.get("/hunting", ctx -> page(ctx, kept(ctx, null), null, 1));
        config.routes.post("/hunting/run", this::run);
        config.routes.get("/hunting/result", this::resultPage);
        config.routes.get("/hunting/export.csv", this::export);
    }

    private void run(Context ctx) {
        String query = ctx.formParam("query") == null ? "" : ctx.formParam("query").replace("\r\n", "\n");
        HttpSession session = ctx.req().getSession(false);
        Tenant tenant = centre.tenant(ctx); // read once: the result is kept as the organization it ran on
        KeptHuntingResult.drop(session); // before the next runs: never two results held at once
        HuntingRun.Outcome outcome = query.isBlank() ? new Refused(400, "BadRequest", "Enter a query to run.", Pos.NONE)
                : HuntingRun.run(centre.services().hunting(), centre.session(ctx).principal(), tenant, query, HuntingService.ROW_CAP);
        switch (outcome) {
            case HuntingRun.Answered a -> {
                KeptHuntingResult kept = KeptHuntingResult.keep(session, tenant.id(), query, a);
                if (htmx(ctx)) result(ctx, null, HuntingResultView.of(kept, 1));
                else page(ctx, kept, null, 1);
            }
            case Refused r -> refuse(ctx, query, r);
        }
    }

    private void resultPage(Context ctx) {
        KeptHuntingResult kept = kept(ctx, ctx.queryParam("run"));
        if (kept == null) {
            refuse(ctx, "", GONE);
            return;
        }
        int page = pageNumber(ctx.queryParam("page"));
        if (htmx(ctx)) centre.render(ctx, "hunting/table.jte", Map.of("result", HuntingResultView.of(kept, page)));
        else page(ctx, kept, null, page);
    }

    /** The whole kept result as CSV: the header row of column names, then every row as the table shows it. */
    private void export(Context ctx) {
        KeptHuntingResult kept = kept(ctx, ctx.queryParam("run"));
        if (kept == null) {
            refuse(ctx, "", GONE);
            return;
        }
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"hunting-" + FILE_TIME.format(kept.ranAt()) + ".csv\"");
        List<Column> columns = kept.result().columns();
        try (Writer w = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8))) {
            w.write(Csv.BOM);
            Csv.row(w, columns.stream().map(Column::name).toList());
            for (Object[] row : kept.result().rows()) {
                Csv.row(w, HuntingResultView.cells(columns, row).stream().map(HuntingResultView.Cell::text).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A refusal with its status: next to the editor when the query is at fault, in the result's place otherwise. */
    private void refuse(Context ctx, String query, Refused r) {
        ctx.status(r.status());
        if (r.status() == 429) ctx.header("Retry-After", String.valueOf(HuntingRun.RETRY_AFTER));
        if (!htmx(ctx)) {
            page(ctx, null, r, 1, query);
            return;
        }
        ctx.header("HX-Retarget", "#hunting-result"); // a stale pager link answers in the result's place, not the table's
        ctx.header("HX-Reswap", "innerHTML");
        result(ctx, r, null);
    }

    private void page(Context ctx, KeptHuntingResult kept, Refused refused, int page) {
        page(ctx, kept, refused, page, kept == null ? "" : kept.query());
    }

    private void page(Context ctx, KeptHuntingResult kept, Refused refused, int page, String query) {
        Map<String, Object> m = new HashMap<>();
        m.put("page", centre.page(ctx, TITLE, "hunting"));
        m.put("query", query);
        m.put("refused", refused);
        m.put("result", kept == null ? null : HuntingResultView.of(kept, page));
        m.put("schema", SCHEMA);
        centre.render(ctx, "hunting/page.jte", m);
    }

    /** htmx's answer to a run: the result's place, and the editor's error (out of band: the editor itself stays as typed). */
    private void result(Context ctx, Refused refused, HuntingResultView result) {
        Map<String, Object> m = new HashMap<>();
        m.put("refused", refused);
        m.put("result", result);
        m.put("oob", true);
        centre.render(ctx, "hunting/result.jte", m);
    }

    private KeptHuntingResult kept(Context ctx, String id) {
        if (id != null && id.isBlank()) return null;
        return KeptHuntingResult.find(ctx.req().getSession(false), centre.tenant(ctx).id(), id);
    }

    /** A message as a sentence: the engine's and the service's start in lower case and end without a full stop. */
    public static String sentence(String message) {
        if (message == null || message.isEmpty()) return "";
        String s = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return ".!?".indexOf(s.charAt(s.length() - 1)) >= 0 ? s : s + ".";
    }

    private static boolean htmx(Context ctx) { return ctx.header("HX-Request") != null; }

    private static int pageNumber(String text) {
        try {
            return text == null ? 1 : Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static SchemaTable table(String name, List<Column> columns) {
        return new SchemaTable(name, columns.stream().map(HuntingResultView.Header::of).toList());
    }
}
