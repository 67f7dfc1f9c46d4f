// The admin REST API (/adminapi/v1/...): cmdlets and scripts over HTTP with bearer tokens, in Exchange Online's REST shape.
package dev.gatehouse.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.AdminServices;
import dev.gatehouse.admin.Principal;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ErrorRecord;
import dev.gatehouse.cmdlet.JsonValues;
import dev.gatehouse.cmdlet.PipelineRunner;
import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.directory.Tenant;

/**
 * The admin REST API, in Exchange Online's REST-module shape:
 * <ul>
 * <li>{@code POST /adminapi/v1/{tenant}/InvokeCommand} with {@code {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}}
 *     answers {@code {"value":[…]}} (objects with Exchange's property names); without {@code {tenant}} for
 *     operator cmdlets such as New-Tenant.</li>
 * <li>{@code POST /adminapi/v1/{tenant}/RunScript} with {@code {"Script":"…","Json":false}}: a whole script
 *     (pipelines, Format-Table, …) as the shell sends it; answers the formatted output, the "What if:" lines
 *     and the errors.</li>
 * <li>{@code GET /adminapi/v1/Commands}: cmdlet names and parameters (the shell's tab completion).</li>
 * <li>{@code GET /adminapi/openapi.json}: the OpenAPI document.</li>
 * </ul>
 * Every request needs {@code Authorization: Bearer <token>}. A tenant admin token reaches only its own
 * organization: any other tenant in the URL, and any object of another tenant, is answered 404 exactly
 * as if it did not exist.
 */
public final class AdminApi {

    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    private static final int MAX_BODY = 1 << 20;
    /** Limits on a request's JSON, each named in the 400 that enforces it (scripts have their own, in the parser). */
    static final int MAX_DEPTH = 32;
    static final int MAX_ELEMENTS = 10_000;
    static final int MAX_STRING = 64 * 1024;
    // Jackson's own limits stay above ours as a backstop: nothing deeper than this even reaches our check
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH * 4)
                    .maxStringLength(MAX_BODY).maxNameLength(MAX_BODY).build()).build());

    private final AdminServices services;
    private final CmdletRegistry<AdminContext> registry;

    public AdminApi(AdminServices services, CmdletRegistry<AdminContext> registry) {
        this.services = services;
        this.registry = registry;
    }

    public void mount(HttpApi http) {
        http.configure(config -> HttpApi.anyMethod(config, "/adminapi/", this::handle));
    }

    private void handle(Context ex) {
        try {
            String path = ex.path();
            if (path.equals("/adminapi/openapi.json")) {
                if (HttpApi.readOnly(ex)) HttpApi.send(ex, 200, "application/json", OpenApi.document(registry));
                return;
            }
            Optional<Principal> who = authenticate(ex, services);
            if (who.isEmpty()) return;
            // split the raw path, then decode each segment: an organization's name may hold '/', '%' or '+'
            String[] parts = ex.req().getRequestURI().substring("/adminapi/".length()).split("/");
            if (parts.length == 2 && parts[0].equals("v1") && parts[1].equals("Commands")) {
                if (HttpApi.readOnly(ex)) HttpApi.send(ex, 200, "application/json", commands());
                return;
            }
            if (parts.length == 4 && parts[0].equals("v1") && parts[2].equals("HistoricalSearchReports")) {
                if (HttpApi.readOnly(ex)) report(ex, who.get(), pathSegment(parts[1]), pathSegment(parts[3]));
                return;
            }
            String tenantSegment;
            String action;
            if (parts.length == 2 && parts[0].equals("v1")) { tenantSegment = null; action = parts[1]; }
            else if (parts.length == 3 && parts[0].equals("v1")) { tenantSegment = pathSegment(parts[1]); action = parts[2]; }
            else { error(ex, 404, "NotFound", "No such endpoint: " + path); return; }
            if (!action.equals("InvokeCommand") && !action.equals("RunScript")) { error(ex, 404, "NotFound", "No such endpoint: " + path); return; }
            if (!(ex.method() == io.javalin.http.HandlerType.POST)) {
                ex.header("Allow", "POST");
                error(ex, 405, "MethodNotAllowed", "Use POST.");
                return;
            }
            Tenant tenant = null;
            String pendingTenant = null;
            Principal principal = who.get();
            if (tenantSegment != null) {
                try {
                    tenant = services.tenants().get(tenantSegment);
                } catch (NotFoundException e) {
                    tenant = null;
                }
                if (tenant == null && principal instanceof Principal.Operator && action.equals("RunScript")) {
                    // The operator's script may create this organization first (New-Tenant); cmdlets that need it
                    // look it up when they run.
                    pendingTenant = tenantSegment;
                } else if (tenant == null || !principal.mayAct(tenant.id())) {
                    error(ex, 404, "NotFound", "The organization '" + tenantSegment + "' couldn't be found.");
                    return;
                }
            } else if (principal instanceof Principal.TenantAdmin ta) {
                tenant = services.tenants().get(ta.tenantId());
            }
            JsonNode body = readBody(ex);
            if (body == null) return;
            AdminContext ctx = new AdminContext(principal, tenant, services, pendingTenant);
            if (action.equals("InvokeCommand")) invoke(ex, ctx, body);
            else runScript(ex, ctx, body);
        } catch (RuntimeException | Error e) { // any Error (a stack overflow, a class that can't load) still gets an answer, never a hung request
            log.error("admin api failure path={}", ex.path(), e);
            error(ex, 500, "InternalError", "An internal error occurred.");
        }
    }

    /**
     * {@code GET /adminapi/v1/{tenant}/HistoricalSearchReports/{JobId}}: a finished historical search's CSV (or
     * .zip), for a token that may act on the organization; any other organization's job is 404 as if absent.
     */
    private void report(Context ex, Principal principal, String tenantName, String jobId) {
        Tenant tenant;
        try {
            tenant = services.tenants().get(tenantName);
        } catch (NotFoundException e) {
            tenant = null;
        }
        if (tenant == null || !principal.mayAct(tenant.id())) {
            error(ex, 404, "NotFound", "The organization '" + tenantName + "' couldn't be found.");
            return;
        }
        dev.gatehouse.reports.HistoricalSearchService.ReportFile file;
        try {
            file = services.historicalSearch().file(tenant.id(), jobId);
        } catch (NotFoundException e) {
            error(ex, 404, "NotFound", e.getMessage());
            return;
        } catch (dev.gatehouse.kernel.ValidationException e) {
            error(ex, 400, "InvalidArgument", e.getMessage());
            return;
        }
        HttpApi.attachment(ex, file.downloadName(), file.contentType(), file.path());
    }

    /** A percent-encoded path segment decoded; unlike a form field, a '+' in a path is a plus, not a space. */
    private static String pathSegment(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The caller of the bearer token, or empty after answering 401 (shared by every endpoint that needs a token). */
    static Optional<Principal> authenticate(Context ex, AdminServices services) {
        String h = ex.header("Authorization");
        Optional<Principal> who = h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7) ? Optional.empty()
                : services.tokens().authenticate(h.substring(7).strip());
        if (who.isEmpty()) {
            ex.header("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
            error(ex, 401, "Unauthorized", "A valid bearer token is required (Authorization: Bearer <token>).");
        }
        return who;
    }

    /**
     * The request's JSON body within this API's limits ({@link #limits}), or null after answering 413 or 400. An
     * empty body is an empty object.
     */
    static JsonNode readBody(Context ex) {
        return readBody(ex, AdminApi::limits);
    }

    /** As {@link #readBody(HttpExchange)}, with the caller's check of the parsed JSON (a message for a 400, or null). */
    static JsonNode readBody(Context ex, java.util.function.Function<JsonNode, String> check) {
        try (InputStream in = ex.req().getInputStream()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) { error(ex, 413, "TooLarge", "The request body is larger than 1 MB."); return null; }
            if (b.length == 0) return JSON.createObjectNode();
            String text;
            try { // RFC 8259: JSON between systems is UTF-8; no guessing of UTF-16/32 from NUL bytes
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                error(ex, 400, "BadRequest", "The request body is not UTF-8 (JSON must be).");
                return null;
            }
            JsonNode tree = JSON.readTree(text);
            String tooBig = check.apply(tree);
            if (tooBig != null) { error(ex, 400, "BadRequest", tooBig); return null; }
            return tree;
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            error(ex, 400, "BadRequest", "The request body exceeds a limit: " + e.getOriginalMessage()
                    + " (at most " + MAX_DEPTH + " levels of nesting, " + MAX_ELEMENTS + " values, strings of " + MAX_STRING + " characters)");
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            error(ex, 400, "BadRequest", "The request body is not valid JSON: " + e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The first limit the request's JSON breaks, as the message of a 400, or null: nesting deeper than
     * {@link #MAX_DEPTH}, more than {@link #MAX_ELEMENTS} values, a string longer than {@link #MAX_STRING}.
     * Checked without recursion, so no input can exhaust the stack here or in the binder after it.
     */
    static String limits(JsonNode root) {
        java.util.ArrayDeque<JsonNode> nodes = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        int elements = 0;
        while (!nodes.isEmpty()) {
            JsonNode n = nodes.pop();
            int depth = depths.pop();
            if (++elements > MAX_ELEMENTS) return "The request has more than " + MAX_ELEMENTS + " JSON values (the limit).";
            if (depth > MAX_DEPTH) return "The request nests arrays or objects " + depth + " levels deep; the limit is " + MAX_DEPTH + ".";
            if (n.isTextual() && n.textValue().length() > MAX_STRING) {
                return "The request has a string of " + n.textValue().length() + " characters; the limit is " + MAX_STRING + ".";
            }
            if (n.isObject()) {
                for (var it = n.properties().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getKey().length() > MAX_STRING) return "The request has a property name longer than " + MAX_STRING + " characters.";
                    nodes.push(e.getValue());
                    depths.push(depth + 1);
                }
            } else if (n.isArray()) {
                for (JsonNode c : n) {
                    nodes.push(c);
                    depths.push(depth + 1);
                }
            }
        }
        return null;
    }

    private void invoke(Context ex, AdminContext ctx, JsonNode body) {
        JsonNode input = body.get("CmdletInput");
        if (input == null || !input.hasNonNull("CmdletName") || !input.get("CmdletName").isTextual()) {
            error(ex, 400, "BadRequest", "Expected {\"CmdletInput\":{\"CmdletName\":\"Verb-Noun\",\"Parameters\":{...}}}.");
            return;
        }
        String name = input.get("CmdletName").textValue();
        JsonNode params = input.get("Parameters");
        if (params != null && !params.isNull() && !params.isObject()) {
            error(ex, 400, "BadRequest", "CmdletInput.Parameters must be a JSON object of parameter names to values.");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> parameters = params == null || params.isNull() ? Map.of() : JSON.convertValue(params, Map.class);
        if (ctx.principal() instanceof Principal.TenantAdmin && registry.find(name).map(d -> d.operatorOnly()).orElse(false)) {
            error(ex, 403, "Forbidden", name + " needs the operator token; a tenant admin token can't run it.");
            return;
        }
        RunResult r = new PipelineRunner<>(registry, PipelineRunner.Options.defaults().withStopOnError(true)).runCommand(name, parameters, ctx);
        audit(ctx, name, r);
        if (!r.succeeded()) {
            ErrorRecord e = r.errors().getFirst();
            int status = e.notFound() ? 404 : 400;
            ObjectNode err = errorNode(e.notFound() ? "NotFound" : "InvalidArgument", e.formatted());
            if (e.parameter() != null) ((ObjectNode) err.get("error")).put("parameter", e.parameter());
            if (e.value() != null) ((ObjectNode) err.get("error")).put("value", e.value());
            HttpApi.send(ex, status, "application/json", err.toString());
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("@odata.context", "adminapi/v1/$metadata#" + name);
        out.set("value", JsonValues.array(r.objects()));
        if (!r.whatIf().isEmpty()) out.set("WhatIf", JSON.valueToTree(r.whatIf()));
        if (!r.warnings().isEmpty()) out.set("Warnings", JSON.valueToTree(r.warnings()));
        HttpApi.send(ex, 200, "application/json", out.toString());
    }

    private void runScript(Context ex, AdminContext ctx, JsonNode body) {
        if (!body.hasNonNull("Script") || !body.get("Script").isTextual()) {
            error(ex, 400, "BadRequest", "Expected {\"Script\":\"...\",\"Json\":false}.");
            return;
        }
        boolean json = body.path("Json").asBoolean(false);
        RunResult r = new PipelineRunner<>(registry, PipelineRunner.Options.defaults().withJson(json)).run(body.get("Script").textValue(), ctx);
        audit(ctx, "script", r);
        ObjectNode out = JSON.createObjectNode();
        out.put("Output", r.output());
        // In JSON mode the output is only the objects; the "What if:" lines travel separately.
        out.set("WhatIf", JSON.valueToTree(r.whatIf()));
        out.set("Warnings", JSON.valueToTree(r.warnings()));
        ArrayNode errs = out.putArray("Errors");
        for (ErrorRecord e : r.errors()) errs.add(e.formatted());
        out.put("Success", r.succeeded());
        HttpApi.send(ex, 200, "application/json", out.toString());
    }

    private static void audit(AdminContext ctx, String what, RunResult r) {
        log.info("admin principal={} tenant={} command={} ok={} errors={}", ctx.principal().name(),
                ctx.tenant() != null ? ctx.tenant().Name() : ctx.tenantName() != null ? ctx.tenantName() : "-", what, r.succeeded(), r.errors().size());
    }

    private String commands() {
        ArrayNode a = JSON.createArrayNode();
        for (var def : registry.all()) {
            ObjectNode c = a.addObject();
            c.put("Name", def.name());
            c.put("Synopsis", def.synopsis());
            ArrayNode ps = c.putArray("Parameters");
            for (var p : def.allParameters()) ps.add(p.name());
        }
        return a.toString();
    }

    private static ObjectNode errorNode(String code, String message) { return HttpApi.errorNode(code, message); }

    static void error(Context ex, int status, String code, String message) {
        HttpApi.sendError(ex, status, code, message);
    }
}
