// A restarted gateway rebuilds exactly the hunting rows it had (none twice, attachments and URLs included) and then
// keeps appending new mail.
package dev.gatehouse.hunting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.it.RawSmtpClient;
import dev.gatehouse.kql.Catalog;
import dev.gatehouse.server.Gateway;
import dev.gatehouse.store.TestDatabase;

class HuntingRestartTest {
    private static final List<String> TABLES = List.of("EmailEvents", "EmailAttachmentInfo", "EmailUrlInfo", "EmailPostDeliveryEvents");

    private static Map<String, List<Map<String, Object>>> all(Catalog c) {
        Map<String, List<Map<String, Object>>> out = new HashMap<>();
        for (String t : TABLES) out.put(t, TableRows.of(c, t));
        return out;
    }

    @Test
    void aRestartRebuildsTheSameRowsAndThenKeepsAppending() throws Exception {
        try (AdminHarness h = new AdminHarness(TestDatabase.Kind.SQLITE)) {
            h.organization("Contoso", "contoso.com", "Alice", "Bob");
            h.ok("Contoso", "New-TransportRule", Map.of("Name", "Quarantine held mail", "SubjectContainsWords", "held", "Quarantine", true));
            long contoso = new TenantService(h.gateway.store()).get("Contoso").id();
            HuntingMail.send(h, "127.0.0.50", "alice@contoso.com", List.of("bob@contoso.com", "alice@contoso.com"),
                    HuntingMail.report("Alice <alice@contoso.com>", "bob@contoso.com", "Monthly report", "<report-1@contoso.com>"));
            HuntingMail.send(h, "127.0.0.50", "news@partner.example", List.of("alice@contoso.com"),
                    HuntingMail.plain("news@partner.example", "Invoice held", "<held-3@partner.example>"));
            String identity = h.ok("Contoso", "Get-QuarantineMessage", Map.of()).get(0).path("Identity").asText();
            h.ok("Contoso", "Release-QuarantineMessage", Map.of("Identity", identity, "ReleaseToAll", true));
            HuntingMail.caughtUp(h.gateway);
            Map<String, List<Map<String, Object>>> before = all(h.gateway.huntingTables().catalog(contoso));
            assertThat(before.get("EmailEvents")).hasSize(3);
            assertThat(before.get("EmailAttachmentInfo")).hasSize(2);
            assertThat(before.get("EmailUrlInfo")).hasSize(3);
            assertThat(before.get("EmailPostDeliveryEvents")).hasSize(1);

            h.gateway.close();
            try (Gateway again = restart(h)) {
                HuntingMail.caughtUp(again);
                Catalog c = again.huntingTables().catalog(contoso);
                assertThat(all(c)).isEqualTo(before);

                try (RawSmtpClient smtp = new RawSmtpClient("127.0.0.1", again.smtpPort(), "127.0.0.51")) {
                    smtp.reply();
                    smtp.cmd("EHLO sender.example");
                    assertThat(smtp.sendMessage("carl@partner.example", List.of("bob@contoso.com"),
                            HuntingMail.plain("carl@partner.example", "After the restart", "<after-1@partner.example>"))).startsWith("250");
                }
                HuntingMail.caughtUp(again);
                List<Map<String, Object>> events = TableRows.of(c, "EmailEvents");
                assertThat(events).hasSize(4);
                assertThat(events.subList(0, 3)).isEqualTo(before.get("EmailEvents"));
                assertThat(events.getLast().get("InternetMessageId")).isEqualTo("<after-1@partner.example>");
                assertThat(events.getLast().get("SenderIPv4")).isEqualTo("127.0.0.51");
                List<Object> reportIds = new ArrayList<>(events.stream().map(r -> r.get("ReportId")).toList());
                assertThat(reportIds).doesNotHaveDuplicates();
            }
        }
    }

    /** A second gateway over the first one's data directory, on new ports (as the launcher would restart it). */
    private static Gateway restart(AdminHarness h) throws Exception {
        Map<String, String> cli = new HashMap<>();
        cli.put("data-dir", h.db.dir().resolve("data").toString());
        cli.put("smtp-bind", "127.0.0.1");
        try (ServerSocket smtp = new ServerSocket(0); ServerSocket http = new ServerSocket(0)) {
            cli.put("smtp-port", String.valueOf(smtp.getLocalPort()));
            cli.put("http-port", String.valueOf(http.getLocalPort()));
        }
        cli.put("hostname", "mx.gatehouse.test");
        return new Gateway(new ConfigLoader(dev.gatehouse.dns.testing.DnsServer.withDnsOff(cli), Map.of(), null).load()).start();
    }
}
