package dev.gatehouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse shell}: Exchange Online PowerShell cmdlets against a running gateway. Interactive
 * (JLine: history, tab completion of cmdlet and parameter names, multi-line input with a trailing
 * backtick or an open quote), or non-interactive with {@code -c 'COMMANDS'}, {@code -f script.ps1} or
 * commands on standard input. Scripts run on the server ({@code RunScript}), so the shell, scripts and
 * the REST API share one parser, binder and validator. Exit status 1 when any command failed.
 */
@Command(name = "shell", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Run Exchange Online cmdlets against a running gateway (interactive, -c, -f or stdin).")
final class ShellCommand implements Callable<Integer> {

    @Option(names = "--url", description = "Gateway HTTP address. Default http://127.0.0.1:8080 (env GATEHOUSE_URL)") String url;
    @Option(names = "--token", description = "Bearer token (env GATEHOUSE_TOKEN; default: ./data/operator.token)") String token;
    @Option(names = "--token-file", description = "File holding the token") Path tokenFile;
    @Option(names = "--tenant", description = "Organization the tenant-scoped cmdlets act on (env GATEHOUSE_TENANT)") String tenant;
    @Option(names = "--json", description = "Print output objects as JSON") boolean json;
    @Option(names = "-c", description = "Commands to run, then exit") String commands;
    @Option(names = "-f", description = "Script file to run, then exit") Path file;

    private final ObjectMapper mapper = new ObjectMapper();
    private HttpClient http;
    private String base;
    private String bearer;

    @Override
    public Integer call() throws Exception {
        base = firstNonBlank(url, System.getenv("GATEHOUSE_URL"), "http://127.0.0.1:8080").replaceAll("/+$", "");
        tenant = firstNonBlank(tenant, System.getenv("GATEHOUSE_TENANT"), null);
        try {
            bearer = resolveToken();
        } catch (IOException e) {
            System.err.println("gatehouse shell: " + e.getMessage());
            return 2;
        }
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        if (commands != null) return run(commands) ? 0 : 1;
        if (file != null) {
            if (!Files.isReadable(file)) { System.err.println("gatehouse shell: cannot read script '" + file + "'"); return 2; }
            return run(Files.readString(file, StandardCharsets.UTF_8)) ? 0 : 1;
        }
        if (System.console() == null) {
            InputStream in = System.in;
            return run(new String(in.readAllBytes(), StandardCharsets.UTF_8)) ? 0 : 1;
        }
        return new InteractiveShell(this, commandNames()).loop();
    }

    private String resolveToken() throws IOException {
        if (token != null && !token.isBlank()) return token.strip();
        if (tokenFile != null) {
            if (!Files.isReadable(tokenFile)) throw new IOException("--token-file '" + tokenFile + "' does not exist or is not readable");
            return Files.readString(tokenFile).strip();
        }
        String env = System.getenv("GATEHOUSE_TOKEN");
        if (env != null && !env.isBlank()) return env.strip();
        Path def = Path.of("data", "operator.token");
        if (Files.isReadable(def)) return Files.readString(def).strip();
        throw new IOException("no token: give --token, --token-file or GATEHOUSE_TOKEN (the operator token is in <data-dir>/operator.token)");
    }

    /** Runs a script on the server and prints its output and errors; false when anything failed. */
    boolean run(String script) {
        if (script.isBlank()) return true;
        ObjectNode body = mapper.createObjectNode();
        body.put("Script", script);
        body.put("Json", json);
        String path = tenant == null ? "/adminapi/v1/RunScript"
                : "/adminapi/v1/" + java.net.URLEncoder.encode(tenant, StandardCharsets.UTF_8).replace("+", "%20") + "/RunScript";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                    .timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode res = json(r);
            if (res == null) return false;
            if (r.statusCode() != 200) {
                System.err.println(res.path("error").path("message").asText("HTTP " + r.statusCode()));
                return false;
            }
            String out = res.path("Output").asText("");
            if (!out.isEmpty()) System.out.print(out.endsWith("\n") ? out : out + "\n");
            // With --json stdout carries only the JSON; the "What if:" lines (in the text output otherwise) go to stderr.
            if (json) for (JsonNode w : res.path("WhatIf")) System.err.println(w.asText());
            for (JsonNode e : res.path("Errors")) System.err.println(e.asText());
            System.out.flush();
            return res.path("Success").asBoolean(false);
        } catch (IOException e) {
            System.err.println(unreachable(e));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Cmdlet names and their parameters, for tab completion; empty when the server can't be asked. */
    List<String[]> commandNames() {
        List<String[]> out = new ArrayList<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/adminapi/v1/Commands"))
                    .header("Authorization", "Bearer " + bearer).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return out;
            JsonNode commands = json(r);
            if (commands == null) return out;
            for (JsonNode c : commands) {
                List<String> row = new ArrayList<>();
                row.add(c.path("Name").asText());
                c.path("Parameters").forEach(p -> row.add(p.asText()));
                out.add(row.toArray(String[]::new));
            }
        } catch (IOException e) {
            System.err.println(unreachable(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /**
     * The answer as JSON, or null (said on stderr) when it isn't: something other than the gateway answered,
     * e.g. another web server or a proxy's error page.
     */
    private JsonNode json(HttpResponse<String> r) {
        try {
            return mapper.readTree(r.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String type = r.headers().firstValue("Content-Type").map(t -> ", " + t).orElse("");
            System.err.println("gatehouse shell: " + base + " did not answer as a Gatehouse gateway (HTTP " + r.statusCode() + type
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
        return "gatehouse shell: cannot reach the gateway at " + base + ": " + why;
    }

    String prompt() { return (tenant == null ? "PS gatehouse" : "PS " + tenant) + "> "; }

    private static String firstNonBlank(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }
}
