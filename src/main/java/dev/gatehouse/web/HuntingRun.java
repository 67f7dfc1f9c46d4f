// One advanced hunting query for an admin surface (the REST API, the hunting page): run it, time it, log it, or say why not.
package dev.gatehouse.web;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.admin.Principal;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.hunting.HuntingService;
import dev.gatehouse.kql.KqlException;
import dev.gatehouse.kql.Pos;
import dev.gatehouse.kql.QueryResult;

/**
 * What {@code POST /api/v1/hunting/run} and the hunting page share, so both answer a query alike: a query over
 * {@value #MAX_QUERY} characters is 413 before it is parsed; one the engine refuses is 400 with the engine's message
 * (ending {@code at line:col} when it concerns a place in the text); 429 when hunting is too busy to take it (try again
 * after {@value #RETRY_AFTER} seconds); 504 when it ran past its time limit. Every run is logged once: who, which
 * organization, the outcome, the rows and the time; never the query text (it may name people).
 */
public final class HuntingRun {
    private static final Logger log = LoggerFactory.getLogger(HuntingRun.class);
    /** The longest query taken, in characters: far above any hunting query, far below what could hurt the parser. */
    public static final int MAX_QUERY = 64 * 1024;
    /** Seconds a client is told to wait after a 429. */
    public static final int RETRY_AFTER = 5;

    private HuntingRun() {}

    /** A query's result and the seconds it took, or why it has none. */
    public sealed interface Outcome permits Answered, Refused {}

    /** The query ran: its result and the seconds it took (waiting for a slot included). */
    public record Answered(QueryResult result, double seconds) implements Outcome {}

    /**
     * The query didn't run or didn't finish: the HTTP status and Defender's error code REST answers with, the message
     * both surfaces show, and where in the text the problem is ({@link Pos#NONE} when nowhere in particular).
     */
    public record Refused(int status, String code, String message, Pos position) implements Outcome {
        /** True when the query text is at fault (400, 413), as opposed to hunting being busy (429) or slow (504). */
        public boolean inTheQuery() { return status == 400 || status == 413; }
    }

    /** The 413 for a query over {@value #MAX_QUERY} characters, or null when it is short enough. */
    public static Refused tooLong(String query) {
        if (query.length() <= MAX_QUERY) return null;
        return new Refused(413, "TooLarge", "The query is " + query.length() + " characters long; the limit is " + MAX_QUERY + ".",
                Pos.NONE);
    }

    /** Runs {@code query} on {@code tenant}'s tables with at most {@code rowLimit} rows, as {@code principal}. */
    public static Outcome run(HuntingService hunting, Principal principal, Tenant tenant, String query, int rowLimit) {
        Refused tooLong = tooLong(query);
        if (tooLong != null) return tooLong;
        long started = System.nanoTime();
        try {
            QueryResult r = hunting.run(tenant.id(), query, HuntingService.rowLimit(rowLimit));
            audit(principal, tenant, "ok", r.rows().size(), started);
            return new Answered(r, (System.nanoTime() - started) / 1e9);
        } catch (HuntingService.Busy e) {
            audit(principal, tenant, "busy", -1, started);
            return new Refused(429, "TooManyRequests", e.getMessage(), Pos.NONE);
        } catch (HuntingService.TimedOut e) {
            audit(principal, tenant, "timeout", -1, started);
            return new Refused(504, "GatewayTimeout", e.getMessage(), Pos.NONE);
        } catch (KqlException e) {
            audit(principal, tenant, "error", -1, started);
            return new Refused(400, "BadRequest", e.getMessage(), e.pos());
        }
    }

    private static void audit(Principal principal, Tenant tenant, String outcome, int rows, long started) {
        log.info("hunting principal={} tenant={} outcome={} rows={} ms={}", principal.name(), tenant.Name(), outcome, rows,
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e6));
    }
}
