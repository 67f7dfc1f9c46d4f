// Over real HTTP against an in-process gateway: Get-TransportRule shows each rule's Description in Exchange's words, where
// Exchange puts it (after ExpiryDate), as JSON and through Format-List.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness.Response;
import dev.gatehouse.store.TestDatabase;

class TransportRuleDescriptionCmdletTest {
    static AdminHarness h;
    static final String CONTOSO = "Contoso";

    @BeforeAll
    static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.organization(CONTOSO, "contoso.com", "Alice", "Bob");
        script("New-TransportRule \"Tag external mail\" -FromScope NotInOrganization -SubjectContainsWords invoice,payment "
                + "-PrependSubject '[External] ' -ExceptIfSenderIpRanges 192.0.2.0/24 -StopRuleProcessing $true");
        script("New-TransportRule \"Block executables\" -AttachmentExtensionMatchesWords exe,js -RejectMessageReasonText "
                + "\"Executable attachments are not accepted\" -RejectMessageEnhancedStatusCode 5.7.950");
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    static Response script(String text) {
        Response r = h.runScript(h.operatorToken, CONTOSO, text, false);
        assertThat(r.status()).as("%s -> %s", text, r).isEqualTo(200);
        assertThat(r.json().path("Errors")).as("%s -> %s", text, r).isEmpty();
        return r;
    }

    @Test
    void theJsonViewCarriesTheDescriptionAfterExpiryDate() {
        JsonNode rules = h.ok(CONTOSO, "Get-TransportRule", java.util.Map.of());
        assertThat(rules).hasSize(2);
        JsonNode tag = rules.get(0);
        assertThat(tag.path("Description").asText()).isEqualTo("If the message:\r\n"
                + "\tIs received from 'Outside the organization'\r\n"
                + "\tand Includes these words in the message subject: 'invoice' or 'payment'\r\n"
                + "Take the following actions:\r\n"
                + "\tPrepend the subject with '[External] '\r\n"
                + "\tand Stop processing more rules\r\n"
                + "Except if the message:\r\n"
                + "\tsender ip addresses belong to one of these ranges: '192.0.2.0/24'\r\n");
        List<String> names = new ArrayList<>();
        tag.fieldNames().forEachRemaining(names::add);
        assertThat(names.indexOf("Description")).isEqualTo(names.indexOf("ExpiryDate") + 1);
        assertThat(rules.get(1).path("Description").asText()).contains("\tAny attachment's file extension includes these words: 'exe' or 'js'\r\n",
                "\treject the message and include the explanation 'Executable attachments are not accepted' with the status code: '5.7.950'\r\n");
    }

    @Test
    void formatListShowsItLineByLineUnderItsName() {
        String out = script("Get-TransportRule \"Block executables\" | Format-List Name,Description").json().path("Output").asText();
        List<String> lines = out.lines().map(String::stripTrailing).toList();
        assertThat(lines).containsSubsequence(
                "Name        : Block executables",
                "Description : If the message:",
                "              \tAny attachment's file extension includes these words: 'exe' or 'js'",
                "              Take the following actions:",
                "              \treject the message and include the explanation 'Executable attachments are not accepted' with the status code: '5.7.950'");
    }

    @Test
    void aChangedRuleIsDescribedAsItNowIs() {
        script("New-TransportRule Changing -SentTo bob@contoso.com -Quarantine $true");
        try {
            script("Set-TransportRule Changing -SentTo alice@contoso.com -Quarantine $false -DeleteMessage $true");
            String description = h.ok(CONTOSO, "Get-TransportRule", java.util.Map.of("Identity", "Changing")).get(0).path("Description").asText();
            assertThat(description).isEqualTo("If the message:\r\n\tIs sent to 'alice@contoso.com'\r\nTake the following actions:\r\n"
                    + "\tDelete the message without notifying the recipient or sender\r\n");
        } finally {
            script("Remove-TransportRule Changing");
        }
    }
}
