// The proof of issue 3's isolation promise: a tenant admin token can neither read nor change another
// tenant's objects, through every registered cmdlet, the InvokeCommand URL, and RunScript.
package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.admin.AdminHarness.Response;
import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.store.TestDatabase;

/**
 * Two organizations, A and B, each with an accepted domain, a mailbox (with a proxy address) and a tenant
 * admin token; every name carries a per-tenant canary string. The walk table {@link #WALK} says, for every
 * cmdlet in {@link AdminCmdlets#registry()}, how it is walked with A's token against B. A cmdlet added to
 * the registry without a walk entry fails {@link #everyRegisteredCmdletHasAWalkEntry()}.
 */
@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class TenantIsolationTest {


    /** Fixture of one tenant. Canaries are lower case so they survive the normalisation of domain names. */
    record Org(String canary, String name, String guid, String domainObject, String domainName, String mailbox,
               String primary, String proxy, String mailboxGuid, String tokenName, String tokenGuid, String token) {}

    static final String A_CANARY = "qzalpha7";
    static final String B_CANARY = "qzbravo9";

    // One gateway and fixture per store kind, shared by the tests of that invocation.
    static AdminHarness h;
    static Org a;
    static Org b;
    /** A second token of A, revoked in the 401 test. */
    static String aSpareGuid;
    static String aSpareToken;

    /** How a cmdlet is walked. */
    enum Scope {
        /** Operator cmdlets: a tenant admin token gets 403 and nothing changes. */
        OPERATOR_ONLY,
        /** Acts on objects of the organization in the URL: B's objects named with A's token are 404. */
        TENANT_OBJECTS,
        /** Acts on the caller's organization itself (no identity): must only ever touch A. */
        OWN_ORGANIZATION,
        /** Built-ins that read no tenant data (formatting, help). */
        NO_TENANT_DATA
    }

    /**
     * One way of calling a cmdlet with A's token: {@code own} names A's object and must succeed (the
     * positive control that makes the foreign call's 404 meaningful); {@code foreign} names B's object in
     * the same way and must answer {@code foreignStatus} (404 for lookups).
     */
    record Probe(Map<String, Object> own, Map<String, Object> foreign, int foreignStatus) {}

    /**
     * @param scope  how the cmdlet is scoped
     * @param call   parameters of a valid call (used on B's URL, where everything must be 404, and for the
     *               operator-only / own-organization / no-tenant-data checks)
     * @param ownStatus expected status of {@code call} with A's token on A's URL
     * @param lists  the cmdlet lists objects: its output for A must show A's canary and never B's
     * @param probes calls naming B's objects (required for every cmdlet with an Identity parameter)
     */
    record Walk(Scope scope, Map<String, Object> call, int ownStatus, boolean lists, List<Probe> probes) {}

    static Map<String, Walk> WALK;

    @Parameter
    TestDatabase.Kind kind;
    static TestDatabase.Kind started;

    /** Starts the gateway and fixture once per store kind (the tests of one kind run one after the other). */
    @BeforeEach
    void fixture() throws Exception {
        if (h != null && started == kind) return;
        stop();
        start(kind);
        started = kind;
    }

    static void start(TestDatabase.Kind kind) throws Exception {
        h = new AdminHarness(kind);
        a = org("Alpha", A_CANARY, "alice");
        b = org("Bravo", B_CANARY, "carol");
        JsonNode spare = h.ok(null, "New-AdminToken", Map.of("Name", "a-spare-" + A_CANARY, "Organization", a.name())).get(0);
        aSpareGuid = spare.get("Identity").asText();
        aSpareToken = spare.get("Token").asText();
        WALK = walkTable();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (h != null) h.close();
        h = null;
    }

    private static Org org(String label, String canary, String user) {
        String name = label + "-" + canary;
        String tenantGuid = h.ok(null, "New-Tenant", Map.of("Name", name)).get(0).get("Guid").asText();
        String domainObject = label + "Domain-" + canary;
        String domainName = canary + ".example";
        h.ok(name, "New-AcceptedDomain", Map.of("Name", domainObject, "DomainName", domainName, "DomainType", "Authoritative"));
        String mailbox = label + "User " + canary;
        String primary = user + "@" + domainName;
        String proxy = user + ".alias@" + domainName;
        JsonNode mb = h.ok(name, "New-Mailbox", Map.of("Name", mailbox, "PrimarySmtpAddress", primary,
                "EmailAddresses", List.of("SMTP:" + primary, "smtp:" + proxy))).get(0);
        JsonNode tok = h.ok(null, "New-AdminToken", Map.of("Name", label.toLowerCase() + "-admin-" + canary, "Organization", name)).get(0);
        assertThat(tok.get("Token").asText()).startsWith("ghta_");
        return new Org(canary, name, tenantGuid, domainObject, domainName, mailbox, primary, proxy, mb.get("Guid").asText(),
                tok.get("Name").asText(), tok.get("Identity").asText(), tok.get("Token").asText());
    }

    private static Map<String, Object> p(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static Map<String, Object> whatIf(Map<String, Object> m) {
        Map<String, Object> c = new LinkedHashMap<>(m);
        c.put("WhatIf", true);
        return c;
    }

    /** Every registered cmdlet, and how it is walked. Add an entry here when you register a cmdlet. */
    private static Map<String, Walk> walkTable() {
        Map<String, Walk> w = new LinkedHashMap<>();
        // Operator cmdlets.
        w.put("New-Tenant", new Walk(Scope.OPERATOR_ONLY, p("Name", "Evil-" + A_CANARY), 403, false, List.of()));
        w.put("Get-Tenant", new Walk(Scope.OPERATOR_ONLY, p("Identity", b.name()), 403, false, List.of()));
        w.put("Remove-Tenant", new Walk(Scope.OPERATOR_ONLY, p("Identity", b.name()), 403, false, List.of()));
        w.put("New-AdminToken", new Walk(Scope.OPERATOR_ONLY, p("Name", "evil-" + A_CANARY, "Organization", b.name()), 403, false, List.of()));

        // Admin tokens of the organization.
        w.put("Get-AdminToken", new Walk(Scope.TENANT_OBJECTS, p(), 200, true, List.of(
                new Probe(p("Identity", a.tokenGuid()), p("Identity", b.tokenGuid()), 404),
                new Probe(p("Identity", a.tokenName()), p("Identity", b.tokenName()), 404))));
        w.put("Remove-AdminToken", new Walk(Scope.TENANT_OBJECTS, whatIf(p("Identity", a.tokenGuid())), 200, false, List.of(
                new Probe(whatIf(p("Identity", a.tokenGuid())), p("Identity", b.tokenGuid()), 404),
                new Probe(whatIf(p("Identity", a.tokenName())), p("Identity", b.tokenName()), 404))));

        // Accepted domains.
        w.put("New-AcceptedDomain", new Walk(Scope.TENANT_OBJECTS,
                whatIf(p("Name", "Extra-" + A_CANARY, "DomainName", "extra." + a.domainName())), 200, false, List.of(
                // B's domain can't be taken over; the refusal doesn't name B.
                new Probe(whatIf(p("Name", "Extra-" + A_CANARY, "DomainName", "extra." + a.domainName())),
                        p("Name", "Stolen-" + A_CANARY, "DomainName", b.domainName()), 400))));
        w.put("Get-AcceptedDomain", new Walk(Scope.TENANT_OBJECTS, p(), 200, true, List.of(
                new Probe(p("Identity", a.domainName()), p("Identity", b.domainName()), 404),
                new Probe(p("Identity", a.domainObject()), p("Identity", b.domainObject()), 404))));
        w.put("Set-AcceptedDomain", new Walk(Scope.TENANT_OBJECTS, p("Identity", a.domainName(), "MatchSubDomains", false), 200, false, List.of(
                new Probe(p("Identity", a.domainName(), "DomainType", "Authoritative"), p("Identity", b.domainName(), "DomainType", "InternalRelay"), 404),
                new Probe(p("Identity", a.domainObject(), "MatchSubDomains", false), p("Identity", b.domainObject(), "MatchSubDomains", true), 404))));
        w.put("Remove-AcceptedDomain", new Walk(Scope.TENANT_OBJECTS, whatIf(p("Identity", a.domainName())), 200, false, List.of(
                new Probe(whatIf(p("Identity", a.domainName())), p("Identity", b.domainName()), 404),
                new Probe(whatIf(p("Identity", a.domainObject())), p("Identity", b.domainObject()), 404))));

        // Mailboxes: by name, guid, primary address and proxy address.
        List<Probe> mailboxGets = new ArrayList<>();
        String[][] ids = {{a.mailbox(), b.mailbox()}, {a.mailboxGuid(), b.mailboxGuid()}, {a.primary(), b.primary()},
                {a.proxy(), b.proxy()}};
        for (String[] id : ids) mailboxGets.add(new Probe(p("Identity", id[0]), p("Identity", id[1]), 404));
        w.put("Get-Mailbox", new Walk(Scope.TENANT_OBJECTS, p(), 200, true, mailboxGets));
        List<Probe> mailboxSets = new ArrayList<>();
        for (String[] id : ids) {
            mailboxSets.add(new Probe(p("Identity", id[0], "PrimarySmtpAddress", a.primary()),
                    p("Identity", id[1], "PrimarySmtpAddress", b.proxy()), 404));
            mailboxSets.add(new Probe(p("Identity", id[0], "EmailAddresses", p("Add", List.of("smtp:x1@" + a.domainName()))),
                    p("Identity", id[1], "EmailAddresses", p("Add", List.of("smtp:x1@" + b.domainName()))), 404));
        }
        // A's own mailbox can't be given B's addresses (B's domain isn't accepted by A; B's address is taken).
        mailboxSets.add(new Probe(whatIf(p("Identity", a.mailbox(), "EmailAddresses", p("Add", List.of("smtp:x2@" + a.domainName())))),
                p("Identity", a.mailbox(), "EmailAddresses", p("Add", List.of("smtp:" + b.proxy()))), 400));
        w.put("Set-Mailbox", new Walk(Scope.TENANT_OBJECTS, whatIf(p("Identity", a.mailbox())), 200, false, mailboxSets));
        List<Probe> mailboxRemoves = new ArrayList<>();
        for (String[] id : ids) mailboxRemoves.add(new Probe(whatIf(p("Identity", id[0])), p("Identity", id[1]), 404));
        w.put("Remove-Mailbox", new Walk(Scope.TENANT_OBJECTS, whatIf(p("Identity", a.mailbox())), 200, false, mailboxRemoves));
        w.put("New-Mailbox", new Walk(Scope.TENANT_OBJECTS, whatIf(p("Name", "Mallory " + A_CANARY, "PrimarySmtpAddress", "mallory@" + a.domainName())), 200, false, List.of(
                new Probe(whatIf(p("Name", "Mallory " + A_CANARY, "PrimarySmtpAddress", "mallory@" + a.domainName())),
                        p("Name", "Mallory " + A_CANARY, "PrimarySmtpAddress", "mallory@" + b.domainName()), 400),
                new Probe(whatIf(p("Name", "Mallory " + A_CANARY, "PrimarySmtpAddress", "mallory@" + a.domainName())),
                        p("Name", "Mallory " + A_CANARY, "PrimarySmtpAddress", "mallory@" + a.domainName(),
                                "EmailAddresses", List.of("SMTP:mallory@" + a.domainName(), "smtp:" + b.primary())), 400))));

        // Mail flow rules and the hosted quarantine: a rule and a quarantined message in each organization.
        String aRule = "Rule-" + A_CANARY;
        String bRule = "Rule-" + B_CANARY;
        h.ok(a.name(), "New-TransportRule", Map.of("Name", aRule, "SubjectContainsWords", List.of(A_CANARY), "Quarantine", true));
        h.ok(b.name(), "New-TransportRule", Map.of("Name", bRule, "SubjectContainsWords", List.of(B_CANARY), "Quarantine", true));
        String aRuleGuid = h.ok(a.name(), "Get-TransportRule", Map.of("Identity", aRule)).get(0).get("Guid").asText();
        String bRuleGuid = h.ok(b.name(), "Get-TransportRule", Map.of("Identity", bRule)).get(0).get("Guid").asText();
        String[][] rules = {{aRule, bRule}, {aRuleGuid, bRuleGuid}};
        w.put("New-TransportRule", new Walk(Scope.TENANT_OBJECTS, whatIf(p("Name", "Extra-" + A_CANARY, "Quarantine", true)), 200, false, List.of(
                // a rule can't redirect to (or add) B's recipients; the refusal names only what the request gave
                new Probe(whatIf(p("Name", "Extra-" + A_CANARY, "RedirectMessageTo", List.of(a.primary()))),
                        p("Name", "Stolen-" + A_CANARY, "RedirectMessageTo", List.of(b.primary())), 400),
                new Probe(whatIf(p("Name", "Extra-" + A_CANARY, "BlindCopyTo", List.of(a.mailbox()))),
                        p("Name", "Stolen-" + A_CANARY, "BlindCopyTo", List.of(b.mailbox())), 400))));
        List<Probe> ruleGets = new ArrayList<>();
        List<Probe> ruleSets = new ArrayList<>();
        List<Probe> ruleChanges = new ArrayList<>();
        for (String[] id : rules) {
            ruleGets.add(new Probe(p("Identity", id[0]), p("Identity", id[1]), 404));
            ruleSets.add(new Probe(p("Identity", id[0], "Comments", "own"), p("Identity", id[1], "Comments", "evil"), 404));
            ruleChanges.add(new Probe(whatIf(p("Identity", id[0])), p("Identity", id[1]), 404));
        }
        w.put("Get-TransportRule", new Walk(Scope.TENANT_OBJECTS, p(), 200, true, ruleGets));
        w.put("Set-TransportRule", new Walk(Scope.TENANT_OBJECTS, whatIf(p("Identity", aRule, "Priority", 0)), 200, false, ruleSets));
        for (String c : List.of("Remove-TransportRule", "Enable-TransportRule", "Disable-TransportRule")) {
            w.put(c, new Walk(Scope.TENANT_OBJECTS, whatIf(p("Identity", aRule)), 200, false, ruleChanges));
        }
        String aHeld = quarantined(a);
        String bHeld = quarantined(b);
        w.put("Get-QuarantineMessage", new Walk(Scope.TENANT_OBJECTS, p(), 200, true, List.of(
                new Probe(p("Identity", aHeld), p("Identity", bHeld), 404))));
        w.put("Preview-QuarantineMessage", new Walk(Scope.TENANT_OBJECTS, p("Identity", aHeld), 200, false, List.of(
                new Probe(p("Identity", aHeld), p("Identity", bHeld), 404))));
        w.put("Export-QuarantineMessage", new Walk(Scope.TENANT_OBJECTS, p("Identity", aHeld), 200, false, List.of(
                new Probe(p("Identity", aHeld), p("Identity", bHeld), 404),
                new Probe(p("Identities", List.of(aHeld)), p("Identities", List.of(bHeld)), 404))));
        w.put("Delete-QuarantineMessage", new Walk(Scope.TENANT_OBJECTS, whatIf(p("Identity", aHeld)), 200, false, List.of(
                new Probe(whatIf(p("Identity", aHeld)), p("Identity", bHeld), 404))));
        w.put("Release-QuarantineMessage", new Walk(Scope.TENANT_OBJECTS, whatIf(p("Identity", aHeld, "ReleaseToAll", true)), 200, false, List.of(
                new Probe(whatIf(p("Identity", aHeld, "ReleaseToAll", true)), p("Identity", bHeld, "ReleaseToAll", true), 404),
                // A's own message can't be released to B's recipient
                new Probe(whatIf(p("Identity", aHeld, "User", List.of(a.primary()))), p("Identity", aHeld, "User", List.of(b.primary())), 400))));

        // Inbound connectors: one in each organization, reached by name and by guid.
        String aConn = "Conn-" + A_CANARY;
        String bConn = "Conn-" + B_CANARY;
        h.ok(a.name(), "New-InboundConnector", Map.of("Name", aConn, "ConnectorType", "Partner", "SenderDomains", List.of("*"),
                "SenderIPAddresses", List.of("192.0.2.1"), "Comment", A_CANARY));
        h.ok(b.name(), "New-InboundConnector", Map.of("Name", bConn, "ConnectorType", "Partner", "SenderDomains", List.of("*"),
                "SenderIPAddresses", List.of("192.0.2.2"), "Comment", B_CANARY));
        String aConnGuid = h.ok(a.name(), "Get-InboundConnector", Map.of("Identity", aConn)).get(0).get("Guid").asText();
        String bConnGuid = h.ok(b.name(), "Get-InboundConnector", Map.of("Identity", bConn)).get(0).get("Guid").asText();
        List<Probe> connGets = new ArrayList<>();
        List<Probe> connSets = new ArrayList<>();
        List<Probe> connRemoves = new ArrayList<>();
        for (String[] id : new String[][] {{aConn, bConn}, {aConnGuid, bConnGuid}}) {
            connGets.add(new Probe(p("Identity", id[0]), p("Identity", id[1]), 404));
            connSets.add(new Probe(whatIf(p("Identity", id[0], "Comment", "own")), p("Identity", id[1], "Comment", "evil"), 404));
            connRemoves.add(new Probe(whatIf(p("Identity", id[0])), p("Identity", id[1]), 404));
        }
        w.put("New-InboundConnector", new Walk(Scope.TENANT_OBJECTS, whatIf(p("Name", "Extra-" + A_CANARY, "ConnectorType", "Partner",
                "SenderDomains", List.of("*"), "SenderIPAddresses", List.of("192.0.2.3"))), 200, false, List.of(
                // a connector can only be scoped to the organization's own accepted domains
                new Probe(whatIf(p("Name", "Extra-" + A_CANARY, "ConnectorType", "Partner", "SenderDomains", List.of("*"),
                                "AssociatedAcceptedDomains", List.of(a.domainName()))),
                        p("Name", "Stolen-" + A_CANARY, "ConnectorType", "Partner", "SenderDomains", List.of("*"),
                                "AssociatedAcceptedDomains", List.of(b.domainName())), 400))));
        w.put("Get-InboundConnector", new Walk(Scope.TENANT_OBJECTS, p(), 200, true, connGets));
        w.put("Set-InboundConnector", new Walk(Scope.TENANT_OBJECTS, whatIf(p("Identity", aConn, "Comment", "x")), 200, false, connSets));
        w.put("Remove-InboundConnector", new Walk(Scope.TENANT_OBJECTS, whatIf(p("Identity", aConn)), 200, false, connRemoves));
        directSend(a);
        directSend(b);
        w.put("Get-DirectSendReport", new Walk(Scope.TENANT_OBJECTS, p(), 200, true, List.of()));
        // the home page's numbers: the Direct Send panel names the busiest sources, A's domain (its canary) and never B's
        w.put("Get-MailFlowSummary", new Walk(Scope.TENANT_OBJECTS, p("DirectSend", true), 200, true, List.of()));
        // message trace: B's message id finds nothing for A (as an id that doesn't exist), never B's rows or events
        String aTrace = h.ok(a.name(), "Get-MessageTraceV2", Map.of()).get(0).path("MessageTraceId").asText();
        String bTrace = h.ok(b.name(), "Get-MessageTraceV2", Map.of()).get(0).path("MessageTraceId").asText();
        for (String name : List.of("Get-MessageTraceV2", "Get-MessageTrace")) {
            w.put(name, new Walk(Scope.TENANT_OBJECTS, p(), 200, true, List.of(
                    new Probe(p("MessageTraceId", aTrace), p("MessageTraceId", bTrace), 200),
                    new Probe(p("RecipientAddress", a.primary()), p("RecipientAddress", b.primary()), 200))));
        }
        // historical search: a job of each organization, B's found by no one else
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        String aJob = h.ok(a.name(), "Start-HistoricalSearch", Map.of("ReportTitle", "report-" + A_CANARY, "StartDate", today,
                "EndDate", tomorrow, "ReportType", "ConnectorReport")).get(0).path("JobId").asText();
        String bJob = h.ok(b.name(), "Start-HistoricalSearch", Map.of("ReportTitle", "report-" + B_CANARY, "StartDate", today,
                "EndDate", tomorrow, "ReportType", "ConnectorReport")).get(0).path("JobId").asText();
        Map<String, Object> search = p("ReportTitle", "again-" + A_CANARY, "StartDate", today, "EndDate", tomorrow, "ReportType", "Refusals");
        Map<String, Object> notifyA = new java.util.HashMap<>(search);
        notifyA.put("NotifyAddress", List.of(a.primary()));
        Map<String, Object> notifyB = new java.util.HashMap<>(search);
        notifyB.put("NotifyAddress", List.of(b.primary()));
        w.put("Start-HistoricalSearch", new Walk(Scope.TENANT_OBJECTS, search, 200, false, List.of(new Probe(notifyA, notifyB, 400))));
        w.put("Get-HistoricalSearch", new Walk(Scope.TENANT_OBJECTS, p(), 200, true, List.of(
                new Probe(p("JobId", aJob), p("JobId", bJob), 404))));
        // A's job is done or running by now, so stopping it is refused (400): B's is not found (404) either way
        w.put("Stop-HistoricalSearch", new Walk(Scope.TENANT_OBJECTS, p("JobId", aJob), 400, false, List.of()));

        for (String name : List.of("Get-MessageTraceDetailV2", "Get-MessageTraceDetail")) {
            w.put(name, new Walk(Scope.TENANT_OBJECTS, p("MessageTraceId", aTrace, "RecipientAddress", a.primary()), 200, true, List.of(
                    new Probe(p("MessageTraceId", aTrace, "RecipientAddress", a.primary()),
                            p("MessageTraceId", bTrace, "RecipientAddress", b.primary()), 200))));
        }

        // inbound messages report: each organization gets mail through a connector named with its canary
        connectorMail(a, "127.0.0.71");
        connectorMail(b, "127.0.0.72");
        w.put("Get-InboundMessagesReport", new Walk(Scope.TENANT_OBJECTS, p(), 200, true, List.of(
                new Probe(p("ConnectorName", "Report-" + A_CANARY), p("ConnectorName", "Report-" + B_CANARY), 200))));

        // advanced hunting: each organization's mail above (Direct Send and through its connector) has its canary in the
        // Message-ID and recipients; a query names no organization, so B's canary in it finds nothing of B's
        HuntingFixture.awaitHunting(h);
        w.put("Invoke-HuntingQuery", new Walk(Scope.TENANT_OBJECTS, p("Query", "EmailEvents | project InternetMessageId, RecipientEmailAddress"),
                200, true, List.of(new Probe(p("Query", "EmailEvents | where InternetMessageId contains '" + A_CANARY + "' | count"),
                        p("Query", "EmailEvents | where InternetMessageId contains '" + B_CANARY + "' | project InternetMessageId"), 200))));

        // The organization's own settings.
        w.put("Get-OrganizationConfig", new Walk(Scope.OWN_ORGANIZATION, p(), 200, true, List.of()));
        w.put("Set-OrganizationConfig", new Walk(Scope.OWN_ORGANIZATION, p("RejectDirectSend", true), 200, false, List.of()));
        w.put("Get-AntiPhishPolicy", new Walk(Scope.OWN_ORGANIZATION, p(), 200, false, List.of()));
        w.put("Set-AntiPhishPolicy", new Walk(Scope.OWN_ORGANIZATION, p("Identity", "Office365 AntiPhish Default", "EnableSpoofIntelligence", true),
                200, false, List.of()));
        w.put("Get-ArcConfig", new Walk(Scope.OWN_ORGANIZATION, p(), 200, true, List.of()));
        w.put("Set-ArcConfig", new Walk(Scope.OWN_ORGANIZATION, p("Identity", "default", "ArcTrustedSealers", "lists.example.org"), 200, false,
                List.of()));
        // reads the organization's accepted domains and policy (compauth), changes nothing
        w.put("Test-MessageAuthentication", new Walk(Scope.OWN_ORGANIZATION, p("ClientIp", "203.0.113.50", "Helo", "mail.example.net",
                "MailFrom", "x@example.net"), 200, false, List.of()));

        // Built-ins: no tenant data of their own.
        w.put("ConvertTo-Json", new Walk(Scope.NO_TENANT_DATA, p(), 200, false, List.of()));
        w.put("Export-Csv", new Walk(Scope.NO_TENANT_DATA, p("Path", "out.csv"), 400, false, List.of()));
        w.put("Format-List", new Walk(Scope.NO_TENANT_DATA, p(), 200, false, List.of()));
        w.put("Format-Table", new Walk(Scope.NO_TENANT_DATA, p(), 200, false, List.of()));
        w.put("Get-Command", new Walk(Scope.NO_TENANT_DATA, p(), 200, false, List.of()));
        w.put("Get-Help", new Walk(Scope.NO_TENANT_DATA, p("Name", "Get-Mailbox"), 200, false, List.of()));
        w.put("Select-Object", new Walk(Scope.NO_TENANT_DATA, p(), 200, false, List.of()));
        return w;
    }

    /** Puts a quarantined copy (subject with the canary) into the organization's hosted quarantine; returns its identity. */
    private static String quarantined(Org org) {
        var store = h.gateway.store();
        long tenantId = new dev.gatehouse.directory.TenantService(store).get(org.name()).id();
        byte[] content = ("Subject: held " + org.canary() + "\r\n\r\nbody\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        var copy = new dev.gatehouse.quarantine.QuarantinedCopy(tenantId, java.util.UUID.randomUUID().toString(), org.primary(), null,
                "x@evil.example", "held " + org.canary(), null, java.time.Instant.now(), "Rule-" + org.canary(), null, content);
        return store.writeAndWait(ctx -> dev.gatehouse.quarantine.QuarantineStore.insert(ctx, 0, copy));
    }

    /** Anonymous mail from the organization's own domain to itself, so its Direct Send report has a row. */
    private static void directSend(Org org) {
        try (var smtp = new dev.gatehouse.it.RawSmtpClient("127.0.0.1", h.gateway.smtpPort())) {
            smtp.reply();
            smtp.cmd("EHLO scanner." + org.domainName());
            String reply = smtp.sendMessage("scanner@" + org.domainName(), List.of(org.primary()), "Subject: scan\r\nMessage-ID: <scan-"
                    + org.canary() + "@" + org.domainName() + ">\r\n\r\nscan\r\n");
            assertThat(reply).startsWith("250");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A connector named with the canary, on its own loopback address, and one message through it. */
    private static void connectorMail(Org org, String ip) {
        h.ok(org.name(), "New-InboundConnector", Map.of("Name", "Report-" + org.canary(), "ConnectorType", "Partner",
                "SenderDomains", List.of("*"), "SenderIPAddresses", List.of(ip)));
        try (var smtp = new dev.gatehouse.it.RawSmtpClient("127.0.0.1", h.gateway.smtpPort(), ip)) {
            smtp.reply();
            smtp.cmd("EHLO gw.partner.example");
            String reply = smtp.sendMessage("news@partner.example", List.of(org.primary()), "Subject: news " + org.canary()
                    + "\r\nMessage-ID: <news-" + org.canary() + "@partner.example>\r\n\r\nnews\r\n");
            assertThat(reply).startsWith("250");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A walk's parameters as they would be typed: " -Name 'value' -Flag $true -List 'a','b'". */
    private static String script(Map<String, Object> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((name, value) -> {
            // -Name:$true, which binds a switch as well as a Boolean (-Switch $true would pass $true as a positional value)
            if (value instanceof Boolean bool) {
                sb.append(" -").append(name).append(':').append(bool ? "$true" : "$false");
                return;
            }
            sb.append(" -").append(name).append(' ');
            if (value instanceof List<?> list) sb.append(String.join(",", list.stream().map(v -> quoted(String.valueOf(v))).toList()));
            else sb.append(quoted(String.valueOf(value)));
        });
        return sb.toString();
    }

    private static String quoted(String v) { return "'" + v.replace("'", "''") + "'"; }

    private static List<CmdletDefinition<AdminContext>> cmdlets() { return AdminCmdlets.registry().all(); }

    /** B as the operator sees it: every object of B, B's settings, B's tokens; plus the list of tenants. */
    private String snapshot() {
        StringBuilder sb = new StringBuilder();
        for (String c : List.of("Get-AcceptedDomain", "Get-Mailbox", "Get-AdminToken", "Get-OrganizationConfig")) {
            sb.append(c).append('=').append(h.ok(b.name(), c, Map.of())).append('\n');
        }
        sb.append("Tenants=").append(h.ok(null, "Get-Tenant", Map.of())).append('\n');
        sb.append("AllTokens=").append(h.ok(null, "Get-AdminToken", Map.of())).append('\n');
        return sb.toString();
    }

    private void assertBUnchanged(String before) {
        assertThat(snapshot()).as("B's objects (and the tenant and token lists) after the walk").isEqualTo(before);
        // B's token still works and still sees B's mailbox.
        Response r = h.invoke(b.token(), null, "Get-Mailbox", Map.of("Identity", b.primary()));
        assertThat(r.status()).as("B's own token after the walk: %s", r).isEqualTo(200);
        assertThat(r.value().get(0).get("Name").asText()).isEqualTo(b.mailbox());
    }

    private static void assertNoB(SoftAssertions soft, Response r, String what) {
        soft.assertThat(r.body()).as("%s must not show B's canary", what).doesNotContainIgnoringCase(B_CANARY);
    }

    /** The answer holds no fact about B that the request didn't already contain. */
    private void assertRevealsNothingNew(SoftAssertions soft, Response r, String request, String what) {
        for (String fact : List.of(b.name(), b.guid(), b.mailbox(), b.mailboxGuid(), b.primary(), b.proxy(), b.tokenName(),
                b.tokenGuid(), b.domainObject(), b.domainName())) {
            if (!request.toLowerCase().contains(fact.toLowerCase())) {
                soft.assertThat(r.body().toLowerCase()).as("%s must not reveal '%s'", what, fact).doesNotContain(fact.toLowerCase());
            }
        }
    }

    @Test
    void everyRegisteredCmdletHasAWalkEntry() {
        Set<String> registered = new TreeSet<>();
        for (CmdletDefinition<AdminContext> d : cmdlets()) registered.add(d.name());
        assertThat(WALK.keySet()).as("walk entries: every cmdlet registered in AdminCmdlets.registry() must say how "
                + "it is walked; remove entries of cmdlets that no longer exist").containsExactlyInAnyOrderElementsOf(registered);
        for (CmdletDefinition<AdminContext> d : cmdlets()) {
            Walk w = WALK.get(d.name());
            boolean hasIdentity = d.allParameters().stream().anyMatch(x -> x.name().equals("Identity"));
            if (hasIdentity && w.scope() == Scope.TENANT_OBJECTS) {
                assertThat(w.probes()).as("%s takes -Identity: its walk must name B's objects", d.name()).isNotEmpty();
            }
            if (d.verb().equals("Get") && w.scope() == Scope.TENANT_OBJECTS) {
                assertThat(w.lists()).as("%s lists objects: its walk must check the list for B's canary", d.name()).isTrue();
            }
        }
    }

    /** (a) A's token on B's URL: 404 for every cmdlet, whatever it names, exactly as for a tenant that doesn't exist. */
    @Test
    void foreignTenantUrlIs404ForEveryCmdlet() {
        String before = snapshot();
        SoftAssertions soft = new SoftAssertions();
        for (CmdletDefinition<AdminContext> d : cmdlets()) {
            Walk w = WALK.get(d.name());
            List<Map<String, Object>> calls = new ArrayList<>();
            calls.add(w.call());
            for (Probe pr : w.probes()) { calls.add(pr.own()); calls.add(pr.foreign()); }
            for (Map<String, Object> params : calls) {
                for (String url : List.of(b.name(), b.guid(), b.name().toUpperCase())) {
                    Response r = h.invoke(a.token(), url, d.name(), params);
                    soft.assertThat(r.status()).as("%s %s on /%s/ with A's token: %s", d.name(), params, url, r).isEqualTo(404);
                    soft.assertThat(r.errorMessage()).as("%s on /%s/", d.name(), url)
                            .isEqualTo("The organization '" + url + "' couldn't be found.");
                    soft.assertThat(r.body()).doesNotContain(b.guid().equals(url) ? b.name() : b.guid());
                }
                Response script = h.runScript(a.token(), b.name(), ScriptLine.of(d.name(), params), false);
                soft.assertThat(script.status()).as("RunScript %s on B's URL", d.name()).isEqualTo(404);
            }
        }
        // Same answer as for an organization that doesn't exist: no existence oracle.
        Response missing = h.invoke(a.token(), "NoSuchOrg-" + A_CANARY, "Get-Mailbox", Map.of());
        soft.assertThat(missing.status()).isEqualTo(404);
        soft.assertThat(missing.errorMessage()).isEqualTo("The organization 'NoSuchOrg-" + A_CANARY + "' couldn't be found.");
        // Positive control: the operator does reach B through the same URL.
        soft.assertThat(h.invoke(h.operatorToken, b.name(), "Get-Mailbox", Map.of()).body()).contains(b.mailbox());
        soft.assertAll();
        assertBUnchanged(before);
    }

    /** (b) A's token on its own URL naming B's domain, mailbox (name, guid, addresses) and token: 404, nothing changed. */
    @Test
    void foreignObjectsOnOwnUrlAre404AndUnchanged() {
        String before = snapshot();
        SoftAssertions soft = new SoftAssertions();
        int probes = 0;
        for (CmdletDefinition<AdminContext> d : cmdlets()) {
            Walk w = WALK.get(d.name());
            for (Probe pr : w.probes()) {
                Response own = h.invoke(a.token(), a.name(), d.name(), pr.own());
                soft.assertThat(own.status()).as("positive control %s %s: %s", d.name(), pr.own(), own).isEqualTo(200);
                List<Map<String, Object>> variants = new ArrayList<>(List.of(pr.foreign()));
                // -WhatIf must look the object up too: reporting a change to B's object would be wrong.
                if (d.supportsShouldProcess() && pr.foreignStatus() == 404) variants.add(whatIf(pr.foreign()));
                for (Map<String, Object> foreign : variants) {
                    for (String url : new String[] {a.name(), null}) {
                        Response r = h.invoke(a.token(), url, d.name(), foreign);
                        probes++;
                        soft.assertThat(r.status()).as("%s %s with A's token on %s: %s", d.name(), foreign, url, r).isEqualTo(pr.foreignStatus());
                        assertRevealsNothingNew(soft, r, foreign.toString(), d.name() + " " + foreign);
                        if (r.status() == 404) {
                            soft.assertThat(r.errorMessage()).as("%s answer", d.name()).containsIgnoringCase("couldn't be found");
                        }
                    }
                }
            }
        }
        soft.assertAll();
        assertThat(probes).isGreaterThan(50);
        assertBUnchanged(before);
    }

    /** (c) List cmdlets with A's token show A's objects and never B's. */
    @Test
    void listsNeverShowB() {
        SoftAssertions soft = new SoftAssertions();
        int lists = 0;
        for (CmdletDefinition<AdminContext> d : cmdlets()) {
            Walk w = WALK.get(d.name());
            if (!w.lists()) continue;
            lists++;
            for (String url : new String[] {a.name(), null}) {
                Response r = h.invoke(a.token(), url, d.name(), w.call());
                soft.assertThat(r.status()).as("%s on %s: %s", d.name(), url, r).isEqualTo(200);
                soft.assertThat(r.body()).as("%s with A's token", d.name()).containsIgnoringCase(A_CANARY);
                assertNoB(soft, r, d.name() + " with A's token");
                for (boolean json : new boolean[] {false, true}) {
                    String command = d.name() + script(w.call());
                    for (String script : List.of(command, command + " | Format-List *", command + " | Select-Object -Property *")) {
                        Response s = h.runScript(a.token(), url, script, json);
                        soft.assertThat(s.json().path("Success").asBoolean()).as("%s: %s", script, s).isTrue();
                        soft.assertThat(s.body()).containsIgnoringCase(A_CANARY);
                        assertNoB(soft, s, "RunScript " + script);
                    }
                }
            }
        }
        // Filters and extra parameters can't widen the scope.
        Response extra = h.invoke(a.token(), a.name(), "Get-Mailbox", Map.of("Organization", b.name()));
        soft.assertThat(extra.status()).as("unknown parameter naming B: %s", extra).isEqualTo(400);
        assertNoB(soft, h.post(a.token(), "/adminapi/v1/" + a.name() + "/InvokeCommand?tenant=" + b.name(),
                "{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\"}}"), "query string naming B");
        soft.assertAll();
        assertThat(lists).isGreaterThanOrEqualTo(4);
    }

    /** Commands and OpenAPI are the same for everyone and say nothing about tenants. */
    @Test
    void metadataEndpointsShowNoTenantData() {
        Response commands = h.get(a.token(), "/adminapi/v1/Commands");
        assertThat(commands.status()).isEqualTo(200);
        assertThat(commands.body()).contains("Get-Mailbox").doesNotContainIgnoringCase(B_CANARY);
        Response open = h.get(null, "/adminapi/openapi.json");
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.body()).doesNotContainIgnoringCase(B_CANARY).doesNotContainIgnoringCase(A_CANARY);
    }

    /** (d) Operator cmdlets with a tenant token: 403 on every URL form, and nothing changed. */
    @Test
    void operatorCmdletsAre403ForTenantTokens() {
        String before = snapshot();
        String aTokensBefore = h.ok(a.name(), "Get-AdminToken", Map.of()).toString();
        SoftAssertions soft = new SoftAssertions();
        int checked = 0;
        for (CmdletDefinition<AdminContext> d : cmdlets()) {
            Walk w = WALK.get(d.name());
            if (w.scope() != Scope.OPERATOR_ONLY) continue;
            checked++;
            List<Map<String, Object>> calls = new ArrayList<>(List.of(w.call(), p()));
            if (d.name().equals("New-AdminToken")) {
                calls.add(p("Name", "evil2-" + A_CANARY));
                calls.add(p("Name", "evil3-" + A_CANARY, "Operator", true));
                calls.add(p("Name", "evil4-" + A_CANARY, "Organization", a.name()));
            }
            if (d.name().equals("Remove-Tenant")) calls.add(p("Identity", a.name()));
            for (Map<String, Object> params : calls) {
                for (String url : new String[] {a.name(), null}) {
                    for (String name : List.of(d.name(), d.name().toLowerCase(), d.name().toUpperCase())) {
                        Response r = h.invoke(a.token(), url, name, params);
                        soft.assertThat(r.status()).as("%s %s on %s with A's token: %s", name, params, url, r).isEqualTo(403);
                        assertNoB(soft, r, name);
                    }
                    // The same through RunScript: refused by the cmdlet itself.
                    Response s = h.runScript(a.token(), url, ScriptLine.of(d.name(), params), false);
                    soft.assertThat(s.json().path("Success").asBoolean()).as("RunScript %s %s: %s", d.name(), params, s).isFalse();
                    if (!params.isEmpty()) soft.assertThat(s.body()).as("RunScript %s", d.name()).contains("operator");
                    assertNoB(soft, s, "RunScript " + d.name());
                }
            }
            // Positive control: the operator may run it (Get-Tenant as the harmless representative).
        }
        soft.assertThat(h.invoke(h.operatorToken, null, "Get-Tenant", Map.of()).body()).contains(b.name());
        soft.assertAll();
        assertThat(checked).isEqualTo(4);
        assertBUnchanged(before);
        assertThat(h.ok(a.name(), "Get-AdminToken", Map.of()).toString()).as("A's tokens").isEqualTo(aTokensBefore);
        assertThat(h.ok(null, "Get-Tenant", Map.of()).toString()).doesNotContain("Evil-");
    }

    /** Own-organization cmdlets with A's token act on A only. */
    @Test
    void ownOrganizationCmdletsTouchOnlyTheCaller() {
        String before = snapshot();
        SoftAssertions soft = new SoftAssertions();
        for (CmdletDefinition<AdminContext> d : cmdlets()) {
            Walk w = WALK.get(d.name());
            if (w.scope() != Scope.OWN_ORGANIZATION && w.scope() != Scope.NO_TENANT_DATA) continue;
            for (String url : new String[] {a.name(), null}) {
                Response r = h.invoke(a.token(), url, d.name(), w.call());
                soft.assertThat(r.status()).as("%s %s on %s: %s", d.name(), w.call(), url, r).isEqualTo(w.ownStatus());
                assertNoB(soft, r, d.name());
            }
        }
        soft.assertAll();
        assertThat(h.ok(a.name(), "Get-OrganizationConfig", Map.of()).get(0).get("RejectDirectSend").asBoolean())
                .as("Set-OrganizationConfig with A's token changed A").isTrue();
        h.ok(a.name(), "Set-OrganizationConfig", Map.of("RejectDirectSend", false));
        assertBUnchanged(before);
    }

    /** (e) RunScript with A's token never reveals B: B's objects are "not found", pipelines stay in A. */
    @Test
    void runScriptNeverRevealsB() {
        String before = snapshot();
        SoftAssertions soft = new SoftAssertions();
        List<String> scripts = List.of(
                "Get-Mailbox " + b.primary(),
                "Get-Mailbox -Identity '" + b.mailbox() + "' | Format-List",
                "Get-Mailbox " + b.mailboxGuid() + " | ConvertTo-Json",
                "Get-Mailbox " + b.proxy() + " | Remove-Mailbox -Confirm:$false",
                "Set-Mailbox " + b.primary() + " -EmailAddresses @{Add='smtp:evil@" + b.domainName() + "'}",
                "Remove-Mailbox '" + b.mailbox() + "' -Confirm:$false",
                "Get-AcceptedDomain " + b.domainName(),
                "Set-AcceptedDomain " + b.domainObject() + " -DomainType InternalRelay",
                "Remove-AcceptedDomain " + b.domainName() + " -Confirm:$false",
                "Get-AdminToken " + b.tokenGuid(),
                "Remove-AdminToken " + b.tokenGuid() + " -Confirm:$false",
                "Remove-AdminToken " + b.tokenName() + " -WhatIf");
        for (String script : scripts) {
            for (String url : new String[] {a.name(), null}) {
                for (boolean json : new boolean[] {false, true}) {
                    Response r = h.runScript(a.token(), url, script, json);
                    soft.assertThat(r.status()).as(script).isEqualTo(200);
                    soft.assertThat(r.json().path("Success").asBoolean()).as("%s: %s", script, r).isFalse();
                    soft.assertThat(r.json().path("Errors").toString()).as(script).containsIgnoringCase("couldn't be found");
                    soft.assertThat(r.json().path("Output").asText()).as(script).doesNotContainIgnoringCase(B_CANARY);
                    assertRevealsNothingNew(soft, r, script, script);
                }
            }
        }
        // Positive control: the same kind of script on A's objects shows them, and the operator sees B's.
        Response own = h.runScript(a.token(), null, "Get-Mailbox " + a.primary() + " | Format-List", false);
        soft.assertThat(own.json().path("Output").asText()).contains(a.mailbox());
        Response op = h.runScript(h.operatorToken, b.name(), "Get-Mailbox " + b.primary() + " | Format-List", false);
        soft.assertThat(op.json().path("Output").asText()).contains(b.mailbox());
        soft.assertAll();
        assertBUnchanged(before);
    }

    /** No token, a wrong token, a wrong scheme, a revoked token: 401 on every admin endpoint. */
    @Test
    void unauthenticatedAndRevokedTokensAre401() {
        String body = "{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\"}}";
        Response before = h.invoke(aSpareToken, a.name(), "Get-Mailbox");
        assertThat(before.status()).as("spare token before revocation: %s", before).isEqualTo(200);
        Response revoke = h.invoke(h.operatorToken, a.name(), "Remove-AdminToken", Map.of("Identity", aSpareGuid));
        assertThat(revoke.status()).as("revoke: %s", revoke).isEqualTo(200);
        assertThat(h.ok(a.name(), "Get-AdminToken", Map.of("Identity", aSpareGuid)).get(0).get("Revoked").asBoolean()).isTrue();

        SoftAssertions soft = new SoftAssertions();
        List<String> tokens = new ArrayList<>();
        tokens.add(null);
        tokens.add(aSpareToken);
        tokens.add("ghta_" + "x".repeat(43));
        tokens.add(a.token() + "x");
        tokens.add("");
        for (String token : tokens) {
            for (String url : new String[] {a.name(), b.name(), null}) {
                Response r = h.post(token, AdminHarness.path(url, "InvokeCommand"), body);
                soft.assertThat(r.status()).as("InvokeCommand token=%s url=%s: %s", token, url, r).isEqualTo(401);
                soft.assertThat(r.body()).doesNotContainIgnoringCase(A_CANARY).doesNotContainIgnoringCase(B_CANARY);
                Response s = h.runScript(token, url, "Get-Mailbox", false);
                soft.assertThat(s.status()).as("RunScript token=%s url=%s", token, url).isEqualTo(401);
            }
            soft.assertThat(h.get(token, "/adminapi/v1/Commands").status()).as("Commands token=%s", token).isEqualTo(401);
        }
        // Wrong scheme with the right token.
        Response basic = h.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.base + "/adminapi/v1/InvokeCommand"))
                .header("Authorization", "Basic " + a.token()).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
        soft.assertThat(basic.status()).isEqualTo(401);
        // The other tokens still work.
        soft.assertThat(h.invoke(a.token(), null, "Get-Mailbox").status()).isEqualTo(200);
        soft.assertAll();
    }

    /** A tenant admin may revoke its own organization's tokens only; the revoked token is then refused. */
    @Test
    void tenantAdminRevokesOnlyItsOwnTokens() {
        JsonNode t = h.ok(null, "New-AdminToken", Map.of("Name", "a-temp-" + A_CANARY, "Organization", a.name())).get(0);
        Response r = h.invoke(a.token(), null, "Remove-AdminToken", Map.of("Identity", t.get("Identity").asText()));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(h.invoke(t.get("Token").asText(), null, "Get-Mailbox").status()).isEqualTo(401);
        // Not the operator token, not B's: both are "not found" for A.
        String before = snapshot();
        Response op = h.invoke(a.token(), null, "Remove-AdminToken", Map.of("Identity", "operator"));
        assertThat(op.status()).as("%s", op).isEqualTo(404);
        assertThat(h.invoke(h.operatorToken, null, "Get-Tenant").status()).isEqualTo(200);
        assertBUnchanged(before);
    }

    /** Builds the script line of one cmdlet call, as InvokeCommand does (via the REST layer's rules). */
    static final class ScriptLine {
        static String of(String cmdlet, Map<String, Object> params) {
            StringBuilder sb = new StringBuilder(cmdlet);
            for (Map.Entry<String, Object> e : params.entrySet()) sb.append(" -").append(e.getKey()).append(':').append(value(e.getValue()));
            return sb.toString();
        }

        @SuppressWarnings("unchecked")
        private static String value(Object v) {
            if (v instanceof Boolean bo) return bo ? "$true" : "$false";
            if (v instanceof List<?> l) {
                StringBuilder sb = new StringBuilder("@(");
                for (int i = 0; i < l.size(); i++) sb.append(i > 0 ? "," : "").append(value(l.get(i)));
                return sb.append(')').toString();
            }
            if (v instanceof Map<?, ?> m) {
                StringBuilder sb = new StringBuilder("@{");
                for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                    sb.append(e.getKey()).append('=').append(value(e.getValue())).append("; ");
                }
                return sb.append('}').toString();
            }
            return "'" + String.valueOf(v).replace("'", "''") + "'";
        }
    }
}
