// Test fixture: a whole gateway started in-process on free ports (real store, real HTTP), and a small
// client for the admin REST API. Public for the command-line tests (dev.gatehouse.cli), which talk to it as the shell does.
package dev.gatehouse.admin;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.server.Gateway;
import dev.gatehouse.store.TestDatabase;

/**
 * Starts {@code new Gateway(config).start()} with a temp data dir (SQLite, or a fresh PostgreSQL schema)
 * and registers an operator token, as {@code serve} does on first start.
 */
public final class AdminHarness implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    public final TestDatabase db;
    public final Gateway gateway;
    public final String base;
    public final String operatorToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The answer of one request: status, raw body and the body parsed as JSON (null when it isn't JSON). */
    public record Response(int status, String body, JsonNode json) {
        public String errorMessage() { return json == null ? body : json.path("error").path("message").asText(); }

        public JsonNode value() { return json.path("value"); }

        @Override public String toString() { return status + " " + body; }
    }

    public AdminHarness(TestDatabase.Kind kind) throws IOException {
        this(kind, Map.of());
    }

    /** With more settings, as {@code serve} takes them (e.g. {@code "http-tls", "true"}). */
    public AdminHarness(TestDatabase.Kind kind, Map<String, String> settings) throws IOException {
        db = new TestDatabase(kind, "gh_adm_");
        Map<String, String> cli = new HashMap<>(settings);
        cli.put("data-dir", db.dir().resolve("data").toString());
        cli.put("smtp-bind", "127.0.0.1");
        // both free at once: two separate probes can hand out the same port
        try (ServerSocket smtp = new ServerSocket(0); ServerSocket http = new ServerSocket(0)) {
            cli.put("smtp-port", String.valueOf(smtp.getLocalPort()));
            cli.put("http-port", String.valueOf(http.getLocalPort()));
        }
        cli.put("hostname", "mx.gatehouse.test");
        if (db.url() != null) cli.put("store", db.url());
        gateway = new Gateway(new ConfigLoader(dev.gatehouse.dns.testing.DnsServer.withDnsOff(cli), Map.of(), null).load()).start();
        base = ("true".equals(settings.get("http-tls")) ? "https" : "http") + "://127.0.0.1:" + gateway.httpPort();
        operatorToken = AdminTokenService.newTokenText(true);
        new AdminTokenService(gateway.store()).registerOperatorToken(operatorToken);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) { return s.getLocalPort(); }
    }

    /** {@code n} free ports, all different: each is held open until all are chosen (two freePort() calls may agree). */
    public static int[] freePorts(int n) throws IOException {
        ServerSocket[] held = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                held[i] = new ServerSocket(0);
                ports[i] = held[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) if (s != null) s.close();
        }
    }

    /** An SMTP session to this gateway from the loopback address {@code ip} (127.0.0.0/8), greeted and past EHLO. */
    public dev.gatehouse.it.RawSmtpClient smtpFrom(String ip) throws IOException {
        var smtp = new dev.gatehouse.it.RawSmtpClient("127.0.0.1", gateway.smtpPort(), ip);
        smtp.reply();
        smtp.cmd("EHLO sender.example");
        return smtp;
    }

    /** An organization with one accepted domain and a mailbox {@code user@domain} per user (named after the user). */
    public void organization(String name, String domain, String... users) {
        ok(null, "New-Tenant", Map.of("Name", name));
        ok(name, "New-AcceptedDomain", Map.of("Name", domain, "DomainName", domain));
        for (String u : users) ok(name, "New-Mailbox", Map.of("Name", u, "PrimarySmtpAddress", u.toLowerCase(java.util.Locale.ROOT) + "@" + domain));
    }

    /** POST /adminapi/v1[/tenant]/InvokeCommand; params values are JSON-mapped (String, Boolean, List, Map). */
    public Response invoke(String token, String tenant, String cmdlet, Map<String, ?> params) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode input = body.putObject("CmdletInput");
        input.put("CmdletName", cmdlet);
        input.set("Parameters", JSON.valueToTree(params == null ? Map.of() : params));
        return post(token, path(tenant, "InvokeCommand"), body.toString());
    }

    public Response invoke(String token, String tenant, String cmdlet) { return invoke(token, tenant, cmdlet, Map.of()); }

    /** POST /adminapi/v1[/tenant]/RunScript. */
    public Response runScript(String token, String tenant, String script, boolean json) {
        ObjectNode body = JSON.createObjectNode();
        body.put("Script", script);
        body.put("Json", json);
        return post(token, path(tenant, "RunScript"), body.toString());
    }

    /** Operator call that must succeed; returns its value array. */
    public JsonNode ok(String tenant, String cmdlet, Map<String, ?> params) {
        Response r = invoke(operatorToken, tenant, cmdlet, params);
        if (r.status() != 200) throw new AssertionError(cmdlet + " " + params + " failed: " + r);
        return r.value();
    }

    /** A new tenant admin token of {@code tenant} named {@code name} (New-AdminToken, as the operator): its text. */
    public String adminToken(String tenant, String name) {
        return ok(tenant, "New-AdminToken", Map.of("Name", name)).get(0).get("Token").asText();
    }

    public static String path(String tenant, String action) {
        return tenant == null ? "/adminapi/v1/" + action
                : "/adminapi/v1/" + java.net.URLEncoder.encode(tenant, StandardCharsets.UTF_8).replace("+", "%20") + "/" + action;
    }

    public Response post(String token, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return send(b.build());
    }

    public Response get(String token, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        return send(b.build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode json;
            try {
                json = r.body().isEmpty() ? null : JSON.readTree(r.body());
            } catch (IOException e) {
                json = null;
            }
            return new Response(r.statusCode(), r.body(), json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        gateway.close();
        db.close();
    }

    static void deleteTree(Path dir) { TestDatabase.deleteTree(dir); }
}
