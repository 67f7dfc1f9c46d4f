// gatehouse hunt: an advanced hunting (KQL) query against a running gateway, from -f, -c or pasted on standard input.
package dev.gatehouse.cli;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse hunt}: sends one KQL query to the gateway's {@code POST /api/v1/hunting/run} and prints the rows as
 * a table (or the API's JSON, or CSV). The query comes from {@code -f FILE}, {@code -c 'QUERY'}, or standard input, so
 * a query copied from an article or from Defender pastes as it is, over as many lines as it has. The gateway, token
 * and organization are chosen as for {@code gatehouse shell} ({@link GatewayClient}); with the operator token,
 * {@code --tenant} names the organization.
 *
 * <p>Exit status: 0 with rows (or none), 2 when the query (or the command line) is wrong, with the server's message
 * and its line:column; 1 when the gateway can't be reached, refuses the token or organization, is busy or times out.
 */
@Command(name = "hunt", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run an advanced hunting (KQL) query against a running gateway: -f FILE, -c 'QUERY', or paste it on standard input.")
final class HuntCommand implements Callable<Integer> {

    @Mixin GatewayClient.Options gateway = new GatewayClient.Options();
    @Option(names = "-c", description = "The query") String query;
    @Option(names = "-f", description = "A file holding the query (e.g. query.kql)") Path file;
    @Option(names = "--row-limit", paramLabel = "N", description = "At most N rows (1 to 30000, the default)") Integer rowLimit;
    @ArgGroup(exclusive = true) Format format = new Format();

    /** How the rows are printed: a table unless one of these is given. */
    static final class Format {
        @Option(names = "--json", description = "Print the API's JSON answer (Schema, Results, Truncated, ...)") boolean json;
        @Option(names = "--csv", description = "Print the rows as CSV, with a header row") boolean csv;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        if (query != null && file != null) return usage("give the query with -c or -f, not both");
        String text = query;
        if (file != null) {
            if (!Files.isReadable(file)) return usage("cannot read query file '" + file + "'");
            text = Files.readString(file, StandardCharsets.UTF_8);
        } else if (text == null) {
            if (System.console() != null && System.console().isTerminal()) {
                System.err.println("Paste a KQL query, then press Ctrl-D on a line of its own (Ctrl-Z, Enter on Windows).");
            }
            text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (text.isBlank()) return usage("no query: give -c 'QUERY', -f FILE, or the query on standard input");
        GatewayClient client;
        try {
            client = GatewayClient.connect("hunt", gateway);
        } catch (IOException e) {
            System.err.println("gatehouse hunt: " + e.getMessage());
            return 1;
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("Query", text);
        if (client.tenant != null) body.put("Organization", client.tenant);
        if (rowLimit != null) body.put("RowLimit", rowLimit);
        HttpResponse<String> r;
        try {
            r = client.post(dev.gatehouse.web.HuntingApi.PATH, body, GatewayClient.LONG_REQUEST);
        } catch (IOException e) {
            System.err.println(client.unreachable(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        JsonNode answer = client.json(r);
        if (answer == null) return 1;
        if (r.statusCode() != 200) {
            System.err.println(answer.path("error").path("message").asText("HTTP " + r.statusCode()));
            // the query or the request was wrong (400, 413): the user fixes the text; anything else is the connection's
            return r.statusCode() == 400 || r.statusCode() == 413 ? 2 : 1;
        }
        System.out.print(format.json ? answer.toPrettyString() + "\n" : format.csv ? HuntOutput.csv(answer) : HuntOutput.table(answer, HuntOutput.terminalWidth()));
        System.out.flush();
        return 0;
    }

    private static int usage(String message) {
        System.err.println("gatehouse hunt: " + message);
        return 2;
    }
}
