// gatehouse shell: Exchange Online PowerShell cmdlets against a running gateway, interactive or from -c, -f or stdin.
package dev.gatehouse.cli;

import java.io.IOException;
import java.io.InputStream;
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
import picocli.CommandLine.Mixin;
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

    @Mixin GatewayClient.Options gateway = new GatewayClient.Options();
    @Option(names = "--json", description = "Print output objects as JSON") boolean json;
    @Option(names = "-c", description = "Commands to run, then exit") String commands;
    @Option(names = "-f", description = "Script file to run, then exit") Path file;

    private final ObjectMapper mapper = new ObjectMapper();
    private GatewayClient client;

    @Override
    public Integer call() throws Exception {
        try {
            client = GatewayClient.connect("shell", gateway);
        } catch (IOException e) {
            System.err.println("gatehouse shell: " + e.getMessage());
            return 2;
        }
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

    /** Runs a script on the server and prints its output, warnings and errors; false when anything failed. */
    boolean run(String script) {
        if (script.isBlank()) return true;
        try {
            script = MessageFiles.inline(script);
        } catch (MessageFiles.Unreadable e) {
            System.err.println(e.getMessage());
            return false;
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("Script", script);
        body.put("Json", json);
        String path = client.tenant == null ? "/adminapi/v1/RunScript"
                : "/adminapi/v1/" + java.net.URLEncoder.encode(client.tenant, StandardCharsets.UTF_8).replace("+", "%20") + "/RunScript";
        try {
            HttpResponse<String> r = client.post(path, body, GatewayClient.LONG_REQUEST);
            JsonNode res = client.json(r);
            if (res == null) return false;
            if (r.statusCode() != 200) {
                System.err.println(res.path("error").path("message").asText("HTTP " + r.statusCode()));
                return false;
            }
            String out = res.path("Output").asText("");
            if (!out.isEmpty()) System.out.print(out.endsWith("\n") ? out : out + "\n");
            System.out.flush();
            // With --json stdout carries only the JSON; the "What if:" lines (in the text output otherwise) go to stderr.
            if (json) for (JsonNode w : res.path("WhatIf")) System.err.println(w.asText());
            // PowerShell's host shows the warning stream apart from the output: here on stderr, in either mode
            for (JsonNode w : res.path("Warnings")) System.err.println("WARNING: " + w.asText());
            for (JsonNode e : res.path("Errors")) System.err.println(e.asText());
            return res.path("Success").asBoolean(false);
        } catch (IOException e) {
            System.err.println(client.unreachable(e));
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
            HttpResponse<String> r = client.get("/adminapi/v1/Commands", Duration.ofSeconds(10));
            if (r.statusCode() != 200) return out;
            JsonNode commands = client.json(r);
            if (commands == null) return out;
            for (JsonNode c : commands) {
                List<String> row = new ArrayList<>();
                row.add(c.path("Name").asText());
                c.path("Parameters").forEach(p -> row.add(p.asText()));
                out.add(row.toArray(String[]::new));
            }
        } catch (IOException e) {
            System.err.println(client.unreachable(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    String prompt() { return (client == null || client.tenant == null ? "PS gatehouse" : "PS " + client.tenant) + "> "; }
}
