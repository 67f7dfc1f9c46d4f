// MailflowBrowserTest: Mail flow › Connectors, Rules and Accepted domains in a real browser against a real gateway.
package dev.gatehouse.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.store.TestDatabase;

class MailflowBrowserTest {
    static AdminHarness h;
    static Browser b;
    static String contosoToken;

    @BeforeAll static void start() throws Exception {
        Browser.assumeInstalled();
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.organization("Contoso", "contoso.com", "Alice");
        h.organization("Fabrikam", "fabrikam.com", "Bob");
        contosoToken = h.adminToken("Contoso", "contoso-admin");
        b = new Browser(h.base);
        b.signIn(contosoToken);
    }

    @AfterAll static void stop() {
        if (b != null) b.close();
        if (h != null) h.close();
    }

    @BeforeEach void quiet() { b.consoleErrors(); }

    /** The browser logs a form shown again with its errors (400) as a failed load; anything else fails the test. */
    private static void assertOnlyRefusedForms() {
        assertThat(b.consoleErrors()).allMatch(e -> e.contains("400"));
    }

    private static void submit() { b.find("form.mailflow button[type=submit]").click(); }

    private static void tick(String id, boolean on) {
        WebElement box = b.find("#" + id);
        if (box.isSelected() != on) box.click();
    }

    private static JsonNode connector(String name) { return h.ok("Contoso", "Get-InboundConnector", Map.of("Identity", name)).get(0); }

    @Test void aConnectorIsCreatedThroughTheFormAndABadIpRangeIsRefusedNextToItsField() {
        String name = "Scanner <script>alert('c')</script>";
        b.open("/mailflow/connectors/new");
        b.type("Name", name);
        b.type("SenderDomains", "contoso.com\n*.contoso.com");
        b.type("SenderIPAddresses", "198.51.100.7\n10.0.0.0/8");
        tick("RequireTls", true);
        submit();

        AdminHarness.Response rest = h.invoke(h.operatorToken, "Contoso", "New-InboundConnector", Map.of("Name", "probe", "SenderDomains",
                List.of("contoso.com"), "SenderIPAddresses", List.of("198.51.100.7", "10.0.0.0/8")));
        assertThat(rest.json().path("error").path("parameter").asText()).isEqualTo("SenderIPAddresses");
        String shown = b.waitFor("#SenderIPAddresses-error").getText();
        assertThat(rest.errorMessage()).as("the cmdlet's own message, by its field").isEqualTo("New-InboundConnector: " + shown);
        assertThat(shown).startsWith("-SenderIPAddresses '10.0.0.0/8': ");
        assertThat(b.find("#SenderIPAddresses").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(b.find("#SenderIPAddresses").getAttribute("aria-describedby")).contains("SenderIPAddresses-error");
        assertThat(b.find("#Name").getAttribute("value")).as("what was typed is kept").isEqualTo(name);
        assertThat(b.find("#SenderDomains").getAttribute("value")).isEqualTo("contoso.com\n*.contoso.com");
        assertThat(b.find("#RequireTls").isSelected()).isTrue();
        assertThat(b.driver.switchTo().activeElement().getAttribute("id")).as("the list of fields to fix has focus").isEqualTo("form-errors");
        b.find("#form-errors a[href='#SenderIPAddresses']");
        b.shot("mailflow-connector-edit");

        b.type("SenderIPAddresses", "198.51.100.7\n192.0.2.0/24");
        submit();
        b.waitFor("#connectors");
        assertThat(b.find(".notice").getText()).isEqualTo("Created the connector " + name + ".");
        assertThat(b.find("#connectors tbody a").getText()).as("shown as text, not run").isEqualTo(name);
        assertThat(b.driver.getPageSource()).doesNotContain("<script>alert('c')");
        assertThat(b.find("#connectors tbody").getText()).contains("198.51.100.7", "192.0.2.0/24", "*.contoso.com", "Partner", "Enabled");
        JsonNode c = connector(name);
        assertThat(c.get("SenderIPAddresses").toString()).isEqualTo("[\"198.51.100.7\",\"192.0.2.0/24\"]");
        assertThat(c.get("RequireTls").asBoolean()).isTrue();
        b.shot("mailflow-connectors");
        assertOnlyRefusedForms();

        // edit: clearing a field clears it; unticking turns it off
        b.find("#connectors tbody a").click();
        b.waitFor("#SenderIPAddresses");
        assertThat(b.find("#SenderIPAddresses").getAttribute("value")).isEqualTo("198.51.100.7\n192.0.2.0/24");
        b.type("SenderIPAddresses", "");
        b.type("TlsSenderCertificateName", "mail.contoso.com");
        tick("RequireTls", false);
        submit();
        b.waitFor("#connectors");
        c = connector(name);
        assertThat(c.get("SenderIPAddresses")).isEmpty();
        assertThat(c.get("TlsSenderCertificateName").asText()).isEqualTo("mail.contoso.com");
        assertThat(c.get("RequireTls").asBoolean()).isFalse();

        b.find("#connectors button[aria-label^='Turn off']").click();
        b.waitFor("#connectors .badge.off");
        assertThat(connector(name).get("Enabled").asBoolean()).isFalse();
        b.find("#connectors button[aria-label^='Turn on']").click();
        b.waitFor("#connectors .badge.on");
        assertThat(connector(name).get("Enabled").asBoolean()).isTrue();

        b.find("#connectors button.danger").click();
        assertThat(b.driver.switchTo().alert().getText()).startsWith("Delete the connector " + name + "?");
        b.driver.switchTo().alert().accept();
        b.waitForText(".notice", "Removed the connector");
        assertThat(b.all("#connectors")).isEmpty();
        assertThat(h.ok("Contoso", "Get-InboundConnector", Map.of())).isEmpty();
        b.assertNoConsoleErrors();
    }

    @Test void aRuleQuarantiningMailFromOutsideAnIpRangeIsCreatedAndShownInWords() {
        h.ok("Contoso", "New-TransportRule", Map.of("Name", "Tag external mail", "FromScope", "NotInOrganization", "PrependSubject",
                "[External] ", "ExceptIfSubjectContainsWords", List.of("[External]"), "Mode", "Audit"));
        b.open("/mailflow/rules/new");
        b.type("Name", "Quarantine mail from outside 192.0.2.0/24");
        assertThat(b.find("#ExceptIfSenderIpRanges").isDisplayed()).as("the exceptions are folded while empty").isFalse();
        b.find("details.section summary").click();
        b.type("ExceptIfSenderIpRanges", "192.0.2.0/24");
        tick("Quarantine", true);
        tick("StopRuleProcessing", true);
        submit();

        b.waitFor("li.rule");
        String guid = h.ok("Contoso", "Get-TransportRule", Map.of("Identity", "Quarantine mail from outside 192.0.2.0/24")).get(0)
                .get("Guid").asText();
        WebElement rule = b.find("#rule-" + guid);
        assertThat(ruleNames()).as("a new rule goes last").containsExactly("Tag external mail", "Quarantine mail from outside 192.0.2.0/24");
        assertThat(rule.findElement(org.openqa.selenium.By.cssSelector(".rule-name")).getText()).isEqualTo("Quarantine mail from outside 192.0.2.0/24");
        assertThat(rule.findElement(org.openqa.selenium.By.cssSelector(".words")).getText()).isEqualTo("""
                Applies to every message.
                Take the following actions:
                Deliver the message to the hosted quarantine
                and Stop processing more rules
                Except if the message:
                sender ip addresses belong to one of these ranges: '192.0.2.0/24'""");
        JsonNode saved = h.ok("Contoso", "Get-TransportRule", Map.of("Identity", "Quarantine mail from outside 192.0.2.0/24")).get(0);
        assertThat(saved.get("ExceptIfSenderIpRanges").toString()).isEqualTo("[\"192.0.2.0/24\"]");
        assertThat(saved.get("Quarantine").asBoolean()).isTrue();
        assertThat(saved.has("SenderIpRanges")).as("empty fields of a new rule are left out").isFalse();
        b.shot("mailflow-rules");

        // a change that leaves no action: the cmdlet's general error at the top, the form as typed
        rule.findElement(org.openqa.selenium.By.cssSelector(".rule-name")).click();
        b.waitFor("#Quarantine");
        b.shot("mailflow-rule-edit");
        assertThat(b.find("details.section").getAttribute("open")).as("an exception with a value is shown").isNotNull();
        tick("Quarantine", false);
        b.type("ExceptIfSenderIpRanges", "192.0.2.0/24\n198.51.100.0/24");
        submit();
        assertThat(b.waitFor("#form-errors").getText()).startsWith("A transport rule needs at least one action");
        assertThat(b.find("#ExceptIfSenderIpRanges").getAttribute("value")).isEqualTo("192.0.2.0/24\n198.51.100.0/24");
        b.type("PrependSubject", "[External] ");
        submit();
        b.waitFor("li.rule");
        saved = h.ok("Contoso", "Get-TransportRule", Map.of("Identity", "Quarantine mail from outside 192.0.2.0/24")).get(0);
        assertThat(saved.has("Quarantine")).as("an unticked action is removed").isFalse();
        assertThat(saved.get("PrependSubject").asText()).isEqualTo("[External] ");
        assertThat(saved.get("ExceptIfSenderIpRanges").toString()).isEqualTo("[\"192.0.2.0/24\",\"198.51.100.0/24\"]");
        assertOnlyRefusedForms();
        h.ok("Contoso", "Remove-TransportRule", Map.of("Identity", "Quarantine mail from outside 192.0.2.0/24"));
        h.ok("Contoso", "Remove-TransportRule", Map.of("Identity", "Tag external mail"));
    }

    private static List<String> ruleNames() { return b.all("li.rule .rule-name").stream().map(WebElement::getText).toList(); }

    private static List<String> ruleOrder() {
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode r : h.ok("Contoso", "Get-TransportRule", Map.of())) names.add(r.get("Name").asText());
        return names;
    }

    @Test void rulesMoveUpAndDownTurnOffAndOnAndAreDeleted() {
        String evil = "<script>alert('r')</script>";
        h.ok("Contoso", "New-TransportRule", Map.of("Name", "Tag external", "FromScope", "NotInOrganization", "PrependSubject", "[Ext] "));
        h.ok("Contoso", "New-TransportRule", Map.of("Name", evil, "SubjectContainsWords", List.of("<img src=x onerror=alert(1)>"),
                "SetSCL", 5));
        String guid = h.ok("Contoso", "Get-TransportRule", Map.of("Identity", evil)).get(0).get("Guid").asText();
        b.open("/mailflow/rules");
        assertThat(ruleNames()).containsExactly("Tag external", evil);
        assertThat(b.find("#rule-" + guid + " .words").getText()).contains("Includes these words in the message subject: '<img src=x onerror=alert(1)>'");
        assertThat(b.find("#rule-list li:first-child button[id^=up-]").isEnabled()).as("the first can't move up").isFalse();

        b.find("#up-" + guid).click();
        b.waitForText("#rule-list [role=status]", "Moved the rule " + evil + " up to priority 0.");
        assertThat(ruleNames()).containsExactly(evil, "Tag external");
        assertThat(ruleOrder()).as("Get-TransportRule agrees").containsExactly(evil, "Tag external");
        assertThat(b.driver.switchTo().activeElement().getAttribute("id")).as("now first, it can only move down")
                .isEqualTo("down-" + guid);
        b.open("/mailflow/rules");
        assertThat(ruleNames()).as("the order persists").containsExactly(evil, "Tag external");

        b.find("#enabled-" + guid).click();
        b.waitForText("#rule-list [role=status]", "Turned off the rule");
        assertThat(b.find("#rule-" + guid + " .badge.off").getText()).isEqualTo("Disabled");
        assertThat(h.ok("Contoso", "Get-TransportRule", Map.of("Identity", guid)).get(0).get("State").asText()).isEqualTo("Disabled");
        assertThat(b.driver.switchTo().activeElement().getText()).isEqualTo("Turn on");
        b.find("#enabled-" + guid).click();
        b.waitForText("#rule-list [role=status]", "Turned on the rule");
        assertThat(h.ok("Contoso", "Get-TransportRule", Map.of("Identity", guid)).get(0).get("State").asText()).isEqualTo("Enabled");

        b.find("#rule-" + guid + " button.danger").click();
        b.driver.switchTo().alert().accept();
        b.waitForText(".notice", "Removed the rule " + evil + ".");
        assertThat(ruleNames()).containsExactly("Tag external");
        assertThat(ruleOrder()).containsExactly("Tag external");
        assertThat(b.driver.getPageSource()).doesNotContain("<script>alert('r')").doesNotContain("<img src=x");
        b.assertNoConsoleErrors();
        h.ok("Contoso", "Remove-TransportRule", Map.of("Identity", "Tag external"));
    }

    @Test void acceptedDomainsAreAddedChangedAndRemoved() {
        b.open("/mailflow/domains");
        assertThat(b.find("#domains").getText()).contains("contoso.com", "Authoritative");
        b.type("Name", "Contoso Europe");
        b.type("DomainName", "contoso..eu");
        submit();
        assertThat(b.waitFor("#DomainName-error").getText()).isEqualTo("DomainName 'contoso..eu' is not a valid domain name");
        assertThat(b.find("#Name").getAttribute("value")).isEqualTo("Contoso Europe");
        b.type("DomainName", "contoso.eu");
        new Select(b.find("#DomainType")).selectByVisibleText("InternalRelay");
        submit();
        b.waitForText(".notice", "Added the domain contoso.eu.");
        assertThat(b.find("#domains").getText()).contains("Contoso Europe", "contoso.eu", "InternalRelay");
        b.shot("mailflow-domains");

        b.open("/mailflow/domains/contoso.eu");
        new Select(b.find("#DomainType")).selectByVisibleText("Authoritative");
        tick("MatchSubDomains", true);
        submit();
        assertThat(b.waitFor("#form-errors").getText()).contains("MatchSubDomains can be set only on an InternalRelay domain");
        b.shot("mailflow-domain-edit");
        tick("MatchSubDomains", false);
        submit();
        b.waitForText(".notice", "Saved the domain contoso.eu.");
        assertThat(h.ok("Contoso", "Get-AcceptedDomain", Map.of("Identity", "contoso.eu")).get(0).get("DomainType").asText())
                .isEqualTo("Authoritative");

        b.find("button[aria-label='Delete contoso.com']").click();
        b.driver.switchTo().alert().accept();
        assertThat(b.waitFor(".notice").getText()).as("refused: Alice has an address there")
                .contains("can't be removed because 1 email address(es) of recipients use it");
        b.find("button[aria-label='Delete contoso.eu']").click();
        b.driver.switchTo().alert().accept();
        b.waitForText(".notice", "Removed the domain contoso.eu.");
        assertThat(b.find("#domains").getText()).doesNotContain("contoso.eu");
        assertOnlyRefusedForms();
    }

    @Test void anotherOrganizationsConnectorsRulesAndDomainsCantBeSeenChangedOrDeleted() throws Exception {
        h.ok("Fabrikam", "New-InboundConnector", Map.of("Name", "Fabrikam relay", "SenderDomains", List.of("*"),
                "SenderIPAddresses", List.of("203.0.113.9")));
        h.ok("Fabrikam", "New-TransportRule", Map.of("Name", "Fabrikam rule", "Quarantine", true));
        String connector = h.ok("Fabrikam", "Get-InboundConnector", Map.of("Identity", "Fabrikam relay")).get(0).get("Guid").asText();
        String rule = h.ok("Fabrikam", "Get-TransportRule", Map.of("Identity", "Fabrikam rule")).get(0).get("Guid").asText();

        for (String list : List.of("/mailflow/connectors", "/mailflow/rules", "/mailflow/domains")) {
            b.open(list);
            assertThat(b.find("main").getText()).as(list).doesNotContain("Fabrikam").doesNotContain("fabrikam.com");
        }
        for (String path : List.of("/mailflow/connectors/" + connector, "/mailflow/connectors/Fabrikam%20relay",
                "/mailflow/rules/" + rule, "/mailflow/domains/fabrikam.com")) {
            b.open(path);
            assertThat(b.find("h1").getText()).as(path).isEqualTo("Not found");
        }
        assertThat(b.consoleErrors()).hasSize(4).allMatch(e -> e.contains("404"));

        String cookie = b.driver.manage().getCookieNamed("gatehouse_session").getValue();
        String csrf = b.find("meta[name=csrf-token]").getAttribute("content");
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> posts = Map.of(
                "/mailflow/connectors/" + connector, "Name=Mine&SenderDomains=*",
                "/mailflow/connectors/" + connector + "/enabled", "Enabled=",
                "/mailflow/connectors/" + connector + "/delete", "",
                "/mailflow/rules/" + rule, "Name=Mine&PrependSubject=x",
                "/mailflow/rules/" + rule + "/priority", "direction=down",
                "/mailflow/rules/" + rule + "/enabled", "Enabled=",
                "/mailflow/rules/" + rule + "/delete", "",
                "/mailflow/domains/fabrikam.com", "DomainType=InternalRelay",
                "/mailflow/domains/fabrikam.com/delete", "");
        for (var post : posts.entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(h.base + post.getKey()))
                    .header("Cookie", "gatehouse_session=" + cookie).header("X-CSRF-Token", csrf)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(post.getValue())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(post.getKey()).isEqualTo(404);
        }
        JsonNode c = h.ok("Fabrikam", "Get-InboundConnector", Map.of("Identity", connector)).get(0);
        assertThat(c.get("Name").asText()).isEqualTo("Fabrikam relay");
        assertThat(c.get("Enabled").asBoolean()).isTrue();
        JsonNode r = h.ok("Fabrikam", "Get-TransportRule", Map.of("Identity", rule)).get(0);
        assertThat(r.get("Name").asText()).isEqualTo("Fabrikam rule");
        assertThat(r.get("State").asText()).isEqualTo("Enabled");
        assertThat(r.has("PrependSubject")).isFalse();
        assertThat(h.ok("Fabrikam", "Get-AcceptedDomain", Map.of("Identity", "fabrikam.com")).get(0).get("DomainType").asText())
                .isEqualTo("Authoritative");
    }
}
