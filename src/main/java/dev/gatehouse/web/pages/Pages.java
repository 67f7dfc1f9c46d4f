// The admin centre's areas, in the order of the navigation.
package dev.gatehouse.web.pages;

import java.util.List;

import dev.gatehouse.web.AdminCentre;
import dev.gatehouse.web.pages.reports.InboundReportPages;

/** Every page module the admin centre mounts. */
public final class Pages {
    private Pages() {}

    public static List<AdminCentre.PageModule> all() {
        return List.of(
                new HomePages(),
                new InboundReportPages(),
                new dev.gatehouse.web.pages.mailflow.ConnectorPages(),
                new dev.gatehouse.web.pages.mailflow.RulePages(),
                new dev.gatehouse.web.pages.mailflow.DomainPages(),
                new HistoricalSearchPages(), // before TracePages: /trace/searches is matched before /trace/{id}
                new TracePages(),
                new QuarantinePages(),
                new HuntingPages());
    }
}
