// Quarantine: the quarantined messages (filter, page), one message read safely, release, delete, download of the original.
package dev.gatehouse.web.pages;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.quarantine.QuarantineMessage;
import dev.gatehouse.quarantine.QuarantineService;
import dev.gatehouse.web.AdminCentre;
import dev.gatehouse.web.HttpApi;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * Every route runs a quarantine cmdlet on the session's organization, so another organization's message is "not
 * found" (404) here as in the shell. A message's identity {@code GUID1\GUID2} is the path {@code /quarantine/GUID1/GUID2}.
 * Nothing from a message is rendered as markup: {@code Preview-QuarantineMessage} reduces it to headers, text and
 * attachment names, and the templates escape all of it; the original is only ever downloaded, as an attachment.
 */
public final class QuarantinePages implements AdminCentre.PageModule {
    static final int PAGE_SIZE = 50;
    static final String[] FILTERS = {"SenderAddress", "RecipientAddress", "Subject", "MessageId", "StartReceivedDate",
            "EndReceivedDate", "ReleaseStatus"};
    static final String[] RELEASE = {"To", "User", "Force"};
    private static final String ONE = "/quarantine/{message}/{copy}";

    private AdminCentre centre;

    @Override public void mount(JavalinConfig config, AdminCentre centre) {
        this.centre = centre;
        config.routes.get("/quarantine", this::list);
        config.routes.post("/quarantine/selected", this::selected);
        config.routes.get(ONE, ctx -> message(ctx, Form.of(Map.of(), RELEASE)));
        config.routes.get(ONE + "/original.eml", this::download);
        config.routes.post(ONE + "/release", this::release);
        config.routes.post(ONE + "/delete", this::delete);
    }

    /** {@code GET /quarantine}: Get-QuarantineMessage with the filters given, a page at a time ({@code Page}), newest first. */
    private void list(Context ctx) {
        Form form = Form.query(ctx, FILTERS);
        Map<String, Object> p = new LinkedHashMap<>();
        form.list(p, "SenderAddress").list(p, "RecipientAddress").text(p, "Subject").text(p, "MessageId")
                .text(p, "StartReceivedDate").text(p, "EndReceivedDate").text(p, "ReleaseStatus");
        String page = ctx.queryParam("Page");
        if (page != null) p.put("Page", page);
        p.put("PageSize", PAGE_SIZE);
        RunResult r = centre.run(ctx, "Get-QuarantineMessage", p);
        form.errors(r);
        if (!r.succeeded()) ctx.status(400);
        List<QuarantineMessage> rows = r.objects().stream().map(QuarantineMessage.class::cast).toList();
        centre.render(ctx, "quarantine/list.jte", Map.of("page", centre.page(ctx, "Quarantine", "quarantine"), "form", form,
                "rows", rows, "pageNumber", r.succeeded() ? Form.number(page, 1) : 1,
                "more", rows.size() == PAGE_SIZE));
    }

    /** {@code GET /quarantine/GUID1/GUID2}: the message as Preview-QuarantineMessage reads it, with what can be done to it. */
    private void message(Context ctx, Form release) {
        String id = identity(ctx);
        RunResult preview = centre.run(ctx, "Preview-QuarantineMessage", Map.of("Identity", id));
        RunResult copy = preview.succeeded() ? centre.run(ctx, "Get-QuarantineMessage", Map.of("Identity", id)) : preview;
        if (!copy.succeeded()) {
            notFound(ctx, copy);
            return;
        }
        centre.render(ctx, "quarantine/message.jte", Map.of("page", centre.page(ctx, "Quarantined message", "quarantine"),
                "preview", preview.objects().getFirst(), "message", copy.objects().getFirst(), "release", release,
                "path", "/quarantine/" + ctx.pathParam("message") + "/" + ctx.pathParam("copy")));
    }

    /**
     * {@code POST .../release}: to the message's recipient ({@code To=recipient}: -ReleaseToAll) or to the addresses
     * in {@code User}; {@code Force} releases again to those who already got it.
     */
    private void release(Context ctx) {
        Form form = Form.posted(ctx, RELEASE);
        Map<String, Object> p = new LinkedHashMap<>(Map.of("Identity", identity(ctx)));
        if (form.value("To").equals("others")) {
            form.list(p, "User");
            if (!p.containsKey("User")) {
                // -User with no address would release to nobody: ask for one rather than run that
                ctx.status(400);
                message(ctx, form.with("User", "").errorOn("User", "Enter the addresses to release to, separated by commas: "
                        + "recipients of your organization."));
                return;
            }
        } else {
            p.put("ReleaseToAll", true);
        }
        if (form.chosen("Force", "true")) p.put("Force", true);
        RunResult r = centre.run(ctx, "Release-QuarantineMessage", p);
        if (!r.succeeded()) {
            if (NotFound.missing(r)) notFound(ctx, r);
            else {
                ctx.status(400);
                message(ctx, form.errors(r));
            }
            return;
        }
        var result = (QuarantineService.ReleaseResult) r.objects().getFirst();
        centre.session(ctx).notice(released(result));
        AdminCentre.redirect(ctx, "/quarantine/" + ctx.pathParam("message") + "/" + ctx.pathParam("copy"));
    }

    static String released(QuarantineService.ReleaseResult r) {
        String to = r.ReleasedTo().isEmpty() ? "" : "Released to " + String.join(", ", r.ReleasedTo()) + ".";
        String skipped = r.Skipped().isEmpty() ? "" : (to.isEmpty() ? "" : " ") + "Not released again to " + String.join(", ", r.Skipped())
                + ": already released (choose \"Release again\" to send another copy).";
        return to + skipped;
    }

    /** {@code POST .../delete}: Delete-QuarantineMessage; back to the list. */
    private void delete(Context ctx) {
        RunResult r = centre.run(ctx, "Delete-QuarantineMessage", Map.of("Identity", identity(ctx)));
        if (!r.succeeded()) {
            notFound(ctx, r);
            return;
        }
        centre.session(ctx).notice("The message was deleted for good.");
        AdminCentre.redirect(ctx, "/quarantine");
    }

    /** {@code POST /quarantine/selected}: releases ({@code action=release}) or deletes the ticked messages at once. */
    private void selected(Context ctx) {
        List<String> ids = ctx.formParams("Identities");
        String back = ctx.formParam("back");
        back = back != null && back.startsWith("/quarantine") && !back.startsWith("//") ? back : "/quarantine";
        if (ids.isEmpty()) {
            centre.session(ctx).notice("Tick the messages to release or delete first.");
            AdminCentre.redirect(ctx, back);
            return;
        }
        boolean release = "release".equals(ctx.formParam("action"));
        Map<String, Object> p = new LinkedHashMap<>(Map.of("Identities", List.copyOf(ids)));
        if (release) p.put("ReleaseToAll", true);
        RunResult r = centre.run(ctx, release ? "Release-QuarantineMessage" : "Delete-QuarantineMessage", p);
        long releasedNow = r.objects().stream().filter(o -> !((QuarantineService.ReleaseResult) o).ReleasedTo().isEmpty()).count();
        String done = !r.succeeded() ? AdminCentre.fieldErrors(r).values().iterator().next()
                : !release ? (ids.size() == 1 ? "The message was deleted for good." : ids.size() + " messages were deleted for good.")
                : (releasedNow == 1 ? "1 message was released" : releasedNow + " messages were released") + " to their recipients."
                        + (releasedNow < ids.size() ? " " + (ids.size() - releasedNow) + " had been released already." : "");
        centre.session(ctx).notice(done);
        AdminCentre.redirect(ctx, back);
    }

    /** {@code GET .../original.eml}: the message as received (Export-QuarantineMessage, audited), to save, never to show. */
    private void download(Context ctx) {
        RunResult r = centre.run(ctx, "Export-QuarantineMessage", Map.of("Identity", identity(ctx),
                "ReasonForExport", "Downloaded from the admin centre"));
        if (!r.succeeded()) {
            notFound(ctx, r);
            return;
        }
        var export = (QuarantineService.Export) r.objects().getFirst();
        HttpApi.attachment(ctx, ctx.pathParam("copy") + ".eml", "message/rfc822", Base64.getDecoder().decode(export.Eml()));
    }

    /** The identity in the path, GUID1\GUID2 (the cmdlet checks its form and that it is this organization's). */
    private static String identity(Context ctx) { return ctx.pathParam("message") + "\\" + ctx.pathParam("copy"); }

    private void notFound(Context ctx, RunResult r) {
        NotFound.render(centre, ctx, "quarantine", "Quarantined message", AdminCentre.fieldErrors(r).values().iterator().next(),
                "/quarantine", "Back to the quarantine");
    }
}
