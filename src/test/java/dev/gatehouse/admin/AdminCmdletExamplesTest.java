// Every Get-Help example of the admin registry, run for real against an in-process gateway: each must succeed.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.OutputFiles;
import dev.gatehouse.cmdlet.PipelineRunner;
import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.quarantine.QuarantineMessage;
import dev.gatehouse.rules.QuarantineFixture;

/**
 * The examples are written against one organization, Contoso (contoso.com; mailboxes Alice and Bob; Fabrikam
 * owns fabrikam.com), with three quarantined messages to Bob, whose identities replace the examples' sample
 * identities. They run as an admin would try them: creating first, then reading, changing, releasing, and
 * removing last, each verb's examples in the registry's order. Every one must succeed.
 */
class AdminCmdletExamplesTest {
    /** The order an admin would run them in: what an example reads or changes was made by an earlier one. */
    static final List<String> VERB_ORDER = List.of("New", "Start", "Get", "Test", "Invoke", "Preview", "Export", "Format", "Select", "ConvertTo", "Set",
            "Disable", "Enable", "Release", "Stop", "Remove", "Delete");

    QuarantineFixture g;
    final List<String> quarantined = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        g = new QuarantineFixture(null);
        g.ok(g.contoso(), "New-TransportRule \"Hold for the examples\" -SubjectContainsWords invoice -Quarantine $true");
        for (int i = 1; i <= 3; i++) {
            String messageId = i == 1 ? "<invoice-2291@partner.example>" : "<invoice-" + i + "@partner.example>";
            String reply = g.send("billing@partner.example", List.of("bob@contoso.com"), "From: billing@partner.example\r\n"
                    + "To: bob@contoso.com\r\nSubject: invoice " + i + "\r\nMessage-ID: " + messageId + "\r\n\r\nPlease pay.\r\n");
            assertThat(reply).startsWith("250");
            RunResult found = g.ok(g.contoso(), "Get-QuarantineMessage -Subject 'invoice " + i + "'");
            quarantined.add(((QuarantineMessage) found.objects().getFirst()).Identity());
        }
        g.ok(g.contoso(), "Remove-TransportRule \"Hold for the examples\"");
    }

    @AfterEach
    void stop() throws IOException {
        g.close();
    }

    /**
     * The example as run here: the sample quarantine identities replaced by the real ones, the sample search's
     * dates by this week's (a search reaches 90 days back) and its JobId by the newest search the examples started.
     */
    String runnable(String code, AdminServices services) {
        String out = code.replace(QuarantineCmdlets.SAMPLE_1, quarantined.get(0)).replace(QuarantineCmdlets.SAMPLE_2, quarantined.get(1))
                .replace(QuarantineCmdlets.SAMPLE_3, quarantined.get(2));
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        out = out.replace(HistoricalSearchCmdlets.SAMPLE_START, today.minusDays(4).toString())
                .replace(HistoricalSearchCmdlets.SAMPLE_END, today.plusDays(1).toString());
        if (out.contains(HistoricalSearchCmdlets.SAMPLE_JOB)) {
            out = out.replace(HistoricalSearchCmdlets.SAMPLE_JOB, services.historicalSearch().list(g.contoso().id(), "Contoso").getFirst().JobId());
        }
        return out;
    }

    static int rank(CmdletDefinition<?> d) {
        int i = VERB_ORDER.indexOf(d.verb());
        if (i < 0) throw new AssertionError("no place in VERB_ORDER for " + d.name());
        return i;
    }

    @Test
    void everyExampleRunsForRealAgainstAFixtureOrganization(@TempDir Path files) throws IOException {
        CmdletRegistry<AdminContext> registry = AdminCmdlets.registry();
        PipelineRunner<AdminContext> runner = new PipelineRunner<>(registry, PipelineRunner.Options.defaults()
                .withFiles(OutputFiles.under(files)));
        // a search service without a worker: the examples' searches stay NotStarted, so Stop-HistoricalSearch can stop one
        AdminServices withSearches = AdminServices.over(g.store(), new dev.gatehouse.reports.HistoricalSearchService(g.store(),
                new dev.gatehouse.directory.Directory(g.store()), files.resolve("reports"), "http://mx.contoso.example:8080", () -> {},
                java.time.Clock.systemUTC()))
                // sender checks with no DNS to ask: every lookup fails at once (Test-MessageAuthentication then says temperror)
                .withSenderChecks(new dev.gatehouse.compauth.DnsSenderChecks(new dev.gatehouse.dns.DnsResolver(
                        dev.gatehouse.dns.testing.DnsServer.OFF, java.time.Duration.ofSeconds(1)),
                        dev.gatehouse.dmarc.PublicSuffixList.packaged(), "mx.gatehouse.test"));
        AdminContext contoso = new AdminContext(new Principal.Operator("admin@ops"), g.contoso(), withSearches);
        List<CmdletDefinition<AdminContext>> ordered = registry.all().stream().sorted(Comparator.comparingInt(AdminCmdletExamplesTest::rank)).toList();
        List<String> failures = new ArrayList<>();
        int ran = 0;
        for (CmdletDefinition<AdminContext> d : ordered) {
            for (CmdletDefinition.Example e : d.examples()) {
                RunResult r = runner.run(runnable(e.code(), withSearches), contoso);
                ran++;
                if (!r.succeeded()) failures.add(e.code() + "\n    -> " + r.errors().getFirst().formatted());
            }
        }
        assertThat(failures).as("examples that failed").isEmpty();
        assertThat(ran).isGreaterThan(registry.all().size());

        // they did what they say: a few spot checks of the state they leave behind
        var services = AdminServices.over(g.store());
        assertThat(services.tenants().list()).extracting(t -> t.Name()).containsExactlyInAnyOrder("Contoso", "Fabrikam");
        assertThat(g.ok(g.contoso(), "Get-Mailbox").objects()).extracting(o -> ((Views.MailboxView) o).Name())
                .containsExactlyInAnyOrder("Alice", "Bob", "Dave");
        assertThat(g.ok(g.contoso(), "Get-Mailbox Dave").objects()).singleElement()
                .satisfies(o -> assertThat(((Views.MailboxView) o).EmailAddresses())
                        .contains("SMTP:david@contoso.com", "smtp:dave@contoso.com", "smtp:d.jones@contoso.com"));
        assertThat(g.ok(g.contoso(), "Get-InboundConnector").objects()).extracting(o -> ((ConnectorCmdlets.InboundConnectorView) o).Name())
                .containsExactlyInAnyOrder("Hybrid", "Mail gateway");
        assertThat(g.ok(g.contoso(), "Get-TransportRule").objects()).extracting(o -> (Object) ((Map<?, ?>) o).get("Name"))
                .containsExactly("Tag external mail", "Redirect to quarantine if not coming from known IPs", "Quarantine spoofed contoso.com");
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage").objects()).isEmpty();
        assertThat(g.ok(g.contoso(), "Get-OrganizationConfig").objects()).singleElement()
                .satisfies(o -> assertThat(((OrganizationCmdlets.OrganizationConfigView) o).RejectDirectSend()).isTrue());
        assertThat(files.resolve("mailboxes.csv")).exists();
        assertThat(Files.readString(files.resolve("mailboxes.csv"))).contains("\"alice@contoso.com\"");
    }

    @Test
    void aFailingExampleWouldBeReported() {
        // the test above can fail: the same runner refuses an example whose object doesn't exist
        PipelineRunner<AdminContext> runner = new PipelineRunner<>(AdminCmdlets.registry());
        AdminServices services = AdminServices.over(g.store());
        AdminContext contoso = new AdminContext(new Principal.Operator("admin@ops"), g.contoso(), services);
        assertThat(runner.run("Remove-InboundConnector Scanner", contoso).succeeded()).isFalse();
        assertThat(runner.run(runnable("Preview-QuarantineMessage -Identity '" + QuarantineCmdlets.SAMPLE_1 + "'", services), contoso).succeeded()).isTrue();
        assertThat(runner.run("Preview-QuarantineMessage -Identity '" + QuarantineCmdlets.SAMPLE_1 + "'", contoso).succeeded()).isFalse();
    }
}
