// Spec scenarios 18-23 over SMTP against an in-process gateway, plus validation, priority, splitting and audit mode.
package dev.gatehouse.rules;

import static dev.gatehouse.rules.GatewayFixture.message;
import static dev.gatehouse.rules.GatewayFixture.queuedId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.quarantine.QuarantineMessage;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.trace.TraceService;

class TransportRulesEndToEndTest {
    static final String R0_NAME = "Redirect to quarantine if not coming from known IPs";
    /** 127.0.0.2 plays the spec's 192.0.2.0/24 gateway: the tests connect from it or from 127.0.0.1. */
    static final String R0 = "New-TransportRule -Name \"" + R0_NAME + "\" -Quarantine $true -ExceptIfHeaderContainsMessageHeader "
            + "'X-MS-Exchange-Organization-AuthAs' -ExceptIfHeaderContainsWords 'Internal' -ExceptIfSenderIpRanges '127.0.0.2/32',"
            + "'2001:db8::/32','198.51.100.1-198.51.100.20' -StopRuleProcessing $true -Priority 0";

    GatewayFixture g;

    @BeforeEach void start() throws IOException { g = new GatewayFixture(); }

    @AfterEach void stop() throws IOException { g.close(); }

    @Test
    void seedRuleVerbatimIsRefusedNamingTheParameterAndTheValue() throws IOException {
        String line = dev.gatehouse.admin.SeedArticle.TRANSPORT_RULE;
        RunResult r = g.run(g.contoso, line);
        assertThat(r.succeeded()).isFalse();
        assertThat(r.errors().getFirst().message()).contains("ExceptIfSenderIpRanges")
                .contains("MX records + on-premises IPs + other authorized IPs ");
        assertThat(g.ok(g.contoso, "Get-TransportRule").objects()).isEmpty();
        // with a real range in its place the same line creates the rule
        g.ok(g.contoso, line.replace("‘MX records + on-premises IPs + other authorized IPs '", "‘192.0.2.0/24'"));
        assertThat(new RuleService(g.store).list(g.contoso.id())).singleElement().satisfies(rule -> {
            assertThat(rule.priority()).isZero();
            assertThat(rule.parameters().get("ExceptIfSenderIpRanges")).isEqualTo(List.of("192.0.2.0/24"));
        });
    }

    @Test
    void scenarios18to20QuarantineUnknownIpsExceptTheGatewayAndNeverTrustAnInjectedAuthAs() throws Exception {
        g.ok(g.contoso, R0);
        g.ok(g.contoso, "New-TransportRule -Name Later -SetHeaderName X-Later -SetHeaderValue yes");
        // 18: anonymous from an unknown IP → quarantined, no later rule
        String reply = g.send("127.0.0.1", "alice@contoso.com", List.of("bob@contoso.com"),
                message("alice@contoso.com", "bob@contoso.com", "direct send", "", "hello"));
        assertThat(reply).startsWith("250");
        String nmid = queuedId(reply);
        List<MessageTraceEvent> events = g.events(g.contoso, nmid);
        String ruleGuid = new RuleService(g.store).get(g.contoso.id(), R0_NAME).guid();
        assertThat(events).extracting(MessageTraceEvent::detail).contains("Transport rule: '" + R0_NAME + "', ID: ('" + ruleGuid
                + "'), DLP policy: '', ID: (00000000-0000-0000-0000-000000000000).");
        assertThat(events).extracting(MessageTraceEvent::event).contains(TraceEventType.Quarantine).doesNotContain(TraceEventType.Deliver);
        assertThat(events).filteredOn(e -> e.event() == TraceEventType.TransportRule).hasSize(1); // "Later" never ran
        assertThat(new TraceService(g.store).recipients(g.contoso.id(), nmid)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo("Quarantined"));
        RunResult q = g.ok(g.contoso, "Get-QuarantineMessage -QuarantineTypes TransportRule");
        assertThat(q.objects()).hasSize(1);
        QuarantineMessage m = (QuarantineMessage) q.objects().getFirst();
        assertThat(m.Identity()).startsWith(nmid + "\\");
        assertThat(m.Type()).isEqualTo("Transport rule");
        assertThat(m.PolicyType()).isEqualTo("ExchangeTransportRule");
        assertThat(m.PolicyName()).isEqualTo(R0_NAME);
        assertThat(m.ReleaseStatus()).isEqualTo("NOTRELEASED");
        assertThat(m.Expires()).isEqualTo(m.ReceivedTime().plus(Duration.ofDays(30)));
        assertThat(m.RecipientAddress()).containsExactly("bob@contoso.com");

        // 19: from the exception IP → delivered normally (the Later rule runs)
        assertThat(g.send("127.0.0.2", "alice@contoso.com", List.of("bob@contoso.com"),
                message("alice@contoso.com", "bob@contoso.com", "from gateway", "", "hi"))).startsWith("250");
        await().atMost(Duration.ofSeconds(10)).until(() -> g.delivered(g.contoso, "bob@contoso.com").size() == 1);
        assertThat(g.delivered(g.contoso, "bob@contoso.com").getFirst()).contains("Subject: from gateway").contains("X-Later: yes");

        // 20: an injected AuthAs: Internal is stripped, Gatehouse stamps Anonymous → still quarantined
        assertThat(g.send("127.0.0.1", "alice@contoso.com", List.of("bob@contoso.com"), message("alice@contoso.com", "bob@contoso.com",
                "forged", "X-MS-Exchange-Organization-AuthAs: Internal\r\n", "x"))).startsWith("250");
        assertThat(g.ok(g.contoso, "Get-QuarantineMessage -Subject forged").objects()).hasSize(1);
    }

    @Test
    void scenario21FromScopeNotInOrganizationMatchesAnonymousSendersOfAnAcceptedDomain() throws Exception {
        g.ok(g.contoso, "New-TransportRule -Name R2 -FromScope NotInOrganization -SenderDomainIs contoso.com -Quarantine $true");
        String reply = g.send("127.0.0.1", "alice@contoso.com", List.of("bob@contoso.com"),
                message("alice@contoso.com", "bob@contoso.com", "spoofed", "", "x"));
        assertThat(reply).startsWith("250");
        assertThat(g.ok(g.contoso, "Get-QuarantineMessage -PolicyName R2").objects()).hasSize(1);
        // a sender of another domain doesn't match SenderDomainIs
        g.send("127.0.0.1", "x@evil.example", List.of("bob@contoso.com"), message("x@evil.example", "bob@contoso.com", "other", "", "x"));
        await().atMost(Duration.ofSeconds(10)).until(() -> g.delivered(g.contoso, "bob@contoso.com").size() == 1);
    }

    @Test
    void scenario22PriorityInsertingAndMovingShiftsTheOthers() {
        for (String n : List.of("A", "B", "C")) g.ok(g.contoso, "New-TransportRule -Name " + n + " -SetHeaderName X-" + n + " -SetHeaderValue 1");
        g.ok(g.contoso, "New-TransportRule -Name D -Priority 0 -SetHeaderName X-D -SetHeaderValue 1");
        g.ok(g.contoso, "New-TransportRule -Name E -SetHeaderName X-E -SetHeaderValue 1");
        assertThat(priorities()).isEqualTo(Map.of("D", 0, "A", 1, "B", 2, "C", 3, "E", 4));
        g.ok(g.contoso, "Set-TransportRule -Identity E -Priority 1");
        assertThat(priorities()).isEqualTo(Map.of("D", 0, "E", 1, "A", 2, "B", 3, "C", 4));
        g.ok(g.contoso, "Set-TransportRule D -Priority 4");
        assertThat(priorities()).isEqualTo(Map.of("E", 0, "A", 1, "B", 2, "C", 3, "D", 4));
        g.ok(g.contoso, "Remove-TransportRule A");
        assertThat(priorities()).isEqualTo(Map.of("E", 0, "B", 1, "C", 2, "D", 3));
        assertThat(g.run(g.contoso, "New-TransportRule -Name F -Priority 9 -SetHeaderName X-F -SetHeaderValue 1").errors().getFirst().message())
                .contains("-Priority 9").contains("between 0 and 4");
        g.ok(g.contoso, "Disable-TransportRule B");
        assertThat(g.ok(g.contoso, "Get-TransportRule B").objects().getFirst()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("State", "Disabled");
    }

    private Map<String, Integer> priorities() {
        Map<String, Integer> m = new java.util.HashMap<>();
        for (TransportRule r : new RuleService(g.store).list(g.contoso.id())) m.put(r.name(), r.priority());
        return m;
    }

    @Test
    void scenario23HeaderWordsRejectWithTheRuleText() throws Exception {
        g.ok(g.contoso, "New-TransportRule -Name Scanner -HeaderContainsMessageHeader X-Scanner -HeaderContainsWords scanner -RejectMessageReasonText \"Blocked\"");
        assertThat(g.send("127.0.0.1", "s@scan.example", List.of("bob@contoso.com"),
                message("s@scan.example", "bob@contoso.com", "scan", "X-Scanner: Contoso-SCANNER v2\r\n", "x"))).isEqualTo("550 5.7.1 Blocked");
        assertThat(g.send("127.0.0.1", "s@scan.example", List.of("bob@contoso.com"),
                message("s@scan.example", "bob@contoso.com", "scan", "X-Scanner: Scanners\r\n", "x"))).startsWith("250");
        g.ok(g.contoso, "Set-TransportRule Scanner -RejectMessageReasonText $null -RejectMessageEnhancedStatusCode 5.7.950");
        assertThat(g.send("127.0.0.1", "s@scan.example", List.of("bob@contoso.com"),
                message("s@scan.example", "bob@contoso.com", "scan", "X-Scanner: scanner\r\n", "x")))
                .isEqualTo("550 5.7.950 Delivery not authorized, message refused");
        RunResult bad = g.run(g.contoso, "Set-TransportRule Scanner -RejectMessageEnhancedStatusCode 5.7.899");
        assertThat(bad.errors().getFirst().message()).contains("RejectMessageEnhancedStatusCode").contains("5.7.899");
    }

    @Test
    void rulesWithBadValuesAreRefusedWithTheParameterNamed() {
        assertThat(error("New-TransportRule -Name P -SubjectMatchesPatterns 'a(b' -Quarantine $true")).contains("SubjectMatchesPatterns").contains("a(b");
        assertThat(error("New-TransportRule -Name H -HeaderContainsMessageHeader 'X Bad:' -HeaderContainsWords x -Quarantine $true"))
                .contains("HeaderContainsMessageHeader");
        assertThat(error("New-TransportRule -Name H -SetHeaderName X-Ok -Quarantine $true")).contains("-SetHeaderName and -SetHeaderValue");
        assertThat(error("New-TransportRule -Name " + "n".repeat(65) + " -Quarantine $true")).contains("64");
        assertThat(error("New-TransportRule -Name W -SubjectContainsWords ' lead' -Quarantine $true")).contains("SubjectContainsWords");
        assertThat(error("New-TransportRule -Name I -SenderIpRanges 10.0.0.300 -Quarantine $true")).contains("SenderIpRanges").contains("10.0.0.300");
        assertThat(error("New-TransportRule -Name R -RedirectMessageTo carol@fabrikam.com")).contains("RedirectMessageTo").contains("carol@fabrikam.com");
        assertThat(error("New-TransportRule -Name N -SubjectContainsWords x")).contains("at least one action");
        // the reject text becomes an SMTP reply line: a line break in it is refused when the rule is saved
        assertThat(error("New-TransportRule -Name T -SubjectContainsWords x -RejectMessageReasonText \"Blocked`nby policy\""))
                .contains("RejectMessageReasonText").contains("line breaks");
        g.ok(g.contoso, "New-TransportRule -Name Ok -SenderIpRanges 192.0.2.1-192.0.2.254,192.0.2.0/23,2001:db8::1 -Quarantine $true");
        assertThat(error("New-TransportRule -Name ok -Quarantine $true")).contains("already exists");
    }

    private String error(String script) {
        RunResult r = g.run(g.contoso, script);
        assertThat(r.succeeded()).as(script).isFalse();
        return r.errors().getFirst().message();
    }

    @Test
    void recipientConditionsSplitTheMessageAcrossRecipients() throws Exception {
        g.ok(g.contoso, "New-TransportRule -Name Tag -SentTo alice@contoso.com -PrependSubject '[Alice] '");
        g.ok(g.contoso, "New-TransportRule -Name Hold -SentTo Bob -Quarantine $true");
        String reply = g.send("127.0.0.1", "x@partner.example", List.of("alice@contoso.com", "bob@contoso.com", "carol@fabrikam.com"),
                message("x@partner.example", "alice@contoso.com, bob@contoso.com, carol@fabrikam.com", "Report", "", "body"));
        assertThat(reply).startsWith("250");
        await().atMost(Duration.ofSeconds(10)).until(() -> g.delivered(g.contoso, "alice@contoso.com").size() == 1
                && g.delivered(g.fabrikam, "carol@fabrikam.com").size() == 1);
        assertThat(g.delivered(g.contoso, "alice@contoso.com").getFirst()).contains("Subject: [Alice] Report");
        assertThat(g.delivered(g.fabrikam, "carol@fabrikam.com").getFirst()).contains("Subject: Report").doesNotContain("[Alice]");
        assertThat(g.delivered(g.contoso, "bob@contoso.com")).isEmpty();
        assertThat(g.ok(g.contoso, "Get-QuarantineMessage").objects()).singleElement()
                .satisfies(o -> assertThat(((QuarantineMessage) o).RecipientAddress()).containsExactly("bob@contoso.com"));
        // a rule of T1 never sees T2's recipient, and T2 sees nothing of T1's quarantine
        assertThat(g.ok(g.fabrikam, "Get-QuarantineMessage").objects()).isEmpty();
        // every recipient rejected → 550 at DATA; one of two rejected → accepted, an NDR to the sender for the other
        g.ok(g.contoso, "New-TransportRule -Name NoBob -Priority 0 -SentTo bob@contoso.com -RejectMessageReasonText 'Bob is away'");
        String partial = g.send("127.0.0.1", "x@partner.example", List.of("alice@contoso.com", "bob@contoso.com"),
                message("x@partner.example", "alice@contoso.com", "Second", "", "body"));
        assertThat(partial).startsWith("250");
        assertThat(g.events(g.contoso, queuedId(partial))).filteredOn(e -> e.event() == TraceEventType.Ndr).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("550 5.7.1 Bob is away (non-delivery report ")
                        .endsWith(" queued to x@partner.example)"));
        assertThat(g.send("127.0.0.1", "x@partner.example", List.of("bob@contoso.com"),
                message("x@partner.example", "bob@contoso.com", "Third", "", "body"))).isEqualTo("550 5.7.1 Bob is away");
    }

    @Test
    void auditModeRecordsWhatWouldHappenWithoutDoingIt() throws Exception {
        g.ok(g.contoso, "New-TransportRule -Name Watch -Mode Audit -SubjectContainsWords invoice -Quarantine $true");
        String reply = g.send("127.0.0.1", "x@partner.example", List.of("bob@contoso.com"),
                message("x@partner.example", "bob@contoso.com", "Your Invoice, please", "", "x"));
        await().atMost(Duration.ofSeconds(10)).until(() -> g.delivered(g.contoso, "bob@contoso.com").size() == 1);
        assertThat(g.ok(g.contoso, "Get-QuarantineMessage").objects()).isEmpty();
        assertThat(g.events(g.contoso, queuedId(reply))).extracting(MessageTraceEvent::detail)
                .anyMatch(d -> d.startsWith("Transport rule: 'Watch'"))
                .anyMatch(d -> d.contains("action=Quarantine") && d.contains("mode=Test without Policy Tips"));
    }

    @Test
    void redirectCopyAndHeaderActions() throws Exception {
        g.ok(g.contoso, "New-TransportRule -Name Redir -SubjectContainsWords legal -RedirectMessageTo Alice -SetHeaderName X-Legal -SetHeaderValue 'ü yes'");
        g.ok(g.contoso, "New-TransportRule -Name Cc -SubjectContainsWords audit -BlindCopyTo alice@contoso.com -RemoveHeader X-Remove-Me");
        g.send("127.0.0.1", "x@partner.example", List.of("bob@contoso.com"), message("x@partner.example", "bob@contoso.com", "legal hold", "", "x"));
        await().atMost(Duration.ofSeconds(10)).until(() -> g.delivered(g.contoso, "alice@contoso.com").size() == 1);
        assertThat(g.delivered(g.contoso, "bob@contoso.com")).isEmpty();
        assertThat(g.delivered(g.contoso, "alice@contoso.com").getFirst()).contains("X-Legal: =?ISO-8859-1?Q?=FC_yes?=");
        g.send("127.0.0.1", "x@partner.example", List.of("bob@contoso.com"),
                message("x@partner.example", "bob@contoso.com", "audit", "X-Remove-Me: 1\r\n", "x"));
        await().atMost(Duration.ofSeconds(10)).until(() -> g.delivered(g.contoso, "alice@contoso.com").size() == 2
                && g.delivered(g.contoso, "bob@contoso.com").size() == 1);
        assertThat(g.delivered(g.contoso, "bob@contoso.com").getFirst()).doesNotContain("X-Remove-Me");
    }

    @Test
    void aRuleThatFailsIsSkippedWithIgnoreAndDefersTheMessageWithDefer() throws Exception {
        g.ok(g.contoso, "New-TransportRule -Name Fragile -HeaderMatchesMessageHeader X-Long -HeaderMatchesPatterns '(.|..)*z' -Quarantine $true");
        StringBuilder folded = new StringBuilder("X-Long: a");
        for (int i = 0; i < 300; i++) folded.append("\r\n ").append("a".repeat(900));
        String msg = message("x@partner.example", "bob@contoso.com", "long", folded + "\r\n", "x");
        String reply = g.send("127.0.0.1", "x@partner.example", List.of("bob@contoso.com"), msg);
        assertThat(reply).startsWith("250"); // Ignore: the rule is skipped, the message is delivered, the error is recorded
        assertThat(g.events(g.contoso, queuedId(reply))).filteredOn(e -> e.event() == TraceEventType.RuleError).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("Fragile").contains("RuleErrorAction Ignore"));
        await().atMost(Duration.ofSeconds(10)).until(() -> g.delivered(g.contoso, "bob@contoso.com").size() == 1);
        g.ok(g.contoso, "Set-TransportRule Fragile -RuleErrorAction Defer");
        assertThat(g.send("127.0.0.1", "x@partner.example", List.of("bob@contoso.com"), msg)).startsWith("451 4.7.500");
    }

    /** An on-premises IP connector with TreatMessagesAsInternal (127.0.0.60): attribution stamps AuthAs: Internal. */
    static final String CO_APP = "New-InboundConnector CO-APP -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses 127.0.0.60"
            + " -TreatMessagesAsInternal $true";

    @Test
    void internalMailIsExemptFromR0AndOriginatingMailIsInsideTheOrganizationForFromScope() throws Exception {
        g.ok(g.contoso, CO_APP);
        g.ok(g.contoso, R0);
        g.ok(g.contoso, "New-TransportRule -Name R2 -FromScope NotInOrganization -SenderDomainIs contoso.com -Quarantine $true");
        // scenario 20's other half: the ExceptIf on AuthAs Internal exempts mail Gatehouse stamped Internal
        String reply = g.send("127.0.0.60", "alice@contoso.com", List.of("bob@contoso.com"),
                message("alice@contoso.com", "bob@contoso.com", "from the app server", "", "x"));
        assertThat(reply).startsWith("250");
        await().atMost(Duration.ofSeconds(10)).until(() -> g.delivered(g.contoso, "bob@contoso.com").size() == 1);
        assertThat(g.delivered(g.contoso, "bob@contoso.com").getFirst()).contains("X-MS-Exchange-Organization-AuthAs: Internal");
        assertThat(g.ok(g.contoso, "Get-QuarantineMessage").objects()).isEmpty();
        // scenario 21's other half: the same sender, Originating, is not "NotInOrganization" (R0 disabled to isolate R2)
        g.ok(g.contoso, "Disable-TransportRule '" + R0_NAME + "'");
        g.send("127.0.0.60", "alice@contoso.com", List.of("bob@contoso.com"), message("alice@contoso.com", "bob@contoso.com", "second", "", "x"));
        await().atMost(Duration.ofSeconds(10)).until(() -> g.delivered(g.contoso, "bob@contoso.com").size() == 2);
        g.send("127.0.0.1", "alice@contoso.com", List.of("bob@contoso.com"), message("alice@contoso.com", "bob@contoso.com", "anonymous", "", "x"));
        assertThat(g.ok(g.contoso, "Get-QuarantineMessage -PolicyName R2").objects()).hasSize(1);
    }
}
