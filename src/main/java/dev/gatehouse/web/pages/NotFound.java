// The answer of a page whose object (a quarantined message, a traced message, a search) isn't the organization's: 404.
package dev.gatehouse.web.pages;

import java.util.Map;

import dev.gatehouse.cmdlet.ErrorRecord;
import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.web.AdminCentre;
import io.javalin.http.Context;

/** Another organization's object and one that doesn't exist look the same: the cmdlet's "couldn't be found". */
final class NotFound {
    private NotFound() {}

    /** Whether a run failed because the object it names isn't there (or its id in the URL isn't one at all). */
    static boolean missing(RunResult r) {
        for (ErrorRecord e : r.errors()) {
            if (e.notFound()) return true;
        }
        String key = AdminCentre.fieldErrors(r).keySet().stream().findFirst().orElse("");
        return key.equals("Identity") || key.equals("Identities") || key.equals("MessageTraceId") || key.equals("JobId");
    }

    static void render(AdminCentre centre, Context ctx, String section, String title, String message, String back, String backLabel) {
        ctx.status(404);
        centre.render(ctx, "objectnotfound.jte", Map.of("page", centre.page(ctx, title, section), "message", message, "back", back,
                "backLabel", backLabel));
    }
}
