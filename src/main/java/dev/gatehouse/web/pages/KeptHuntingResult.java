// The last hunting result of a browser session, kept so its pages and its CSV come from the same run.
package dev.gatehouse.web.pages;

import java.time.Instant;
import java.util.UUID;

import dev.gatehouse.kql.QueryResult;
import dev.gatehouse.web.HuntingRun;
import jakarta.servlet.http.HttpSession;

/**
 * Paging keeps the result rather than running the query again for each page: a hunting query may scan the whole
 * 30 days (seconds, up to 10 minutes, and one of only two slots), and run again it would not give the same rows
 * (ago() moves, new mail arrives, an unsorted result has no fixed order), so page 2 could repeat or skip rows of page
 * 1 and the CSV could differ from what was shown. Memory stays bounded: one result per session (at most 30,000 rows,
 * whose strings are mostly the hunting tables' own), replaced by the next run (dropped before it starts, so two are
 * never held), and gone with the session (an hour idle, or sign-out). A result is bound to the organization it ran on
 * and has an id, so a page of another organization's or an older run's rows is never shown: such a request is told the
 * result is gone.
 */
record KeptHuntingResult(String id, long tenantId, String query, QueryResult result, double seconds, Instant ranAt) {
    private static final String ATTRIBUTE = "gatehouse.hunting.result";

    /** Keeps {@code answered} as the session's one result, replacing any before it. */
    static KeptHuntingResult keep(HttpSession session, long tenantId, String query, HuntingRun.Answered answered) {
        KeptHuntingResult k = new KeptHuntingResult(UUID.randomUUID().toString(), tenantId, query, answered.result(),
                answered.seconds(), Instant.now());
        session.setAttribute(ATTRIBUTE, k);
        return k;
    }

    /** The session's result if it ran on {@code tenantId} and is run {@code id} (any run when {@code id} is null), or null. */
    static KeptHuntingResult find(HttpSession session, long tenantId, String id) {
        if (session == null || !(session.getAttribute(ATTRIBUTE) instanceof KeptHuntingResult k)) return null;
        return k.tenantId() == tenantId && (id == null || k.id().equals(id)) ? k : null;
    }

    static void drop(HttpSession session) { session.removeAttribute(ATTRIBUTE); }
}
