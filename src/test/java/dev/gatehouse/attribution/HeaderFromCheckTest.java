// The header-From check (RejectDirectSendHeaderFrom) without sockets, over a real directory on both stores.
package dev.gatehouse.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.OrganizationConfigService;
import dev.gatehouse.directory.OrganizationSettings;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.mail.Message;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.pipeline.Verdict;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

/**
 * Contoso accepts contoso.com (Authoritative) and contoso.net (InternalRelay, MatchSubDomains) and has
 * RejectDirectSendHeaderFrom on; Fabrikam accepts fabrikam.com and has not opted in. Both stores, because the
 * check reads the directory's snapshot of accepted domains and organization settings built from SQL.
 */
@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class HeaderFromCheckTest extends StoreTestBase {

    static final String REPLY = "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources";

    private Tenant contoso;
    private Tenant fabrikam;
    private HeaderFromCheck check;
    private RefusalLog refusals;

    @BeforeEach
    void directory() {
        TenantService tenants = new TenantService(store);
        AcceptedDomainService domains = new AcceptedDomainService(store);
        contoso = tenants.create("Contoso");
        fabrikam = tenants.create("Fabrikam");
        domains.create(contoso.id(), "contoso.com", DomainType.Authoritative, false);
        domains.create(contoso.id(), "contoso.net", DomainType.InternalRelay, true);
        domains.create(fabrikam.id(), "fabrikam.com", DomainType.Authoritative, false);
        new OrganizationConfigService(store).set(contoso.id(), OrganizationSettings.REJECT_DIRECT_SEND_HEADER_FROM, "true");
        refusals = new RefusalLog(store);
        check = new HeaderFromCheck(new Directory(store), refusals);
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static Accepting.Recipient anonymous(Tenant t, String address) {
        return recipient(t, address, "", Directionality.Incoming, AuthAs.Anonymous);
    }

    private static Accepting.Recipient recipient(Tenant t, String address, String connector, Directionality d, AuthAs a) {
        return new Accepting.Recipient(new QueuedRecipient(t.id(), address, null, RecipientStatus.Pending, connector, d, a, false,
                null), Verdict.DELIVER);
    }

    private static Accepting accepting(String header, List<Accepting.Recipient> recipients) throws Exception {
        Accepting m = new Accepting("8026f7a2-10c7-4894-75d5-08db7c3b05c4", Instant.now(),
                new Accepting.Client("s1", InetAddress.getByName("203.0.113.50"), "client.example", true, "TLSv1.3", "TLS_AES_256_GCM_SHA384"),
                "x@evil.example", List.of(), Message.parse((header + "Subject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8)));
        m.recipients(recipients);
        return m;
    }

    private Refusal checkToBob(String header) throws Exception {
        return check.apply(accepting(header, List.of(anonymous(contoso, "bob@contoso.com"))));
    }

    private static void assertRefused(Refusal r, String form) {
        assertThat(r).as(form).isNotNull();
        assertThat(r.reason()).as(form).isEqualTo(RefusalReason.REJECT_DIRECT_SEND_HEADER_FROM);
        assertThat(r.reply().toString()).as(form).isEqualTo(REPLY);
        assertThat(r.recorded()).as(form).isFalse(); // goes to the refusal log, not to message trace
    }

    private List<RefusalLog.Refusal> logged(Tenant t) {
        return refusals.list(t.id(), Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofHours(1)), 100);
    }

    // --- refused --------------------------------------------------------------------------------------

    @Test
    void everyWayOfWritingAnAcceptedDomainInFromIsRefused() throws Exception {
        List<String> forms = List.of(
                "From: CEO <ceo@contoso.com>\r\n",
                "From: ceo@contoso.com\r\n",
                "From: CEO <CEO@Contoso.COM>\r\n",
                "From: ceo@contoso.com (x@example.org)\r\n",
                "From: x@example.org (ceo@contoso.com)\r\n",
                "From: \"ceo@contoso.com\" <x@example.org>\r\n",
                "From: =?utf-8?Q?ceo=40contoso.com?= <x@example.org>\r\n",
                "From: x@example.org, ceo@contoso.com\r\n",
                "From: Team: x@example.org, ceo@contoso.com;\r\n",
                "From: x@example.org\r\nFrom: ceo@contoso.com\r\n",
                "From : CEO <ceo@contoso.com>\r\n",
                "From\t: CEO <ceo@contoso.com>\r\n",
                "From: ceo@contoso.com.\r\n",
                "From: ceo @ contoso . com\r\n",
                "From: CEO\r\n <ceo@contoso.com>\r\n",
                "X-A : b\r\nFrom: CEO <ceo@contoso.com>\r\n",
                " \r\nFrom: CEO <ceo@contoso.com>\r\n");
        for (String form : forms) assertRefused(checkToBob(form), form);
    }

    @Test
    void aFromInWhichNoAddressCanBeReadIsRefused() throws Exception {
        for (String form : List.of("From: Undisclosed sender\r\n", "From: undisclosed-recipients:;\r\n", "From: <>\r\n", "From:\r\n")) {
            assertRefused(checkToBob(form), form);
        }
    }

    @Test
    void aSubdomainOfAMatchSubDomainsAcceptedDomainCounts() throws Exception {
        assertRefused(checkToBob("From: scanner@branch.contoso.net\r\n"), "sub of MatchSubDomains");
        assertRefused(checkToBob("From: scanner@a.b.contoso.net\r\n"), "deeper sub of MatchSubDomains");
        // contoso.com has no MatchSubDomains: its subdomains are not its accepted domains
        assertThat(checkToBob("From: scanner@branch.contoso.com\r\n")).isNull();
    }

    @Test
    void aRefusalIsLoggedForTheTenantWithTheClientAndEnvelope() throws Exception {
        Instant before = Instant.now();
        Accepting m = accepting("From: CEO <ceo@contoso.com>\r\n", List.of(anonymous(contoso, "bob@contoso.com")));
        assertRefused(check.apply(m), "display name");
        await().atMost(Duration.ofSeconds(10)).until(() -> !logged(contoso).isEmpty());
        RefusalLog.Refusal r = logged(contoso).getFirst();
        assertThat(logged(contoso)).hasSize(1);
        assertThat(r.tenantId()).isEqualTo(contoso.id());
        assertThat(r.at()).isBetween(before.minusMillis(1), Instant.now());
        assertThat(r.clientIp()).isEqualTo("203.0.113.50");
        assertThat(r.helo()).isEqualTo("client.example");
        assertThat(r.tlsProtocol()).isEqualTo("TLSv1.3");
        assertThat(r.mailFrom()).isEqualTo("x@evil.example");
        assertThat(r.recipient()).isEqualTo("bob@contoso.com");
        assertThat(r.reason()).isEqualTo(RefusalReason.REJECT_DIRECT_SEND_HEADER_FROM);
        assertThat(r.reply()).isEqualTo(REPLY);
        assertThat(r.connector()).isNull();
        assertThat(logged(fabrikam)).isEmpty();
    }

    @Test
    void oneOptedInTenantRefusesTheTransactionAndEveryRecipientsTenantSeesItsMailRefused() throws Exception {
        // the claim is contoso.com: Contoso opted in and refuses the whole transaction (one DATA reply); Fabrikam did
        // not opt in, but its recipient was refused too, and its admin must be able to see that
        Accepting m = accepting("From: ceo@contoso.com\r\n", List.of(anonymous(fabrikam, "carol@fabrikam.com"),
                anonymous(contoso, "bob@contoso.com"), anonymous(contoso, "alice@contoso.com")));
        assertRefused(check.apply(m), "mixed");
        await().atMost(Duration.ofSeconds(10)).until(() -> logged(contoso).size() == 2 && logged(fabrikam).size() == 1);
        assertThat(logged(contoso)).extracting(RefusalLog.Refusal::recipient).containsExactlyInAnyOrder("bob@contoso.com", "alice@contoso.com");
        assertThat(logged(fabrikam)).extracting(RefusalLog.Refusal::recipient, RefusalLog.Refusal::reason)
                .containsExactly(org.assertj.core.api.Assertions.tuple("carol@fabrikam.com", RefusalReason.REJECT_DIRECT_SEND_HEADER_FROM));
    }

    @Test
    void withoutARefusalLogTheCheckStillRefuses() throws Exception {
        HeaderFromCheck unlogged = new HeaderFromCheck(new Directory(store), null);
        assertRefused(unlogged.apply(accepting("From: ceo@contoso.com\r\n", List.of(anonymous(contoso, "bob@contoso.com")))), "no log");
    }

    // --- not refused ----------------------------------------------------------------------------------

    @Test
    void aTenantThatDidNotOptInIsNotChecked() throws Exception {
        Accepting m = accepting("From: ceo@fabrikam.com\r\n", List.of(anonymous(fabrikam, "carol@fabrikam.com")));
        assertThat(check.apply(m)).isNull();
        // and an unparseable From is no claim for a tenant that didn't opt in
        assertThat(check.apply(accepting("From: Undisclosed\r\n", List.of(anonymous(fabrikam, "carol@fabrikam.com"))))).isNull();
        // Contoso's own domain in From, sent to Fabrikam only: Fabrikam's setting decides
        assertThat(check.apply(accepting("From: ceo@contoso.com\r\n", List.of(anonymous(fabrikam, "carol@fabrikam.com"))))).isNull();
        // opting out again (the setting is read from the directory's snapshot, refreshed on change)
        new OrganizationConfigService(store).set(contoso.id(), OrganizationSettings.REJECT_DIRECT_SEND_HEADER_FROM, "false");
        assertThat(checkToBob("From: ceo@contoso.com\r\n")).isNull();
    }

    @Test
    void aRecipientThroughANamedConnectorIsNotChecked() throws Exception {
        Accepting m = accepting("From: ceo@contoso.com\r\n",
                List.of(recipient(contoso, "bob@contoso.com", "CP-IP", Directionality.Incoming, AuthAs.Anonymous)));
        assertThat(check.apply(m)).isNull();
    }

    @Test
    void anOriginatingRecipientIsNotChecked() throws Exception {
        // the connector is left empty here so that only the directionality differs from the refused case
        Accepting m = accepting("From: ceo@contoso.com\r\n",
                List.of(recipient(contoso, "bob@contoso.com", "", Directionality.Originating, AuthAs.Internal)));
        assertThat(check.apply(m)).isNull();
        Accepting hybrid = accepting("From: ceo@contoso.com\r\n",
                List.of(recipient(contoso, "bob@contoso.com", "CO-HYB", Directionality.Originating, AuthAs.Internal)));
        assertThat(check.apply(hybrid)).isNull();
    }

    @Test
    void aFromOfAnotherDomainIsNotRefused() throws Exception {
        for (String form : List.of("From: x@evil.example\r\n", "From: ceo@fabrikam.com\r\n", "From: \"CEO of contoso.com\" <x@evil.example>\r\n",
                "From: ceo@notcontoso.com\r\n", "From: ceo@contoso.com.evil.example\r\n")) {
            assertThat(checkToBob(form)).as(form).isNull();
        }
    }

    @Test
    void aMessageWithoutFromIsNotRefused() throws Exception {
        assertThat(checkToBob("")).isNull();
        assertThat(checkToBob("Sender: ceo@contoso.com\r\nReply-To: ceo@contoso.com\r\n")).isNull();
    }

    @Test
    void aFromLineInTheBodyIsNotAHeader() throws Exception {
        Accepting m = new Accepting("id-1", Instant.now(), new Accepting.Client("s1", InetAddress.getLoopbackAddress(), "h", true, null, null),
                "x@evil.example", List.of(), Message.parse("Subject: hi\r\n\r\nFrom: ceo@contoso.com\r\n".getBytes(StandardCharsets.UTF_8)));
        m.recipients(List.of(anonymous(contoso, "bob@contoso.com")));
        assertThat(check.apply(m)).isNull();
    }

    @Test
    void nothingIsLoggedWhenNothingIsRefused() throws Exception {
        assertThat(checkToBob("From: x@evil.example\r\n")).isNull();
        // a refusal logged afterwards is the only row: the accepted message above wrote none
        assertRefused(checkToBob("From: ceo@contoso.com\r\n"), "marker");
        await().atMost(Duration.ofSeconds(10)).until(() -> !logged(contoso).isEmpty());
        assertThat(logged(contoso)).hasSize(1);
    }
}
