// The admin REST API end to end over real HTTP: InvokeCommand, RunScript, Commands, openapi.json, errors.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness.Response;
import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.store.TestDatabase;

/**
 * The REST half of issue 3's "done when": create a tenant, its accepted domain and a mailbox with
 * InvokeCommand JSON, list them back; binding and validation errors are 400 with a message naming the
 * cmdlet, the parameter and the value, and change nothing; -WhatIf reports without changing.
 */
class AdminRestTest {

    static AdminHarness h;
    static final String T = "Contoso";

    @BeforeAll
    static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.ok(null, "New-Tenant", Map.of("Name", T));
        h.ok(T, "New-AcceptedDomain", Map.of("Name", "contoso.com", "DomainName", "contoso.com"));
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    private static Response op(String tenant, String cmdlet, Map<String, ?> params) {
        return h.invoke(h.operatorToken, tenant, cmdlet, params);
    }

    private static List<String> names(JsonNode value, String property) {
        List<String> out = new ArrayList<>();
        value.forEach(n -> out.add(n.path(property).asText()));
        return out;
    }

    @Test
    void onlyTheOperatorMayAddADomainOverlappingAnotherOrganizationsAndTheOverrideIsAudited() {
        op(null, "New-Tenant", Map.of("Name", "Hoster"));
        op("Hoster", "New-AcceptedDomain", Map.of("Name", "hoster.example", "DomainName", "hoster.example"));
        Response token = op("Contoso", "New-AdminToken", Map.of("Name", "contoso-admin-overlap"));
        assertThat(token.status()).as("%s", token).isEqualTo(200);
        String tenantToken = token.value().get(0).get("Token").asText();
        Response refused = h.invoke(tenantToken, T, "New-AcceptedDomain", Map.of("Name", "c1", "DomainName", "contoso.hoster.example"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorMessage()).contains("'contoso.hoster.example'", "a subdomain of 'hoster.example'").doesNotContain("Hoster");
        Response forced = h.invoke(tenantToken, T, "New-AcceptedDomain",
                Map.of("Name", "c1", "DomainName", "contoso.hoster.example", "AllowOverlapWithOtherOrganization", true));
        assertThat(forced.status()).isEqualTo(400);
        assertThat(forced.errorMessage()).contains("needs the operator token");
        var audit = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.gatehouse.audit");
        var seen = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        seen.start();
        audit.addAppender(seen);
        try {
            Response allowed = op(T, "New-AcceptedDomain",
                    Map.of("Name", "c1", "DomainName", "contoso.hoster.example", "AllowOverlapWithOtherOrganization", true));
            assertThat(allowed.status()).as("%s", allowed).isEqualTo(200);
            assertThat(allowed.value().get(0).get("DomainName").asText()).isEqualTo("contoso.hoster.example");
        } finally {
            audit.detachAppender(seen);
        }
        assertThat(seen.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).singleElement().asString()
                .contains("event=admin_override", "cmdlet=New-AcceptedDomain", "domain=contoso.hoster.example", "override=AllowOverlapWithOtherOrganization");
    }

    @Test
    void deeplyNestedHugeOrOverlongRequestsGetA400NamingTheLimitAndTheServerKeepsAnswering() {
        String deep = "[".repeat(995) + "\"x\"" + "]".repeat(995);
        Response nested = h.post(h.operatorToken, "/adminapi/v1/" + T + "/InvokeCommand",
                "{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\",\"Parameters\":{\"Identity\":" + deep + "}}}");
        assertThat(nested.status()).isEqualTo(400);
        assertThat(nested.errorMessage()).contains("limit").containsAnyOf("32", "levels");
        String fortyDeep = "[".repeat(40) + "1" + "]".repeat(40);
        Response forty = h.post(h.operatorToken, "/adminapi/v1/" + T + "/InvokeCommand",
                "{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\",\"Parameters\":{\"Identity\":" + fortyDeep + "}}}");
        assertThat(forty.status()).isEqualTo(400);
        assertThat(forty.errorMessage()).contains("levels deep; the limit is 32");
        Response longString = h.post(h.operatorToken, "/adminapi/v1/" + T + "/InvokeCommand",
                "{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\",\"Parameters\":{\"Identity\":\"" + "a".repeat(70_000) + "\"}}}");
        assertThat(longString.status()).isEqualTo(400);
        assertThat(longString.errorMessage()).contains("70000 characters; the limit is 65536");
        Response many = h.post(h.operatorToken, "/adminapi/v1/" + T + "/InvokeCommand",
                "{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\",\"Parameters\":{\"Identity\":[" + "1,".repeat(20_000) + "1]}}}");
        assertThat(many.status()).isEqualTo(400);
        assertThat(many.errorMessage()).contains("more than 10000 JSON values");
        assertThat(op(T, "Get-AcceptedDomain", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void createsTenantDomainMailboxAndListsThemBack() {
        Response t = op(null, "New-Tenant", Map.of("Name", "Fabrikam"));
        assertThat(t.status()).as("%s", t).isEqualTo(200);
        assertThat(t.value().get(0).get("Name").asText()).isEqualTo("Fabrikam");
        assertThat(t.value().get(0).get("Guid").asText()).matches("[0-9a-f-]{36}");
        assertThat(t.json().get("@odata.context").asText()).endsWith("New-Tenant");

        Response d = op("Fabrikam", "New-AcceptedDomain", Map.of("Name", "Fabrikam Mail", "DomainName", "Fabrikam.EXAMPLE",
                "DomainType", "InternalRelay", "MatchSubDomains", true));
        assertThat(d.status()).as("%s", d).isEqualTo(200);
        JsonNode dom = d.value().get(0);
        assertThat(dom.get("DomainName").asText()).isEqualTo("fabrikam.example");
        assertThat(dom.get("DomainType").asText()).isEqualTo("InternalRelay");
        assertThat(dom.get("MatchSubDomains").asBoolean()).isTrue();

        Response m = op("Fabrikam", "New-Mailbox", Map.of("Name", "Dana", "PrimarySmtpAddress", "dana@fabrikam.example",
                "EmailAddresses", List.of("SMTP:dana@fabrikam.example", "smtp:d@sales.fabrikam.example")));
        assertThat(m.status()).as("%s", m).isEqualTo(200);
        assertThat(m.value().get(0).get("PrimarySmtpAddress").asText()).isEqualTo("dana@fabrikam.example");

        assertThat(names(op(null, "Get-Tenant", Map.of()).value(), "Name")).contains(T, "Fabrikam");
        assertThat(names(op("Fabrikam", "Get-AcceptedDomain", Map.of()).value(), "DomainName")).containsExactly("fabrikam.example");
        JsonNode mailboxes = op("Fabrikam", "Get-Mailbox", Map.of()).value();
        assertThat(names(mailboxes, "Name")).containsExactly("Dana");
        assertThat(mailboxes.get(0).get("EmailAddresses").toString()).contains("smtp:d@sales.fabrikam.example");
        // By guid in the URL too, and case-insensitively by name.
        String guid = t.value().get(0).get("Guid").asText();
        assertThat(names(op(guid, "Get-Mailbox", Map.of()).value(), "Name")).containsExactly("Dana");
        assertThat(names(op("FABRIKAM", "Get-Mailbox", Map.of("Identity", "D@SALES.fabrikam.example")).value(), "Name"))
                .containsExactly("Dana");
    }

    @Test
    void badEnumValueNamesCmdletParameterValueAndValidValues() {
        String before = op(T, "Get-AcceptedDomain", Map.of()).body();
        Response r = op(T, "New-AcceptedDomain", Map.of("Name", "fooish", "DomainName", "fooish.example", "DomainType", "Foo"));
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.errorMessage()).contains("New-AcceptedDomain", "DomainType", "\"Foo\"", "Authoritative", "InternalRelay");
        assertThat(r.json().path("error").path("parameter").asText()).isEqualTo("DomainType");
        assertThat(r.json().path("error").path("value").asText()).isEqualTo("Foo");
        assertThat(op(T, "Get-AcceptedDomain", Map.of()).body()).isEqualTo(before);
    }

    @Test
    void badBooleanNamesParameterAndValue() {
        String before = op(T, "Get-AcceptedDomain", Map.of()).body();
        Response r = op(T, "New-AcceptedDomain", Map.of("Name", "yesish", "DomainName", "yesish.example", "MatchSubDomains", "yes"));
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.errorMessage()).contains("New-AcceptedDomain", "MatchSubDomains", "yes");
        assertThat(r.errorMessage()).containsIgnoringCase("$true");
        assertThat(op(T, "Get-AcceptedDomain", Map.of()).body()).isEqualTo(before);
        // The same value as a JSON boolean is accepted (positive control), then removed.
        // (Exchange allows MatchSubDomains on InternalRelay domains only.)
        Response authoritative = op(T, "Set-AcceptedDomain", Map.of("Identity", "contoso.com", "MatchSubDomains", true));
        assertThat(authoritative.status()).as("%s", authoritative).isEqualTo(400);
        assertThat(authoritative.errorMessage()).contains("Set-AcceptedDomain", "InternalRelay", "contoso.com");
        Response ok = op(T, "Set-AcceptedDomain", Map.of("Identity", "contoso.com", "DomainType", "InternalRelay", "MatchSubDomains", true));
        assertThat(ok.status()).as("%s", ok).isEqualTo(200);
        assertThat(op(T, "Get-AcceptedDomain", Map.of("Identity", "contoso.com")).value().get(0).get("MatchSubDomains").asBoolean()).isTrue();
        assertThat(op(T, "Set-AcceptedDomain", Map.of("Identity", "contoso.com", "DomainType", "Authoritative", "MatchSubDomains", false))
                .status()).isEqualTo(200);
    }

    @Test
    void unknownCmdletUnknownParameterMissingMandatory() {
        Response unknown = op(T, "Get-Frobnicator", Map.of());
        assertThat(unknown.status()).as("%s", unknown).isEqualTo(400);
        assertThat(unknown.errorMessage()).contains("The term 'Get-Frobnicator' is not recognized");

        Response notAName = op(T, "Get-Mailbox; Remove-Tenant Contoso", Map.of());
        assertThat(notAName.status()).as("%s", notAName).isEqualTo(400);
        assertThat(op(null, "Get-Tenant", Map.of("Identity", T)).status()).isEqualTo(200);

        Response param = op(T, "Get-Mailbox", Map.of("Frobnicate", "x"));
        assertThat(param.status()).as("%s", param).isEqualTo(400);
        assertThat(param.errorMessage()).contains("Get-Mailbox", "Frobnicate");
        assertThat(param.json().path("error").path("parameter").asText()).isEqualTo("Frobnicate");

        Response missing = op(T, "New-Mailbox", Map.of("Name", "NoAddress"));
        assertThat(missing.status()).as("%s", missing).isEqualTo(400);
        assertThat(missing.errorMessage()).contains("New-Mailbox", "PrimarySmtpAddress");
        assertThat(op(T, "Get-Mailbox", Map.of()).body()).doesNotContain("NoAddress");

        Response noTenant = op(null, "Get-Mailbox", Map.of());
        assertThat(noTenant.status()).as("%s", noTenant).isEqualTo(400);
        assertThat(noTenant.errorMessage()).contains("--tenant", "/adminapi/v1/{tenant}/InvokeCommand");
    }

    @Test
    void whatIfReportsAndChangesNothing() {
        Response r = op(T, "New-Mailbox", Map.of("Name", "WhatIfUser", "PrimarySmtpAddress", "whatif@contoso.com", "WhatIf", true));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.value()).isEmpty();
        assertThat(r.json().path("WhatIf").toString()).contains("What if", "New-Mailbox", "WhatIfUser");
        assertThat(op(T, "Get-Mailbox", Map.of()).body()).doesNotContain("WhatIfUser");

        h.ok(T, "New-Mailbox", Map.of("Name", "Keeper", "PrimarySmtpAddress", "keeper@contoso.com"));
        Response rm = op(T, "Remove-Mailbox", Map.of("Identity", "keeper@contoso.com", "WhatIf", true));
        assertThat(rm.json().path("WhatIf").toString()).contains("Remove-Mailbox", "Keeper");
        Response set = op(T, "Set-Mailbox", Map.of("Identity", "Keeper", "EmailAddresses", Map.of("Add", List.of("smtp:k2@contoso.com")), "WhatIf", true));
        assertThat(set.json().path("WhatIf").toString()).contains("Set-Mailbox");
        assertThat(op(T, "Get-Mailbox", Map.of("Identity", "Keeper")).value().get(0).get("EmailAddresses").toString())
                .doesNotContain("k2@contoso.com");
        // -Confirm:$false is accepted and does the change.
        assertThat(op(T, "Remove-Mailbox", Map.of("Identity", "Keeper", "Confirm", false)).status()).isEqualTo(200);
        assertThat(op(T, "Get-Mailbox", Map.of("Identity", "Keeper")).status()).isEqualTo(404);

        // RunScript: the "What if:" line is in the text output, and in WhatIf when Json is asked for.
        Response text = h.runScript(h.operatorToken, T, "New-AcceptedDomain wi -DomainName wi.example -WhatIf", false);
        assertThat(text.json().path("Output").asText()).contains("What if", "wi.example");
        Response json = h.runScript(h.operatorToken, T, "New-AcceptedDomain wi -DomainName wi.example -WhatIf", true);
        assertThat(json.json().path("WhatIf").toString()).contains("What if", "wi.example");
        assertThat(op(T, "Get-AcceptedDomain", Map.of()).body()).doesNotContain("wi.example");
    }

    @Test
    void failedValidationChangesNothing() {
        h.ok(T, "New-Mailbox", Map.of("Name", "Vera", "PrimarySmtpAddress", "vera@contoso.com"));
        String vera = op(T, "Get-Mailbox", Map.of("Identity", "Vera")).body();
        String all = op(T, "Get-Mailbox", Map.of()).body();

        Response badDomain = op(T, "New-Mailbox", Map.of("Name", "Outsider", "PrimarySmtpAddress", "o@not-accepted.example"));
        assertThat(badDomain.status()).as("%s", badDomain).isEqualTo(400);
        assertThat(badDomain.errorMessage()).contains("New-Mailbox", "not-accepted.example");

        // A valid new primary with an invalid extra address: the whole Set-Mailbox fails, nothing changes.
        Response mixed = op(T, "Set-Mailbox", Map.of("Identity", "Vera", "PrimarySmtpAddress", "vera2@contoso.com",
                "EmailAddresses", Map.of("Add", List.of("smtp:vera@elsewhere.example"))));
        assertThat(mixed.status()).as("%s", mixed).isEqualTo(400);
        assertThat(mixed.errorMessage()).contains("Set-Mailbox", "elsewhere.example");

        Response dup = op(T, "New-Mailbox", Map.of("Name", "Vera Copy", "PrimarySmtpAddress", "VERA@contoso.com"));
        assertThat(dup.status()).as("%s", dup).isEqualTo(400);

        Response badName = op(T, "New-AcceptedDomain", Map.of("Name", "bad", "DomainName", "not a domain"));
        assertThat(badName.status()).as("%s", badName).isEqualTo(400);
        assertThat(badName.errorMessage()).contains("not a domain");

        assertThat(op(T, "Get-Mailbox", Map.of("Identity", "Vera")).body()).isEqualTo(vera);
        assertThat(op(T, "Get-Mailbox", Map.of()).body()).isEqualTo(all);
        assertThat(op(T, "Get-AcceptedDomain", Map.of()).body()).doesNotContain("not a domain");
    }

    @Test
    void setMailboxEmailAddressesAddAndRemoveEditTheList() {
        h.ok(T, "New-Mailbox", Map.of("Name", "Edith", "PrimarySmtpAddress", "edith@contoso.com"));
        Response add = op(T, "Set-Mailbox", Map.of("Identity", "Edith", "EmailAddresses",
                Map.of("Add", List.of("smtp:e1@contoso.com", "smtp:e2@contoso.com"))));
        assertThat(add.status()).as("%s", add).isEqualTo(200);
        JsonNode m = op(T, "Get-Mailbox", Map.of("Identity", "e2@contoso.com")).value().get(0);
        assertThat(m.get("Name").asText()).isEqualTo("Edith");
        assertThat(m.get("PrimarySmtpAddress").asText()).isEqualTo("edith@contoso.com");
        assertThat(m.get("EmailAddresses").toString()).contains("SMTP:edith@contoso.com", "smtp:e1@contoso.com", "smtp:e2@contoso.com");

        Response remove = op(T, "Set-Mailbox", Map.of("Identity", "Edith", "EmailAddresses", Map.of("Remove", List.of("e1@contoso.com"))));
        assertThat(remove.status()).as("%s", remove).isEqualTo(200);
        m = op(T, "Get-Mailbox", Map.of("Identity", "Edith")).value().get(0);
        assertThat(m.get("EmailAddresses").toString()).contains("smtp:e2@contoso.com").doesNotContain("e1@contoso.com");
        assertThat(op(T, "Get-Mailbox", Map.of("Identity", "e1@contoso.com")).status()).isEqualTo(404);
    }

    /** The operator's script may create the organization its URL names, then act on it (the shell's --tenant). */
    @Test
    void operatorScriptCreatesTheOrganizationItsUrlNames() {
        Response before = h.runScript(h.operatorToken, "Northwind", "Get-Mailbox", false);
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.json().path("Success").asBoolean()).isFalse();
        assertThat(before.json().path("Errors").toString()).contains("The organization 'Northwind' couldn't be found");
        assertThat(op("Northwind", "Get-Mailbox", Map.of()).status()).as("InvokeCommand keeps answering 404").isEqualTo(404);

        Response r = h.runScript(h.operatorToken, "Northwind", "New-Tenant Northwind; New-AcceptedDomain nw -DomainName northwind.example\n"
                + "New-Mailbox nancy -PrimarySmtpAddress nancy@northwind.example; Get-Mailbox | Select-Object -ExpandProperty Name", false);
        assertThat(r.json().path("Success").asBoolean()).as("%s", r).isTrue();
        assertThat(r.json().path("Output").asText()).contains("nancy");
        assertThat(names(op("Northwind", "Get-Mailbox", Map.of()).value(), "Name")).containsExactly("nancy");

        // A tenant admin token never gets that leeway: an unknown organization is 404 before anything runs.
        String token = h.ok(null, "New-AdminToken", Map.of("Name", "nw-admin", "Organization", "Northwind")).get(0).get("Token").asText();
        assertThat(h.runScript(token, "Southwind", "New-Tenant Southwind", false).status()).isEqualTo(404);
        assertThat(op(null, "Get-Tenant", Map.of()).body()).doesNotContain("Southwind");
    }

    @Test
    void openApiIsValidJsonWithTheInvokeCommandPath() throws Exception {
        Response r = h.get(null, "/adminapi/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = AdminHarness.JSON.readTree(r.body());
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        JsonNode post = doc.path("paths").path("/adminapi/v1/{tenant}/InvokeCommand").path("post");
        assertThat(post.isMissingNode()).isFalse();
        assertThat(post.path("responses").has("404")).isTrue();
        List<String> enumNames = new ArrayList<>();
        post.path("requestBody").path("content").path("application/json").path("schema").path("properties")
                .path("CmdletInput").path("properties").path("CmdletName").path("enum").forEach(n -> enumNames.add(n.asText()));
        assertThat(enumNames).containsExactlyInAnyOrderElementsOf(AdminCmdlets.registry().all().stream().map(CmdletDefinition::name).toList());
        assertThat(doc.path("paths").has("/adminapi/v1/InvokeCommand")).isTrue();
    }

    @Test
    void commandsListsEveryCmdletWithItsParameters() {
        Response r = h.get(h.operatorToken, "/adminapi/v1/Commands");
        assertThat(r.status()).isEqualTo(200);
        List<String> listed = names(r.json(), "Name");
        assertThat(listed).containsExactlyInAnyOrderElementsOf(AdminCmdlets.registry().all().stream().map(CmdletDefinition::name).toList());
        for (JsonNode c : r.json()) {
            if (c.get("Name").asText().equals("New-AcceptedDomain")) {
                assertThat(c.get("Parameters").toString()).contains("DomainName", "DomainType", "MatchSubDomains", "WhatIf");
            }
        }
    }

    @Test
    void malformedRequests() {
        Response notJson = h.post(h.operatorToken, "/adminapi/v1/" + T + "/InvokeCommand", "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errorMessage()).contains("not valid JSON");
        Response noInput = h.post(h.operatorToken, "/adminapi/v1/" + T + "/InvokeCommand", "{\"CmdletName\":\"Get-Mailbox\"}");
        assertThat(noInput.status()).isEqualTo(400);
        assertThat(noInput.errorMessage()).contains("CmdletInput");
        Response arrayParams = h.post(h.operatorToken, "/adminapi/v1/" + T + "/InvokeCommand",
                "{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\",\"Parameters\":[1]}}");
        assertThat(arrayParams.status()).isEqualTo(400);
        // A parameter value can't smuggle a second command: it is quoted, not spliced.
        Response smuggle = op(T, "Get-Mailbox", Map.of("Identity", "x'; Remove-Tenant Contoso; '"));
        assertThat(smuggle.status()).as("%s", smuggle).isEqualTo(404);
        Response typographic = op(T, "Get-Mailbox", Map.of("Identity", "x\u2019; Remove-Tenant Contoso; \u2018"));
        assertThat(typographic.status()).as("%s", typographic).isEqualTo(404);
        assertThat(op(null, "Get-Tenant", Map.of("Identity", T)).status()).isEqualTo(200);
        Response get = h.send(HttpRequest.newBuilder(URI.create(h.base + "/adminapi/v1/" + T + "/InvokeCommand"))
                .header("Authorization", "Bearer " + h.operatorToken).GET().build());
        assertThat(get.status()).isEqualTo(405);
        Response big = h.post(h.operatorToken, "/adminapi/v1/" + T + "/InvokeCommand", "{\"x\":\"" + "a".repeat(1 << 20) + "\"}");
        assertThat(big.status()).isEqualTo(413);
        Response endpoint = h.post(h.operatorToken, "/adminapi/v1/" + T + "/Frobnicate", "{}");
        assertThat(endpoint.status()).isEqualTo(404);
    }
}
