// Historical searches: the organization's reports with their progress, starting one, stopping one, downloading a finished one.
package dev.gatehouse.web.pages;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.reports.HistoricalSearch;
import dev.gatehouse.reports.HistoricalSearchService;
import dev.gatehouse.web.AdminCentre;
import dev.gatehouse.web.HttpApi;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * {@code /trace/searches}: Get-HistoricalSearch's list (the table polls itself every 5 seconds while a search is waiting
 * or running), the Start-HistoricalSearch form, Stop-HistoricalSearch, and the finished report, served as the admin API
 * serves it ({@link HistoricalSearchService#file}) but with the session instead of a bearer token.
 */
public final class HistoricalSearchPages implements AdminCentre.PageModule {
    static final String[] START = {"ReportTitle", "ReportType", "StartDate", "EndDate", "SenderAddress", "RecipientAddress", "MessageID",
            "NotifyAddress"};
    /** The reports Gatehouse makes (Start-HistoricalSearch refuses Exchange's others, saying why). */
    public static final List<String> TYPES = List.of("MessageTrace", "MessageTraceDetail", "ConnectorReport", "TransportRule", "Refusals");

    private AdminCentre centre;

    @Override public void mount(JavalinConfig config, AdminCentre centre) {
        this.centre = centre;
        config.routes.get("/trace/searches", ctx -> page(ctx, defaults()));
        config.routes.post("/trace/searches", this::start);
        config.routes.get("/trace/searches/table", this::table);
        config.routes.post("/trace/searches/{jobId}/stop", this::stop);
        config.routes.get("/trace/searches/{jobId}/report", this::report);
    }

    /** The start form as it opens: the last seven days, through today. */
    private static Form defaults() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return Form.of(Map.of("ReportType", "MessageTrace", "StartDate", today.minusDays(7).toString(), "EndDate", today.plusDays(1).toString()),
                START);
    }

    private void page(Context ctx, Form form) {
        centre.render(ctx, "trace/searches.jte", Map.of("page", centre.page(ctx, "Historical searches", "trace"), "form", form,
                "searches", searches(ctx)));
    }

    /** {@code GET /trace/searches/table}: the list alone, for the page's polling. */
    private void table(Context ctx) {
        centre.render(ctx, "trace/searchtable.jte", Map.of("searches", searches(ctx), "csrf", centre.session(ctx).csrf()));
    }

    private List<HistoricalSearch> searches(Context ctx) {
        return centre.run(ctx, "Get-HistoricalSearch", Map.of()).objects().stream().map(HistoricalSearch.class::cast).toList();
    }

    /** {@code POST /trace/searches}: Start-HistoricalSearch with the form's values. */
    private void start(Context ctx) {
        Form form = Form.posted(ctx, START);
        Map<String, Object> p = new LinkedHashMap<>();
        form.text(p, "ReportTitle").text(p, "ReportType").text(p, "StartDate").text(p, "EndDate").list(p, "SenderAddress")
                .list(p, "RecipientAddress").list(p, "MessageID").list(p, "NotifyAddress");
        RunResult r = centre.run(ctx, "Start-HistoricalSearch", p);
        if (!r.succeeded()) {
            ctx.status(400);
            page(ctx, form.errors(r));
            return;
        }
        HistoricalSearch s = (HistoricalSearch) r.objects().getFirst();
        centre.session(ctx).notice("The search '" + s.ReportTitle() + "' has started; its report appears here when it's done.");
        AdminCentre.redirect(ctx, "/trace/searches");
    }

    /** {@code POST /trace/searches/{jobId}/stop}: Stop-HistoricalSearch (only a search that hasn't started can be). */
    private void stop(Context ctx) {
        RunResult r = centre.run(ctx, "Stop-HistoricalSearch", Map.of("JobId", ctx.pathParam("jobId")));
        if (!r.succeeded() && NotFound.missing(r)) {
            notFound(ctx, AdminCentre.fieldErrors(r).values().iterator().next());
            return;
        }
        centre.session(ctx).notice(r.succeeded() ? "The search was stopped." : AdminCentre.fieldErrors(r).values().iterator().next());
        AdminCentre.redirect(ctx, "/trace/searches");
    }

    /** {@code GET /trace/searches/{jobId}/report}: the finished report, to save (the organization's own only). */
    private void report(Context ctx) {
        HistoricalSearchService.ReportFile file;
        try {
            file = centre.services().historicalSearch().file(centre.tenant(ctx).id(), ctx.pathParam("jobId"));
        } catch (NotFoundException | ValidationException e) {
            notFound(ctx, e.getMessage());
            return;
        }
        HttpApi.attachment(ctx, file.downloadName(), file.contentType(), file.path());
    }

    private void notFound(Context ctx, String message) {
        NotFound.render(centre, ctx, "trace", "Historical searches", message, "/trace/searches", "Back to historical searches");
    }

    /** Whether the list should keep polling: a search is waiting or running. */
    public static boolean running(List<HistoricalSearch> searches) {
        return searches.stream().anyMatch(s -> s.Status().equals("NotStarted") || s.Status().equals("InProgress"));
    }
}
