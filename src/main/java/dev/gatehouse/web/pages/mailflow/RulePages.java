// Mail flow › Rules: the organization's transport rules in priority order, in words; created, changed, reordered, turned on and off, removed.
package dev.gatehouse.web.pages.mailflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.gatehouse.cmdlet.ErrorRecord;
import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.rules.RuleDescription;
import dev.gatehouse.rules.RuleService;
import dev.gatehouse.rules.TransportRule;
import dev.gatehouse.web.AdminCentre;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code /mailflow/rules}: reads through {@link RuleService} (scoped by the session's organization) and words each
 * rule with {@link RuleDescription}; every change runs New-, Set-, Enable-, Disable- or Remove-TransportRule. A rule
 * is addressed by its Guid. Moving a rule and turning it on or off answer an htmx request with the list alone.
 */
public final class RulePages implements AdminCentre.PageModule {
    static final String LIST = "/mailflow/rules";

    /** One rule of the list: its words, and whether it can move up or down. */
    public record Row(TransportRule rule, RuleDescription words, boolean first, boolean last) {
        public String id(String what) { return what + "-" + rule.guid(); }
    }

    /**
     * The list. {@code status} says what the last move or switch did (or why it failed), for a screen reader;
     * {@code focus} is the id of the button to focus after an htmx swap, or null.
     */
    public record ListView(List<Row> rows, String status, boolean failed, String focus) {}

    /** A rule's form: {@code guid} null for a new one; {@code notOnForm} are its parameters the form doesn't show. */
    public record Edit(String guid, String name, List<Section> sections, Form form, List<String> notOnForm) {
        public String action() { return guid == null ? LIST : LIST + "/" + guid; }
    }

    @Override public void mount(JavalinConfig config, AdminCentre centre) {
        config.routes.get(LIST, ctx -> list(centre, ctx));
        config.routes.get(LIST + "/new", ctx -> form(centre, ctx, new Edit(null, null, RuleForm.SECTIONS,
                Form.of(RuleForm.defaults()), List.of())));
        config.routes.post(LIST, ctx -> create(centre, ctx));
        config.routes.get(LIST + "/{guid}", on(centre, (ctx, r) -> form(centre, ctx, new Edit(r.guid(), r.name(), RuleForm.SECTIONS,
                Form.of(RuleForm.values(r)), RuleForm.notOnForm(r)))));
        config.routes.post(LIST + "/{guid}", on(centre, (ctx, r) -> change(centre, ctx, r)));
        config.routes.post(LIST + "/{guid}/priority", on(centre, (ctx, r) -> move(centre, ctx, r)));
        config.routes.post(LIST + "/{guid}/enabled", on(centre, (ctx, r) -> enable(centre, ctx, r)));
        config.routes.post(LIST + "/{guid}/delete", on(centre, (ctx, r) -> Changes.run(centre, ctx, "Remove-TransportRule",
                Map.of("Identity", r.guid()), "Removed the rule " + r.name() + ".", LIST, Changes.backTo(centre, ctx, LIST))));
    }

    private static RuleService service(AdminCentre centre) { return new RuleService(centre.services().store()); }

    /** A handler for the rule whose Guid the URL holds, in the session's organization. */
    private static Handler on(AdminCentre centre, BiConsumer<Context, TransportRule> then) {
        return Changes.on(centre, "rules", (c, ctx) -> service(c).get(c.tenant(ctx).id(), ctx.pathParam("guid")), then);
    }

    private static void list(AdminCentre centre, Context ctx) {
        centre.render(ctx, "mailflow/rules.jte", Map.of("page", centre.page(ctx, "Rules", "rules"),
                "view", new ListView(rows(centre, ctx), null, false, null)));
    }

    /** The organization's rules in priority order, in words. */
    private static List<Row> rows(AdminCentre centre, Context ctx) {
        List<TransportRule> rules = service(centre).list(centre.tenant(ctx).id());
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            rows.add(new Row(rules.get(i), RuleDescription.of(rules.get(i)), i == 0, i == rules.size() - 1));
        }
        return rows;
    }

    private static void form(AdminCentre centre, Context ctx, Edit edit) {
        String title = edit.guid() == null ? "New rule" : "Rule " + edit.name();
        centre.render(ctx, "mailflow/rule.jte", Map.of("page", centre.page(ctx, title, "rules"), "edit", edit));
    }

    private static void create(AdminCentre centre, Context ctx) {
        Form form = Form.posted(ctx, RuleForm.FIELDS);
        Changes.run(centre, ctx, "New-TransportRule", form.parameters(RuleForm.FIELDS, false),
                "Created the rule " + form.value("Name") + ".", LIST, r -> {
                    ctx.status(400);
                    form(centre, ctx, new Edit(null, null, RuleForm.SECTIONS, form.failed(r, RuleForm.FIELDS), List.of()));
                });
    }

    private static void change(AdminCentre centre, Context ctx, TransportRule rule) {
        Form form = Form.posted(ctx, RuleForm.FIELDS);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Identity", rule.guid());
        p.putAll(form.parameters(RuleForm.FIELDS, true));
        Changes.run(centre, ctx, "Set-TransportRule", p, "Saved the rule " + form.value("Name") + ".", LIST, r -> {
            ctx.status(400);
            form(centre, ctx, new Edit(rule.guid(), rule.name(), RuleForm.SECTIONS, form.failed(r, RuleForm.FIELDS), RuleForm.notOnForm(rule)));
        });
    }

    /** Move up or down: Set-TransportRule -Priority; the other rules shift as the cmdlet shifts them. */
    private static void move(AdminCentre centre, Context ctx, TransportRule rule) {
        boolean up = "up".equals(ctx.formParam("direction"));
        int to = rule.priority() + (up ? -1 : 1);
        RunResult r = centre.run(ctx, "Set-TransportRule", Map.of("Identity", rule.guid(), "Priority", to));
        String done = "Moved the rule " + rule.name() + " " + (up ? "up" : "down") + " to priority " + to + ".";
        listChanged(centre, ctx, r, done, rows -> {
            // the same button again, unless the rule is now at that end of the list and the button disabled
            Row moved = rows.stream().filter(row -> row.rule().guid().equals(rule.guid())).findFirst().orElseThrow();
            boolean atEnd = up ? moved.first() : moved.last();
            return moved.id(up != atEnd ? "up" : "down");
        });
    }

    private static void enable(AdminCentre centre, Context ctx, TransportRule rule) {
        boolean on = Form.TICKED.equals(ctx.formParam("Enabled"));
        RunResult r = centre.run(ctx, (on ? "Enable" : "Disable") + "-TransportRule", Map.of("Identity", rule.guid()));
        String done = (on ? "Turned on" : "Turned off") + " the rule " + rule.name() + ".";
        listChanged(centre, ctx, r, done, rows -> "enabled-" + rule.guid());
    }

    /**
     * After a move or a switch: for htmx, the list alone, saying what happened, with the focus on the button
     * {@code focus} picks; for a plain form, the notice and the page.
     */
    private static void listChanged(AdminCentre centre, Context ctx, RunResult r, String done, Function<List<Row>, String> focus) {
        String status = r.succeeded() ? done : String.join(" ", r.errors().stream().map(ErrorRecord::message).toList());
        if (ctx.header("HX-Request") == null) {
            centre.session(ctx).notice(status);
            AdminCentre.redirect(ctx, LIST);
            return;
        }
        List<Row> rows = rows(centre, ctx);
        centre.render(ctx, "mailflow/ruleList.jte", Map.of("view", new ListView(rows, status, !r.succeeded(), focus.apply(rows)),
                "csrf", centre.session(ctx).csrf()));
    }
}
