// Over real SMTP through the real gateway: accepted mail appears in each tenant's hunting tables with Defender's
// column values (connector, direction, verdict, sender fields, attachments, URLs), a release in EmailPostDeliveryEvents,
// and no tenant's catalog shows another's rows.
package dev.gatehouse.hunting;

import static dev.gatehouse.hunting.HuntingMail.PDF;
import static dev.gatehouse.hunting.HuntingMail.PDF_SHA256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.kql.Catalog;
import dev.gatehouse.store.TestDatabase;

class HuntingTablesMailTest {
    static AdminHarness h;
    static final String DIRECT = "127.0.0.50";
    static final String SCANNER = "127.0.0.60";
    static long contoso;
    static long fabrikam;
    static String ruleGuid;
    static Instant before;

    @BeforeAll
    static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.organization("Contoso", "contoso.com", "Alice", "Bob");
        h.organization("Fabrikam", "fabrikam.com", "Carol");
        h.ok("Contoso", "New-InboundConnector", Map.of("Name", "CP-IP", "ConnectorType", "Partner", "SenderDomains", "*",
                "SenderIPAddresses", SCANNER));
        ruleGuid = h.ok("Contoso", "New-TransportRule", Map.of("Name", "Quarantine held mail", "SubjectContainsWords", "held",
                "Quarantine", true)).get(0).path("Guid").asText();
        contoso = new TenantService(h.gateway.store()).get("Contoso").id();
        fabrikam = new TenantService(h.gateway.store()).get("Fabrikam").id();
        before = Instant.now();

        HuntingMail.send(h, DIRECT, "alice@contoso.com", List.of("bob@contoso.com"),
                HuntingMail.report("\"Alice Example\" <alice@contoso.com>", "bob@contoso.com", "Monthly report", "<report-1@contoso.com>"));
        HuntingMail.send(h, SCANNER, "scanner@contoso.com", List.of("bob@contoso.com"),
                HuntingMail.plain("=?UTF-8?B?U2PDpG5uZXI=?= <scanner@contoso.com>", "Scanned document", "<scan-7@contoso.com>"));
        HuntingMail.send(h, DIRECT, "news@partner.example", List.of("alice@contoso.com", "carol@fabrikam.com"),
                HuntingMail.plain("news@partner.example", "Invoice held for review", "<held-3@partner.example>"));
        HuntingMail.caughtUp(h.gateway);
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    private static Catalog tenant(long id) { return h.gateway.huntingTables().catalog(id); }

    private static List<Map<String, Object>> rows(long tenant, String table) { return TableRows.of(tenant(tenant), table); }

    private static Map<String, Object> event(long tenant, String internetMessageId, String recipient) {
        List<Map<String, Object>> found = rows(tenant, "EmailEvents").stream()
                .filter(r -> r.get("InternetMessageId").equals(internetMessageId) && r.get("RecipientEmailAddress").equals(recipient)).toList();
        assertThat(found).as("EmailEvents rows of %s to %s", internetMessageId, recipient).hasSize(1);
        return found.getFirst();
    }

    @Test
    void directSendIsInboundWithNoConnectorDeliveredToTheInbox() {
        Map<String, Object> r = event(contoso, "<report-1@contoso.com>", "bob@contoso.com");
        assertThat(r.get("Connectors")).isEqualTo("");
        assertThat(r.get("EmailDirection")).isEqualTo("Inbound");
        assertThat(r.get("SenderIPv4")).isEqualTo(DIRECT);
        assertThat(r.get("SenderIPv6")).isEqualTo("");
        assertThat(r.get("DeliveryAction")).isEqualTo("Delivered");
        assertThat(r.get("DeliveryLocation")).isEqualTo("Inbox/Folder");
        assertThat(r.get("LatestDeliveryAction")).isEqualTo("Delivered");
        assertThat(r.get("LatestDeliveryLocation")).isEqualTo("Inbox/Folder");
        assertThat(r.get("SenderMailFromAddress")).isEqualTo("alice@contoso.com");
        assertThat(r.get("SenderFromAddress")).isEqualTo("alice@contoso.com");
        assertThat(r.get("SenderDisplayName")).isEqualTo("Alice Example");
        assertThat(r.get("SenderMailFromDomain")).isEqualTo("contoso.com");
        assertThat(r.get("SenderFromDomain")).isEqualTo("contoso.com");
        assertThat(r.get("Subject")).isEqualTo("Monthly report");
        assertThat(r.get("EmailAction")).isEqualTo("No action taken");
        assertThat(r.get("EmailActionPolicy")).isEqualTo("");
        assertThat(r.get("AuthenticationDetails")).isEqualTo("{}");
        assertThat(r.get("AttachmentCount")).isEqualTo(1);
        assertThat(r.get("UrlCount")).isEqualTo(3);
        assertThat(r.get("EmailClusterId")).isNull();
        assertThat(r.get("BulkComplaintLevel")).isNull();
        assertThat((String) r.get("NetworkMessageId")).matches("[0-9a-f-]{36}");
        assertThat((Instant) r.get("Timestamp")).isBetween(before.minusSeconds(1), Instant.now());
    }

    @Test
    void aConnectorMatchedMessageNamesItsConnectorAndDecodesTheDisplayName() {
        Map<String, Object> r = event(contoso, "<scan-7@contoso.com>", "bob@contoso.com");
        assertThat(r.get("Connectors")).isEqualTo("CP-IP");
        assertThat(r.get("EmailDirection")).isEqualTo("Inbound");
        assertThat(r.get("SenderIPv4")).isEqualTo(SCANNER);
        assertThat(r.get("SenderDisplayName")).isEqualTo("Scänner");
        assertThat(r.get("AttachmentCount")).isEqualTo(0);
        assertThat(r.get("UrlCount")).isEqualTo(0);
    }

    @Test
    void aQuarantinedCopyIsBlockedByTheTransportRuleWhileTheOtherTenantsCopyIsDelivered() {
        Map<String, Object> held = event(contoso, "<held-3@partner.example>", "alice@contoso.com");
        assertThat(held.get("DeliveryAction")).isEqualTo("Blocked");
        assertThat(held.get("DeliveryLocation")).isEqualTo("Quarantine");
        assertThat(held.get("EmailAction")).isEqualTo("send to quarantine");
        assertThat(held.get("EmailActionPolicy")).isEqualTo("Enterprise Transport Rules (ETR)");
        assertThat(held.get("EmailActionPolicyGuid")).isEqualTo(ruleGuid);
        assertThat(held.get("OrgLevelAction")).isEqualTo("Quarantine");
        assertThat(held.get("OrgLevelPolicy")).isEqualTo("Exchange transport rule");
        Map<String, Object> carol = event(fabrikam, "<held-3@partner.example>", "carol@fabrikam.com");
        assertThat(carol.get("DeliveryAction")).isEqualTo("Delivered");
        assertThat(carol.get("EmailAction")).isEqualTo("No action taken");
        assertThat(carol.get("NetworkMessageId")).isEqualTo(held.get("NetworkMessageId"));
    }

    @Test
    void eachTenantsCatalogHoldsOnlyItsOwnRows() {
        assertThat(rows(fabrikam, "EmailEvents")).extracting(r -> r.get("RecipientEmailAddress")).containsExactly("carol@fabrikam.com");
        assertThat(rows(contoso, "EmailEvents")).extracting(r -> r.get("RecipientEmailAddress"))
                .containsExactlyInAnyOrder("bob@contoso.com", "bob@contoso.com", "alice@contoso.com");
        assertThat(rows(fabrikam, "EmailAttachmentInfo")).isEmpty();
        assertThat(rows(fabrikam, "EmailUrlInfo")).isEmpty();
        assertThat(tenant(fabrikam).tableNames()).containsExactlyInAnyOrder("EmailEvents", "EmailAttachmentInfo", "EmailUrlInfo",
                "EmailPostDeliveryEvents");
        assertThat(tenant(999_999).table("EmailEvents").rows()).isZero();
    }

    @Test
    void theAttachmentIsListedPerRecipientWithTheSha256AndSizeOfItsDecodedBytes() {
        List<Map<String, Object>> a = rows(contoso, "EmailAttachmentInfo");
        assertThat(a).hasSize(1);
        Map<String, Object> r = a.getFirst();
        assertThat(r.get("FileName")).isEqualTo("report.pdf");
        assertThat(r.get("FileType")).isEqualTo("pdf");
        assertThat(r.get("SHA256")).isEqualTo(PDF_SHA256);
        assertThat(r.get("FileSize")).isEqualTo((long) PDF.length);
        assertThat(r.get("RecipientEmailAddress")).isEqualTo("bob@contoso.com");
        assertThat(r.get("SenderFromAddress")).isEqualTo("alice@contoso.com");
        assertThat(r.get("NetworkMessageId")).isEqualTo(event(contoso, "<report-1@contoso.com>", "bob@contoso.com").get("NetworkMessageId"));
    }

    @Test
    void urlsOfTheTextAndHtmlBodiesAreListedOncePerMessage() {
        List<Map<String, Object>> u = rows(contoso, "EmailUrlInfo");
        assertThat(u).extracting(r -> r.get("Url")).containsExactly(HuntingMail.URL_TEXT, HuntingMail.URL_HREF, HuntingMail.URL_SRC);
        assertThat(u).extracting(r -> r.get("UrlDomain")).containsExactly("portal.contoso-files.example", "portal.contoso-files.example",
                "cdn.example.net");
        assertThat(u).extracting(r -> r.get("UrlLocation")).containsOnly("Body");
    }

    @Test
    void reportIdsAreUniqueAcrossRows() {
        Set<Object> ids = new HashSet<>();
        for (long t : List.of(contoso, fabrikam)) {
            for (String table : List.of("EmailEvents", "EmailAttachmentInfo", "EmailUrlInfo")) {
                for (Map<String, Object> r : rows(t, table)) assertThat(ids.add(r.get("ReportId"))).as("%s %s", table, r).isTrue();
            }
        }
        assertThat(ids).hasSize(4 + 1 + 3);
    }

    @Test
    void aReleaseFromQuarantineIsAPostDeliveryEvent() {
        String identity = h.ok("Contoso", "Get-QuarantineMessage", Map.of()).get(0).path("Identity").asText();
        h.ok("Contoso", "Release-QuarantineMessage", Map.of("Identity", identity, "ReleaseToAll", true));
        await().atMost(Duration.ofSeconds(30)).until(() -> !rows(contoso, "EmailPostDeliveryEvents").isEmpty());
        Map<String, Object> r = rows(contoso, "EmailPostDeliveryEvents").getFirst();
        assertThat(r.get("NetworkMessageId")).isEqualTo(event(contoso, "<held-3@partner.example>", "alice@contoso.com").get("NetworkMessageId"));
        assertThat(r.get("InternetMessageId")).isEqualTo("<held-3@partner.example>");
        assertThat(r.get("RecipientEmailAddress")).isEqualTo("alice@contoso.com");
        assertThat(r.get("Action")).isEqualTo("Quarantine release");
        assertThat(r.get("ActionType")).isEqualTo("Manual remediation");
        assertThat(r.get("ActionTrigger")).isEqualTo("AdminAction");
        assertThat(r.get("ActionResult")).isEqualTo("Success");
        assertThat(r.get("DeliveryLocation")).isEqualTo("Inbox/Folder");
        assertThat(rows(fabrikam, "EmailPostDeliveryEvents")).isEmpty();
        // the release is not a second email: EmailEvents keeps one row for the copy
        event(contoso, "<held-3@partner.example>", "alice@contoso.com");
    }
}
