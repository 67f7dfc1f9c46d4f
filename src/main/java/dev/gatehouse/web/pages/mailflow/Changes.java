// What the mail flow pages share: run a change and go on (or show the form again with the cmdlet's errors), and the page for what isn't there.
package dev.gatehouse.web.pages.mailflow;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import dev.gatehouse.cmdlet.ErrorRecord;
import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.web.AdminCentre;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/** The steps every create, edit and delete of the mail flow pages takes, in one place. */
final class Changes {
    private Changes() {}

    /**
     * Runs {@code cmdlet} on the session's organization. Done: {@code notice} is shown on the page at {@code then}.
     * An object the organization doesn't have (another organization's, or gone): 404. Any other error goes to
     * {@code failed}, which shows it.
     */
    static void run(AdminCentre centre, Context ctx, String cmdlet, Map<String, ?> parameters, String notice, String then,
                    Consumer<RunResult> failed) {
        RunResult r = centre.run(ctx, cmdlet, parameters);
        if (r.succeeded()) {
            centre.session(ctx).notice(notice);
            AdminCentre.redirect(ctx, then);
        } else if (notFound(r)) {
            notFound(centre, ctx, section(then));
        } else {
            failed.accept(r);
        }
    }

    /** A failed one-click change (enable, delete): its message on the list it was made from. */
    static Consumer<RunResult> backTo(AdminCentre centre, Context ctx, String list) {
        return r -> {
            centre.session(ctx).notice(String.join(" ", r.errors().stream().map(ErrorRecord::message).toList()));
            AdminCentre.redirect(ctx, list);
        };
    }

    private static boolean notFound(RunResult r) { return r.errors().stream().anyMatch(ErrorRecord::notFound); }

    /**
     * A handler for the object the URL names: {@code lookup} finds it in the session's organization, and {@code then}
     * goes on with it; 404 when the organization has none (another organization's object included).
     */
    static <T> Handler on(AdminCentre centre, String section, BiFunction<AdminCentre, Context, T> lookup, BiConsumer<Context, T> then) {
        return ctx -> {
            T found;
            try {
                found = lookup.apply(centre, ctx);
            } catch (NotFoundException e) {
                notFound(centre, ctx, section);
                return;
            }
            then.accept(ctx, found);
        };
    }

    /** 404: this organization has no such connector, rule or domain (it may be another organization's: that isn't said). */
    static void notFound(AdminCentre centre, Context ctx, String section) {
        ctx.status(404);
        centre.render(ctx, "mailflow/notfound.jte", Map.of("page", centre.page(ctx, "Not found", section), "back", "/mailflow/" + section));
    }

    /** The section of a mail flow path: /mailflow/rules/... is "rules". */
    static String section(String path) {
        String rest = path.substring("/mailflow/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
