// The OpenAPI document of the admin API and the hunting API, generated from the registry.
package dev.gatehouse.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.cmdlet.CmdletRegistry;

/** The OpenAPI 3.1 document of the admin API, generated from the cmdlet registry so it never drifts. */
final class OpenApi {

    private OpenApi() {}

    static String document(CmdletRegistry<AdminContext> registry) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode doc = m.createObjectNode();
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Gatehouse admin API");
        info.put("version", "v1");
        info.put("description", "Exchange Online cmdlets over REST. Authenticate with 'Authorization: Bearer <token>'.");
        ObjectNode sec = doc.putObject("components").putObject("securitySchemes").putObject("bearer");
        sec.put("type", "http");
        sec.put("scheme", "bearer");
        doc.putArray("security").addObject().putArray("bearer");
        ObjectNode cmdletInput = m.createObjectNode();
        cmdletInput.put("type", "object");
        ObjectNode ci = cmdletInput.putObject("properties").putObject("CmdletInput");
        ci.put("type", "object");
        ObjectNode ciProps = ci.putObject("properties");
        ArrayNode names = ciProps.putObject("CmdletName").put("type", "string").putArray("enum");
        registry.all().forEach(d -> names.add(d.name()));
        ciProps.putObject("Parameters").put("type", "object").put("description",
                "Parameter name to value: strings, booleans, numbers, arrays, or {Add:[…],Remove:[…]} for multi-valued properties");
        ObjectNode paths = doc.putObject("paths");
        for (String p : new String[] {"/adminapi/v1/{tenant}/InvokeCommand", "/adminapi/v1/InvokeCommand"}) {
            ObjectNode post = paths.putObject(p).putObject("post");
            post.put("summary", p.contains("{tenant}") ? "Run one cmdlet on an organization" : "Run one operator cmdlet (New-Tenant, Get-Tenant, …)");
            if (p.contains("{tenant}")) {
                ObjectNode param = post.putArray("parameters").addObject();
                param.put("name", "tenant").put("in", "path").put("required", true).putObject("schema").put("type", "string");
            }
            post.putObject("requestBody").putObject("content").putObject("application/json").set("schema", cmdletInput);
            ObjectNode responses = post.putObject("responses");
            responses.putObject("200").put("description", "{\"value\":[objects]}, with \"Warnings\":[…] when the cmdlet wrote any");
            responses.putObject("400").put("description", "the cmdlet failed to bind or validate; error.message names the parameter and value");
            responses.putObject("401").put("description", "missing or unknown token");
            responses.putObject("403").put("description", "an operator cmdlet called with a tenant admin token");
            responses.putObject("404").put("description", "the organization or object doesn't exist (or belongs to another tenant)");
        }
        ObjectNode script = m.createObjectNode();
        script.put("type", "object");
        ObjectNode scriptProps = script.putObject("properties");
        scriptProps.putObject("Script").put("type", "string");
        scriptProps.putObject("Json").put("type", "boolean").put("description", "true: the output is the objects as JSON");
        script.putArray("required").add("Script");
        for (String p : new String[] {"/adminapi/v1/{tenant}/RunScript", "/adminapi/v1/RunScript"}) {
            ObjectNode run = paths.putObject(p).putObject("post");
            run.put("summary", p.contains("{tenant}") ? "Run a script (several commands, pipelines, Format-Table …) on an organization"
                    : "Run a script as the shell does without --tenant: the operator's, or a tenant admin's own organization");
            if (p.contains("{tenant}")) {
                ObjectNode param = run.putArray("parameters").addObject();
                param.put("name", "tenant").put("in", "path").put("required", true).putObject("schema").put("type", "string");
            }
            run.putObject("requestBody").putObject("content").putObject("application/json").set("schema", script);
            ObjectNode responses = run.putObject("responses");
            responses.putObject("200").put("description", "{\"Output\":text,\"WhatIf\":[…],\"Warnings\":[…],\"Errors\":[…],\"Success\":bool}");
            responses.putObject("400").put("description", "the body is not {\"Script\":\"...\"}");
            responses.putObject("401").put("description", "missing or unknown token");
            responses.putObject("404").put("description", "the organization doesn't exist (or belongs to another tenant)");
        }
        paths.putObject("/adminapi/v1/Commands").putObject("get").put("summary", "Cmdlet names and parameters");
        hunting(m, paths);
        ObjectNode report = paths.putObject("/adminapi/v1/{tenant}/HistoricalSearchReports/{JobId}").putObject("get");
        report.put("summary", "The CSV (or .zip) of a finished historical search: the FileUrl of Get-HistoricalSearch");
        ArrayNode reportParams = report.putArray("parameters");
        for (String name : new String[] {"tenant", "JobId"}) {
            reportParams.addObject().put("name", name).put("in", "path").put("required", true).putObject("schema").put("type", "string");
        }
        ObjectNode reportResponses = report.putObject("responses");
        reportResponses.putObject("200").put("description", "text/csv (UTF-8 with a byte order mark) or application/zip");
        reportResponses.putObject("401").put("description", "missing or unknown token");
        reportResponses.putObject("404").put("description", "no such organization or search, another organization's, or not Done");
        return doc.toPrettyString();
    }

    /** {@code POST /api/v1/hunting/run} ({@link HuntingApi}). */
    private static void hunting(ObjectMapper m, ObjectNode paths) {
        ObjectNode run = paths.putObject(HuntingApi.PATH).putObject("post");
        run.put("summary", "Run an advanced hunting (KQL) query over one organization's mail tables, as Defender's advancedhunting/run API");
        ObjectNode body = m.createObjectNode();
        body.put("type", "object");
        ObjectNode props = body.putObject("properties");
        props.putObject("Query").put("type", "string").put("maxLength", HuntingRun.MAX_QUERY).put("description", "The KQL query");
        props.putObject("Organization").put("type", "string").put("description",
                "The organization's name or GUID: required with the operator token; a tenant admin token may name only its own");
        props.putObject("RowLimit").put("type", "integer").put("minimum", 1).put("maximum", dev.gatehouse.hunting.HuntingService.ROW_CAP)
                .put("description", "At most this many rows (default and most: 30,000)");
        body.putArray("required").add("Query");
        run.putObject("requestBody").putObject("content").putObject("application/json").set("schema", body);
        ObjectNode responses = run.putObject("responses");
        responses.putObject("200").put("description", "{\"Schema\":[{\"Name\",\"Type\"}],\"Results\":[{column:value}],\"Stats\":{\"ExecutionTime\"},"
                + "\"Truncated\":bool,\"RowLimit\":n,\"Visualization\":\"timechart\"|null}");
        responses.putObject("400").put("description", "the query can't run: error.message says why and where (line:column), or the body is wrong");
        responses.putObject("401").put("description", "missing or unknown token");
        responses.putObject("403").put("description", "a tenant admin token naming another organization");
        responses.putObject("404").put("description", "the operator named an organization that doesn't exist");
        responses.putObject("405").put("description", "not POST");
        responses.putObject("413").put("description", "a query longer than " + HuntingRun.MAX_QUERY + " characters, or a body over 1 MB");
        responses.putObject("429").put("description", "too many queries running and waiting; try again after Retry-After seconds");
        responses.putObject("504").put("description", "the query ran past its time limit (10 minutes) and was stopped");
    }
}
