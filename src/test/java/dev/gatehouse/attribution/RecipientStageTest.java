// The recipients stage without sockets: routes in, stored recipient rows with their tenant's stamp out.
package dev.gatehouse.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.ProtectedHeaders;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Attribution;
import dev.gatehouse.pipeline.Route;
import dev.gatehouse.pipeline.Verdict;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;

class RecipientStageTest {

    static final String CONTOSO = "6f1d2c3b-0000-4000-8000-00000000c0c0";
    static final String FABRIKAM = "7a2e3d4c-0000-4000-8000-00000000fab0";
    static final String GATEWAY = "mx.gatehouse.test";

    private final RecipientStage stage = new RecipientStage(GATEWAY);

    /** The hybrid (CloudServicesMailEnabled) OnPremises connector of Contoso. */
    static final Attribution HYBRID = new Attribution("CO-HYB", "Certificate", Directionality.Originating, AuthAs.Internal, "10",
            "HybridOnPrem", false, false);
    /** An OnPremises connector without CloudServicesMailEnabled (TreatMessagesAsInternal): Originating and Internal, not hybrid. */
    static final Attribution ON_PREMISES = new Attribution("CO-IP", "IP", Directionality.Originating, AuthAs.Internal, null,
            "HybridOnPrem", false, false);
    static final Attribution PARTNER = new Attribution("CP-IP", "IP", Directionality.Incoming, AuthAs.Anonymous, null, "Internet", false, false);

    static final String CROSS_PREMISES = "X-MS-Exchange-CrossPremises-AuthSource: exch01.corp.contoso.com\r\n"
            + "X-MS-Exchange-CrossPremises-SCL: -1\r\n"
            + "X-MS-Exchange-CrossPremises-Network-Message-Id: forged-id\r\n";

    static Accepting accepting(String content, List<Route> routes) {
        return new Accepting("8026f7a2-10c7-4894-75d5-08db7c3b05c4", Instant.parse("2026-11-28T18:00:00Z"),
                new Accepting.Client("s1", InetAddress.getLoopbackAddress(), "client.example", true, null, null), "x@partner.example", routes,
                Message.parse(content.getBytes(StandardCharsets.UTF_8)));
    }

    static final String PLAIN = "From: x@partner.example\r\nSubject: hi\r\n\r\nbody\r\n";

    private static List<QueuedRecipient> rows(Accepting m) {
        return m.recipients().stream().map(Accepting.Recipient::row).toList();
    }

    /** The stamp of an anonymous copy through the default connector, written out in full. */
    private static String defaultStamp(String guid) {
        return "X-EOPAttributedMessage: 0\r\n"
                + "X-EOPTenantAttributedMessage: " + guid + ":0\r\n"
                + "X-MS-Exchange-Organization-MessageDirectionality: Incoming\r\n"
                + "X-MS-Exchange-Organization-AuthSource: mx.gatehouse.test\r\n"
                + "X-MS-Exchange-Organization-AuthAs: Anonymous\r\n"
                + "X-MS-Exchange-CrossTenant-Id: " + guid + "\r\n"
                + "X-MS-Exchange-CrossTenant-AuthSource: mx.gatehouse.test\r\n"
                + "X-MS-Exchange-CrossTenant-AuthAs: Anonymous\r\n"
                + "X-MS-Exchange-CrossTenant-FromEntityHeader: Internet\r\n";
    }

    @Test
    void localRoutesArePendingAndAnOriginatingRelayRouteAwaitsTheRelay() {
        Accepting m = accepting(PLAIN, List.of(
                new Route(1, CONTOSO, "bob@contoso.com", 11L, ON_PREMISES),
                new Route(1, CONTOSO, "partner@elsewhere.example", null, ON_PREMISES.relayed())));
        assertThat(stage.apply(m)).isNull();
        assertThat(rows(m)).extracting(QueuedRecipient::address, QueuedRecipient::mailboxId, QueuedRecipient::status)
                .containsExactly(
                        tuple("bob@contoso.com", 11L, RecipientStatus.Pending),
                        tuple("partner@elsewhere.example", null, RecipientStatus.AwaitingRelay));
        assertThat(m.recipients()).extracting(Accepting.Recipient::verdict).containsOnly(Verdict.DELIVER);
        assertThat(rows(m)).allSatisfy(r -> {
            assertThat(r.tenantId()).isEqualTo(1);
            assertThat(r.inboundConnector()).isEqualTo("CO-IP");
            assertThat(r.directionality()).isEqualTo(Directionality.Originating);
            assertThat(r.authAs()).isEqualTo(AuthAs.Internal);
            assertThat(r.lastError()).isNull();
            assertThat(r.variant()).isNull();
        });
    }

    @Test
    void aRecipientGivenTwiceIsStoredOncePerTenantInRcptOrder() {
        Accepting m = accepting(PLAIN, List.of(
                new Route(1, CONTOSO, "bob@contoso.com", 11L),
                new Route(2, FABRIKAM, "carol@fabrikam.com", 21L),
                new Route(1, CONTOSO, "bob@contoso.com", 11L),
                new Route(1, CONTOSO, "alice@contoso.com", 10L),
                // the same address attributed to another tenant is that tenant's copy, kept
                new Route(2, FABRIKAM, "bob@contoso.com", null)));
        stage.apply(m);
        assertThat(rows(m)).extracting(QueuedRecipient::tenantId, QueuedRecipient::address).containsExactly(
                tuple(1L, "bob@contoso.com"),
                tuple(2L, "carol@fabrikam.com"),
                tuple(1L, "alice@contoso.com"),
                tuple(2L, "bob@contoso.com"));
    }

    @Test
    void eachTenantGetsItsOwnStampWithItsIdDirectionalityAndAuthAs() {
        Accepting m = accepting(PLAIN, List.of(
                new Route(1, CONTOSO, "bob@contoso.com", 11L, ON_PREMISES),
                new Route(2, FABRIKAM, "carol@fabrikam.com", 21L, Attribution.defaultConnector(true))));
        stage.apply(m);
        QueuedRecipient bob = rows(m).get(0);
        QueuedRecipient carol = rows(m).get(1);
        assertThat(bob.stampHeaders()).isEqualTo("X-EOPAttributedMessage: 0\r\n"
                + "X-EOPTenantAttributedMessage: " + CONTOSO + ":0\r\n"
                + "X-MS-Exchange-Organization-MessageDirectionality: Originating\r\n"
                + "X-MS-Exchange-Organization-AuthSource: mx.gatehouse.test\r\n"
                + "X-MS-Exchange-Organization-AuthAs: Internal\r\n"
                + "X-MS-Exchange-CrossTenant-Id: " + CONTOSO + "\r\n"
                + "X-MS-Exchange-CrossTenant-AuthSource: mx.gatehouse.test\r\n"
                + "X-MS-Exchange-CrossTenant-AuthAs: Internal\r\n"
                + "X-MS-Exchange-CrossTenant-FromEntityHeader: HybridOnPrem\r\n");
        assertThat(carol.stampHeaders()).isEqualTo(defaultStamp(FABRIKAM));
        assertThat(carol.inboundConnector()).isEmpty();
        assertThat(carol.directionality()).isEqualTo(Directionality.Incoming);
        assertThat(carol.authAs()).isEqualTo(AuthAs.Anonymous);
        assertThat(carol.directSend()).isTrue();
        assertThat(bob.directSend()).isFalse();
    }

    @Test
    void aHybridRoutePromotesCrossPremisesFieldsReadFromTheReceivedMessage() {
        Accepting m = accepting(CROSS_PREMISES + PLAIN, List.of(new Route(1, CONTOSO, "bob@contoso.com", 11L, HYBRID)));
        // the header firewall (a later stage) removes the fields from the stored form; promotion must not depend on it
        m.stored(m.received().without(f -> f.hasPrefix(ProtectedHeaders.CROSS_PREMISES_PREFIX)));
        assertThat(m.stored().first("X-MS-Exchange-CrossPremises-AuthSource")).isNull();
        stage.apply(m);
        assertThat(rows(m).getFirst().stampHeaders()).isEqualTo("X-EOPAttributedMessage: 0\r\n"
                + "X-EOPTenantAttributedMessage: " + CONTOSO + ":0\r\n"
                + "X-MS-Exchange-Organization-MessageDirectionality: Originating\r\n"
                + "X-MS-Exchange-Organization-AuthSource: exch01.corp.contoso.com\r\n"
                + "X-MS-Exchange-Organization-AuthAs: Internal\r\n"
                + "X-MS-Exchange-Organization-AuthMechanism: 10\r\n"
                + "X-MS-Exchange-CrossTenant-Id: " + CONTOSO + "\r\n"
                + "X-MS-Exchange-CrossTenant-AuthSource: mx.gatehouse.test\r\n"
                + "X-MS-Exchange-CrossTenant-AuthAs: Internal\r\n"
                + "X-MS-Exchange-CrossTenant-FromEntityHeader: HybridOnPrem\r\n"
                + "X-MS-Exchange-Organization-SCL: -1\r\n"
                + "X-CrossPremisesHeadersPromoted: mx.gatehouse.test\r\n"
                + "X-CrossPremisesHeadersFiltered: mx.gatehouse.test\r\n");
    }

    @Test
    void inOneTransactionOnlyTheHybridRoutesCopyIsPromoted() {
        Accepting m = accepting(CROSS_PREMISES + PLAIN, List.of(
                new Route(1, CONTOSO, "bob@contoso.com", 11L, HYBRID),
                new Route(2, FABRIKAM, "carol@fabrikam.com", 21L, Attribution.defaultConnector(false))));
        stage.apply(m);
        assertThat(rows(m).get(0).stampHeaders()).contains("X-MS-Exchange-Organization-AuthSource: exch01.corp.contoso.com\r\n");
        assertThat(rows(m).get(1).stampHeaders()).isEqualTo(defaultStamp(FABRIKAM));
    }

    @Test
    void nothingIsPromotedForPartnerDefaultOrNonHybridOnPremisesRoutes() {
        for (Attribution a : List.of(PARTNER, Attribution.defaultConnector(false), ON_PREMISES)) {
            Accepting m = accepting(CROSS_PREMISES + PLAIN, List.of(new Route(1, CONTOSO, "bob@contoso.com", 11L, a)));
            stage.apply(m);
            String stamp = rows(m).getFirst().stampHeaders();
            assertThat(stamp).as(a.connector()).doesNotContain("exch01").doesNotContain("SCL").doesNotContain("CrossPremises")
                    .contains("X-MS-Exchange-Organization-AuthSource: mx.gatehouse.test\r\n")
                    .isEqualTo(Stamps.of(a, CONTOSO, GATEWAY));
        }
    }

    @Test
    void noRoutesGiveNoRecipients() {
        Accepting m = accepting(PLAIN, List.of());
        assertThat(stage.apply(m)).isNull();
        assertThat(m.recipients()).isEmpty();
    }
}
