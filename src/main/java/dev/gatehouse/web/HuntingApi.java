// POST /api/v1/hunting/run: advanced hunting over REST, in the shape of Defender's advancedhunting/run API.
package dev.gatehouse.web;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import dev.gatehouse.admin.AdminServices;
import dev.gatehouse.admin.Principal;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.hunting.HuntingService;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kql.ColumnarTable;
import dev.gatehouse.kql.QueryResult;
import dev.gatehouse.kql.Values;

/**
 * {@code POST /api/v1/hunting/run} with {@code {"Query": "…"}} answers {@code {"Schema": [{"Name", "Type"}],
 * "Results": [{column: value}], "Stats": {"ExecutionTime": seconds}}} as Defender's API does (datetimes as ISO text,
 * Defender's type names), plus {@code Truncated}, {@code RowLimit} and {@code Visualization} (the chart of a final
 * {@code render}, or null). Thin: choose the organization, call {@link HuntingService}, shape the answer.
 *
 * <p>The organization: a tenant admin token runs on its own; {@code "Organization"} may name it (by name or GUID),
 * and naming any other is 403 whether it exists or not. The operator token must name one ({@code "Organization":
 * "Contoso"}, as the admin API's URL does); one that doesn't exist is 404 with the admin API's words.
 *
 * <p>Statuses: 400 for a query the engine refuses ({@code {"error": {"code": "BadRequest", "message": "… at
 * 3:14"}}}, Defender's shape) or a bad body; 401 without a valid token; 405 for anything but POST; 413 for a query over
 * {@value HuntingRun#MAX_QUERY} characters (or a body over 1 MB); 429 with {@code Retry-After} when hunting is busy (Defender's
 * status for its quotas); 504 when the query ran past its time limit (what Azure Monitor's KQL query API answers: the
 * server gave up, the request itself was fine; 408 would say the client was too slow to send it).
 */
public final class HuntingApi {
    private static final Logger log = LoggerFactory.getLogger(HuntingApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String PATH = "/api/v1/hunting/run";

    private final AdminServices services;

    public HuntingApi(AdminServices services) { this.services = services; }

    public void mount(HttpApi http) {
        http.configure(config -> HttpApi.anyMethod(config, "/api/", this::handle));
    }

    private void handle(Context ex) {
        try {
            if (!ex.path().equals(PATH)) {
                HttpApi.sendError(ex, 404, "NotFound", "No such endpoint: " + ex.path());
                return;
            }
            if (!(ex.method() == io.javalin.http.HandlerType.POST)) {
                ex.header("Allow", "POST");
                HttpApi.sendError(ex, 405, "MethodNotAllowed", "Use POST with {\"Query\": \"...\"}.");
                return;
            }
            Optional<Principal> who = AdminApi.authenticate(ex, services);
            if (who.isEmpty()) return;
            JsonNode body = AdminApi.readBody(ex, tree -> null); // the query's own limit is a 413, checked first
            if (body == null) return;
            JsonNode query = body.get("Query");
            if (query == null || !query.isTextual() || query.textValue().isBlank()) {
                HttpApi.sendError(ex, 400, "BadRequest", "Expected {\"Query\": \"<KQL>\"}, with \"Organization\" when using the operator token.");
                return;
            }
            HuntingRun.Refused tooLong = HuntingRun.tooLong(query.textValue());
            if (tooLong != null) {
                HttpApi.sendError(ex, tooLong.status(), tooLong.code(), tooLong.message());
                return;
            }
            String tooBig = AdminApi.limits(body);
            if (tooBig != null) { HttpApi.sendError(ex, 400, "BadRequest", tooBig); return; }
            Integer rowLimit = rowLimit(ex, body.get("RowLimit"));
            if (rowLimit == null) return;
            Tenant tenant = tenant(ex, who.get(), body.get("Organization"));
            if (tenant == null) return;
            run(ex, who.get(), tenant, query.textValue(), rowLimit);
        } catch (RuntimeException | Error e) { // an answer in every case, never a hung request
            log.error("hunting api failure", e);
            HttpApi.sendError(ex, 500, "InternalError", "An internal error occurred.");
        }
    }

    /** RowLimit as given (1 to 30,000), the cap when absent, or null after answering 400 naming the value. */
    private static Integer rowLimit(Context ex, JsonNode n) {
        if (n == null || n.isNull()) return HuntingService.ROW_CAP;
        if (n.canConvertToInt() && n.isIntegralNumber() && n.intValue() >= 1 && n.intValue() <= HuntingService.ROW_CAP) return n.intValue();
        HttpApi.sendError(ex, 400, "BadRequest", "RowLimit must be a whole number from 1 to " + HuntingService.ROW_CAP + "; got " + n + ".");
        return null;
    }

    /** The organization the query runs on (see the class comment), or null after answering 400, 403 or 404. */
    private Tenant tenant(Context ex, Principal principal, JsonNode organization) {
        if (organization != null && !organization.isNull() && !organization.isTextual()) {
            HttpApi.sendError(ex, 400, "BadRequest", "Organization must be a string: the organization's name or GUID.");
            return null;
        }
        String named = organization == null || organization.isNull() ? null : organization.textValue();
        if (principal instanceof Principal.TenantAdmin ta) {
            Tenant own = services.tenants().get(ta.tenantId());
            if (named != null && !own.Name().equalsIgnoreCase(named.strip()) && !own.Guid().equalsIgnoreCase(named.strip())) {
                HttpApi.sendError(ex, 403, "Forbidden", "A tenant admin token runs queries on its own organization (" + own.Name()
                        + ") only; leave out Organization or name your own.");
                return null;
            }
            return own;
        }
        if (named == null || named.isBlank()) {
            HttpApi.sendError(ex, 400, "BadRequest", "The operator token acts on every organization: name the one to query, "
                    + "e.g. {\"Query\": \"...\", \"Organization\": \"Contoso\"}.");
            return null;
        }
        try {
            return services.tenants().get(named);
        } catch (NotFoundException e) {
            HttpApi.sendError(ex, 404, "NotFound", "The organization '" + named + "' couldn't be found.");
            return null;
        }
    }

    private void run(Context ex, Principal principal, Tenant tenant, String query, int rowLimit) {
        switch (HuntingRun.run(services.hunting(), principal, tenant, query, rowLimit)) {
            case HuntingRun.Answered a -> HttpApi.send(ex, 200, "application/json", answer(a.result(), a.seconds()).toString());
            case HuntingRun.Refused r -> {
                if (r.status() == 429) ex.header("Retry-After", String.valueOf(HuntingRun.RETRY_AFTER));
                HttpApi.sendError(ex, r.status(), r.code(), r.message());
            }
        }
    }

    /** Defender's shape plus ours (Truncated, RowLimit, Visualization). */
    static ObjectNode answer(QueryResult r, double seconds) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode schema = out.putArray("Schema");
        for (ColumnarTable.Column c : r.columns()) schema.addObject().put("Name", c.name()).put("Type", c.type().apiName());
        ArrayNode results = out.putArray("Results");
        for (Object[] row : r.rows()) {
            ObjectNode o = results.addObject();
            for (int i = 0; i < row.length; i++) {
                ColumnarTable.Column c = r.columns().get(i);
                o.set(c.name(), JSON.valueToTree(Values.toJson(c.type(), row[i])));
            }
        }
        out.putObject("Stats").put("ExecutionTime", Math.round(seconds * 1000) / 1000.0);
        out.put("Truncated", r.truncated());
        out.put("RowLimit", r.rowCap());
        out.put("Visualization", r.visualization());
        return out;
    }
}
