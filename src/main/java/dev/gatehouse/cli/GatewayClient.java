// How gatehouse shell and gatehouse hunt reach a running gateway: their common options, the token, HTTP, and what they say when they can't.
package dev.gatehouse.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Option;

/**
 * One client per run of a command: the gateway's URL, the organization chosen, the bearer token, and an HTTP
 * client. Messages name the command ({@code gatehouse shell: …}, {@code gatehouse hunt: …}) and what to check.
 */
final class GatewayClient {

    /** The options every command that talks to a gateway takes (a picocli mixin). */
    static final class Options {
        @Option(names = "--url", description = "Gateway HTTP address. Default http://127.0.0.1:8080 (env GATEHOUSE_URL)") String url;
        @Option(names = "--token", description = "Bearer token (env GATEHOUSE_TOKEN; default: ./data/operator.token)") String token;
        @Option(names = "--token-file", description = "File holding the token") Path tokenFile;
        @Option(names = "--tenant", description = "Organization to act on; needed with the operator token for tenant-scoped work "
                + "(env GATEHOUSE_TENANT). A tenant admin token acts on its own.") String tenant;
    }

    /** A request a tenant may pay the whole hunting time limit for, and a bit: the server's own limit answers first. */
    static final Duration LONG_REQUEST = dev.gatehouse.hunting.HuntingService.TIMEOUT.plusMinutes(1);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String command;
    final String base;
    final String tenant;
    private final String bearer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayClient(String command, String base, String tenant, String bearer) {
        this.command = command;
        this.base = base;
        this.tenant = tenant;
        this.bearer = bearer;
    }

    /**
     * The client for {@code options}, URL and organization from options, then environment, then defaults.
     *
     * @throws IOException saying which token source is missing or unreadable
     */
    static GatewayClient connect(String command, Options options) throws IOException {
        String base = firstNonBlank(options.url, System.getenv("GATEHOUSE_URL"), "http://127.0.0.1:8080").replaceAll("/+$", "");
        return new GatewayClient(command, base, firstNonBlank(options.tenant, System.getenv("GATEHOUSE_TENANT"), null), token(options));
    }

    private static String token(Options o) throws IOException {
        if (o.token != null && !o.token.isBlank()) return o.token.strip();
        if (o.tokenFile != null) {
            if (!Files.isReadable(o.tokenFile)) throw new IOException("--token-file '" + o.tokenFile + "' does not exist or is not readable");
            return Files.readString(o.tokenFile).strip();
        }
        String env = System.getenv("GATEHOUSE_TOKEN");
        if (env != null && !env.isBlank()) return env.strip();
        Path def = Path.of("data", "operator.token");
        if (Files.isReadable(def)) return Files.readString(def).strip();
        throw new IOException("no token: give --token, --token-file or GATEHOUSE_TOKEN (the operator token is in <data-dir>/operator.token)");
    }

    /** POSTs {@code body} as JSON to {@code path} with the token. */
    HttpResponse<String> post(String path, JsonNode body, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json").timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String path, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + bearer)
                .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * The answer as JSON, or null (said on stderr) when it isn't: something other than the gateway answered,
     * e.g. another web server or a proxy's error page.
     */
    JsonNode json(HttpResponse<String> r) {
        try {
            return MAPPER.readTree(r.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String type = r.headers().firstValue("Content-Type").map(t -> ", " + t).orElse("");
            System.err.println("gatehouse " + command + ": " + base + " did not answer as a Gatehouse gateway (HTTP " + r.statusCode() + type
                    + "): is --url the gateway's --http-port?");
            return null;
        }
    }

    /** What went wrong reaching the gateway, in words (the JDK's connection errors often carry no message). */
    String unreachable(IOException e) {
        String why = e instanceof java.net.ConnectException
                ? "nothing answers there (connection refused): is 'gatehouse serve' running, and is --url its --http-port?"
                : e instanceof java.net.http.HttpTimeoutException ? "it did not answer in time"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return "gatehouse " + command + ": cannot reach the gateway at " + base + ": " + why;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }
}
