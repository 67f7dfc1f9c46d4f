// Reports › Inbound messages (spec §10): Get-InboundMessagesReport as a page, with its charts, details table and CSV export.
package dev.gatehouse.web.pages.reports;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.connector.InboundConnector;
import dev.gatehouse.connector.InboundConnectorService;
import dev.gatehouse.reports.Csv;
import dev.gatehouse.trace.InboundMessagesReport.Row;
import dev.gatehouse.web.AdminCentre;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * {@code GET /reports/inbound}: the range form, "Message volume" and "Messages by TLS used" charts, and the "Connector
 * report details" table; {@code GET /reports/inbound.csv} with the same query: exactly the table's rows, every page.
 *
 * <p>Thin: each request runs Get-InboundMessagesReport on the session's organization with the form's fields as its
 * parameters, so the limits (90 days back, end after start) and their messages are the cmdlet's, shown next to the
 * field they name. One page answers both a plain GET (the form works without script) and htmx, which asks for the
 * same page and swaps in the part that changed ({@code hx-select}), so history and reloads need nothing more.
 */
public final class InboundReportPages implements AdminCentre.PageModule {
    static final String CMDLET = "Get-InboundMessagesReport";

    @Override public void mount(JavalinConfig config, AdminCentre centre) {
        config.routes.get("/reports/inbound", ctx -> page(ctx, centre));
        config.routes.get("/reports/inbound.csv", ctx -> csv(ctx, centre));
    }

    private static void page(Context ctx, AdminCentre centre) {
        Instant now = Instant.now();
        InboundQuery q = InboundQuery.from(ctx, LocalDate.ofInstant(now, ZoneOffset.UTC));
        RunResult r = centre.run(ctx, CMDLET, q.cmdletParameters());
        List<String> connectors = new InboundConnectorService(centre.services().store()).list(centre.tenant(ctx).id()).stream()
                .map(InboundConnector::Name).sorted(String.CASE_INSENSITIVE_ORDER).toList();
        InboundView view = InboundView.of(q, rows(r), AdminCentre.fieldErrors(r), connectors, now);
        centre.render(ctx, "reports/inbound.jte", Map.of("page", centre.page(ctx, "Inbound messages", "inbound"), "view", view));
    }

    private static void csv(Context ctx, AdminCentre centre) {
        InboundQuery q = InboundQuery.from(ctx, LocalDate.now(ZoneOffset.UTC));
        RunResult r = centre.run(ctx, CMDLET, q.cmdletParameters());
        if (!r.succeeded()) {
            ctx.status(400).contentType("text/plain; charset=utf-8")
                    .result(String.join("\n", AdminCentre.fieldErrors(r).values()));
            return;
        }
        StringWriter out = new StringWriter();
        try {
            out.write(Csv.BOM);
            Csv.row(out, Arrays.stream(InboundColumn.values()).map(c -> c.heading).toList());
            for (Row row : InboundView.details(q, rows(r))) {
                Csv.row(out, Arrays.stream(InboundColumn.values()).map(c -> c.value(row)).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter doesn't fail
        }
        ctx.header("Content-Disposition", "attachment; filename=\"inbound-messages-" + safe(q.startDate()) + "-to-" + safe(q.endDate())
                + ".csv\"");
        ctx.contentType("text/csv; charset=utf-8").result(out.toString());
    }

    private static List<Row> rows(RunResult r) {
        List<Row> rows = new ArrayList<>();
        if (r.succeeded()) for (Object o : r.objects()) rows.add((Row) o);
        return rows;
    }

    /** A typed day, kept to the characters a file name can always hold. */
    private static String safe(String day) { return day.replaceAll("[^0-9A-Za-z-]", ""); }
}
