// `gatehouse hunt` in-process against a real in-process gateway with real mail: -c, -f and stdin; table, --json and --csv; exit statuses.
package dev.gatehouse.cli;

import static dev.gatehouse.admin.HuntingFixture.ARTICLE_QUERY;
import static dev.gatehouse.admin.HuntingFixture.CONTOSO;
import static dev.gatehouse.admin.HuntingFixture.DIRECT_SUBJECT;
import static dev.gatehouse.admin.HuntingFixture.FABRIKAM_SUBJECT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.admin.HuntingFixture;
import dev.gatehouse.store.TestDatabase;

class HuntCommandTest {
    static AdminHarness gateway;
    static Path tokenFile;
    static String contosoToken;

    @TempDir Path tmp;

    @BeforeAll
    static void start() throws IOException {
        gateway = new AdminHarness(TestDatabase.Kind.SQLITE);
        tokenFile = gateway.db.dir().resolve("data").resolve("operator.token");
        OperatorToken.ensure(tokenFile, gateway.gateway);
        HuntingFixture.start(gateway);
        contosoToken = gateway.ok(null, "New-AdminToken", Map.of("Name", "contoso-admin", "Organization", CONTOSO)).get(0).get("Token").asText();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
    }

    /** hunt with the gateway's URL and Contoso's tenant admin token. */
    private static Cli.Result hunt(String stdin, String... args) {
        String[] all = new String[args.length + 5];
        System.arraycopy(new String[] {"hunt", "--url", gateway.base, "--token", contosoToken}, 0, all, 0, 5);
        System.arraycopy(args, 0, all, 5, args.length);
        return Cli.runWithInput(stdin, all);
    }

    @Test
    void theArticlesQueryPastedOnStandardInputPrintsATableWithARowCount() {
        Cli.Result r = hunt(ARTICLE_QUERY + "\n");
        assertThat(r.code()).as("%s", r).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).startsWith("Timestamp ").contains(" RecipientEmailAddress ").contains(" SenderFromAddress ").endsWith(" SenderIPv6");
        assertThat(lines[1]).matches("-+( +-+)+"); // each header underlined, as PowerShell does
        assertThat(lines).hasSize(6);
        assertThat(lines[2]).contains("alice@contoso.com").contains(DIRECT_SUBJECT).contains("Inbound").contains("127.0.0.50");
        assertThat(lines[3]).contains("bob@contoso.com");
        assertThat(lines[4]).isEmpty();
        assertThat(lines[5]).isEqualTo("2 rows");
        // the columns line up: every column starts where its header starts
        int subject = lines[0].indexOf("Subject");
        assertThat(lines[2].substring(subject)).startsWith(DIRECT_SUBJECT);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aQueryFileAndAQueryOnTheCommandLineRunAlike() throws IOException {
        Path file = Files.writeString(tmp.resolve("query.kql"), ARTICLE_QUERY + "\n");
        Cli.Result fromFile = hunt("", "-f", file.toString());
        Cli.Result inline = hunt("", "-c", ARTICLE_QUERY);
        assertThat(fromFile.code()).as("%s", fromFile).isZero();
        assertThat(fromFile.out()).isEqualTo(inline.out()).endsWith("\n2 rows\n");
    }

    @Test
    void longValuesAreCutWithAnEllipsisAndTruncationIsInTheFooter() {
        Cli.Result r = hunt("", "-c", "EmailEvents | project NetworkMessageId, Note = strcat(Subject, ' ', Subject, ' ', Subject)",
                "--row-limit", "1");
        assertThat(r.code()).as("%s", r).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[2]).endsWith("…").hasSizeLessThanOrEqualTo(36 + 1 + HuntOutput.COLUMN_CAP);
        assertThat(lines[lines.length - 1]).isEqualTo("1 row (truncated to 1 row)");
    }

    @Test
    void jsonPrintsTheApisAnswer() throws IOException {
        Cli.Result r = hunt("", "-c", "EmailEvents | summarize Messages = count() by Connectors | sort by Connectors asc", "--json");
        assertThat(r.code()).as("%s", r).isZero();
        JsonNode answer = AdminHarness.JSON.readTree(r.out());
        assertThat(answer.path("Schema").toString()).isEqualTo("[{\"Name\":\"Connectors\",\"Type\":\"String\"},{\"Name\":\"Messages\",\"Type\":\"Int64\"}]");
        assertThat(answer.path("Results").toString()).isEqualTo("[{\"Connectors\":\"\",\"Messages\":2},{\"Connectors\":\"Scanner\",\"Messages\":1}]");
        assertThat(answer.path("Truncated").asBoolean()).isFalse();
    }

    @Test
    void csvPrintsAHeaderAndOneLinePerRow() {
        String nl = System.lineSeparator();
        Cli.Result r = hunt("", "-c", "EmailEvents | summarize Messages = count() by Connectors | sort by Connectors asc", "--csv");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo("\"Connectors\",\"Messages\"" + nl + "\"\",\"2\"" + nl + "\"Scanner\",\"1\"" + nl);
        Cli.Result empty = hunt("", "-c", "EmailEvents | where Subject == 'nothing' | project Subject, SenderIPv4", "--csv");
        assertThat(empty.out()).isEqualTo("\"Subject\",\"SenderIPv4\"" + nl);
        assertThat(hunt("", "-c", "EmailEvents", "--csv", "--json").code()).isEqualTo(2);
    }

    @Test
    void aQueryErrorPrintsItsPositionAndExitsTwo() {
        Cli.Result r = hunt("EmailEvents\n| where Nope == 1\n");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("Failed to resolve scalar expression named 'Nope' at 2:9\n");
        assertThat(r.out()).isEmpty();
        Cli.Result blank = hunt("  \n");
        assertThat(blank.code()).isEqualTo(2);
        assertThat(blank.err()).isEqualTo("gatehouse hunt: no query: give -c 'QUERY', -f FILE, or the query on standard input\n");
    }

    @Test
    void theOperatorNamesTheOrganizationWithTenant() {
        Cli.Result none = Cli.run("hunt", "--url", gateway.base, "--token-file", tokenFile.toString(), "-c", "EmailEvents");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("name the one to query");
        Cli.Result fabrikam = Cli.run("hunt", "--url", gateway.base, "--token-file", tokenFile.toString(), "--tenant", "Fabrikam", "-c",
                "EmailEvents | project Subject");
        assertThat(fabrikam.code()).as("%s", fabrikam).isZero();
        assertThat(fabrikam.out()).isEqualTo("Subject\n-------\n" + FABRIKAM_SUBJECT + "\n\n1 row\n");
        Cli.Result other = hunt("", "--tenant", "Fabrikam", "-c", "EmailEvents");
        assertThat(other.code()).isEqualTo(1);
        assertThat(other.err()).startsWith("A tenant admin token runs queries on its own organization (Contoso) only");
    }

    @Test
    void connectionAndTokenProblemsExitOne() throws IOException {
        String url = "http://127.0.0.1:" + AdminHarness.freePort();
        Cli.Result away = Cli.run("hunt", "--url", url, "--token", "x", "-c", "EmailEvents");
        assertThat(away.code()).isEqualTo(1);
        assertThat(away.err()).isEqualTo("gatehouse hunt: cannot reach the gateway at " + url + ": nothing answers there (connection refused):"
                + " is 'gatehouse serve' running, and is --url its --http-port?\n");
        Cli.Result badToken = Cli.run("hunt", "--url", gateway.base, "--token", "ghta_notAToken", "-c", "EmailEvents");
        assertThat(badToken.code()).isEqualTo(1);
        assertThat(badToken.err()).isEqualTo("A valid bearer token is required (Authorization: Bearer <token>).\n");
        Path missing = tmp.resolve("nope.token");
        Cli.Result noFile = Cli.run("hunt", "--url", gateway.base, "--token-file", missing.toString(), "-c", "EmailEvents");
        assertThat(noFile.code()).isEqualTo(1);
        assertThat(noFile.err()).isEqualTo("gatehouse hunt: --token-file '" + missing + "' does not exist or is not readable\n");
    }

    @Test
    void theShellSaysToUseHuntWhenKqlIsPastedIntoIt() {
        Cli.Result r = Cli.runWithInput(ARTICLE_QUERY + "\n", "shell", "--url", gateway.base, "--token", contosoToken);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("At line:2 char:1: An empty pipe element is not allowed.\nThis looks like a KQL query (advanced hunting), "
                + "not PowerShell. Run it with: gatehouse hunt -f query.kql (or run gatehouse hunt, paste the query and press Ctrl-D)");
        Cli.Result c = Cli.run("shell", "--url", gateway.base, "--token", contosoToken, "-c", ARTICLE_QUERY);
        assertThat(c.err()).isEqualTo(r.err());
    }

    @Test
    void theShellPrintsACmdletsWarningOnStderr() {
        Cli.Result r = Cli.run("shell", "--url", gateway.base, "--token", contosoToken, "-c",
                "Invoke-HuntingQuery 'EmailEvents | project Subject | sort by Subject asc' -RowLimit 1");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo("Subject : " + DIRECT_SUBJECT + "\n");
        assertThat(r.err()).isEqualTo("WARNING: The results were truncated to 1 row; narrow the query (where, summarize, take) to see the rest.\n");
    }
}
