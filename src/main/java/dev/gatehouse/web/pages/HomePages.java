// Home: the organization at a glance: mail today and for 7 days by outcome, and the Direct Send panel.
package dev.gatehouse.web.pages;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.reports.MailFlowSummary;
import dev.gatehouse.reports.MailFlowSummaryService;
import dev.gatehouse.web.AdminCentre;
import io.javalin.config.JavalinConfig;

/** {@code GET /}: the home page, from {@link MailFlowSummaryService} (what {@code Get-MailFlowSummary} shows). */
public final class HomePages implements AdminCentre.PageModule {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One outcome as the page names it, and how to read it off the counts. */
    public record Outcome(String label, String key, java.util.function.ToLongFunction<MailFlowSummary.Outcomes> count) {
        public long of(MailFlowSummary.Outcomes o) { return count.applyAsLong(o); }
    }

    /** In the order the page shows them; the last three only when they happened. */
    public static final List<Outcome> OUTCOMES = List.of(
            new Outcome("Delivered", "delivered", MailFlowSummary.Outcomes::delivered),
            new Outcome("Quarantined", "quarantined", MailFlowSummary.Outcomes::quarantined),
            new Outcome("Rejected by rules", "rejected", MailFlowSummary.Outcomes::rejectedByRule),
            new Outcome("Refused at SMTP", "refused", MailFlowSummary.Outcomes::refusedAtSmtp),
            new Outcome("Pending", "pending", MailFlowSummary.Outcomes::pending),
            new Outcome("Deleted by rules", "deleted", MailFlowSummary.Outcomes::deletedByRule),
            new Outcome("Redirected", "redirected", MailFlowSummary.Outcomes::redirected),
            new Outcome("Failed", "failed", MailFlowSummary.Outcomes::failed));

    @Override public void mount(JavalinConfig config, AdminCentre centre) {
        config.routes.get("/", ctx -> {
            MailFlowSummary s = new MailFlowSummaryService(centre.services().store()).summarize(centre.tenant(ctx).id());
            centre.render(ctx, "home.jte", Map.of("page", centre.page(ctx, "Home", "home"), "summary", s, "outcomes", shown(s),
                    "chart", chart(s)));
        });
    }

    /** The first five always; the rarer ones when the week had any. */
    static List<Outcome> shown(MailFlowSummary s) {
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < OUTCOMES.size(); i++) {
            if (i < 5 || OUTCOMES.get(i).of(s.lastSevenDays()) > 0) out.add(OUTCOMES.get(i));
        }
        return out;
    }

    /** The 7-day chart's JSON (app.js draws it): one series per outcome shown. */
    static String chart(MailFlowSummary s) {
        ObjectNode c = JSON.createObjectNode();
        c.put("title", "Mail by outcome, last 7 days (UTC)");
        c.put("bars", false);
        c.put("yLabel", "recipient copies");
        ArrayNode x = c.putArray("x");
        for (MailFlowSummary.Day d : s.days()) x.add(d.date().atStartOfDay(ZoneOffset.UTC).toEpochSecond());
        ArrayNode series = c.putArray("series");
        for (Outcome o : shown(s)) {
            ObjectNode one = series.addObject();
            one.put("label", o.label());
            ArrayNode v = one.putArray("values");
            for (MailFlowSummary.Day d : s.days()) v.add(o.of(d.outcomes()));
        }
        return c.toString();
    }
}
