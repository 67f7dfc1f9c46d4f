// The inbound messages report on a real store (SQLite and PostgreSQL) at a fixed "now": rows per period and connector,
// TLS columns, connector type and Forced TLS as they are now, the -ConnectorName filter, the window and its refusals.
package dev.gatehouse.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.connector.ConnectorSettings;
import dev.gatehouse.connector.ConnectorType;
import dev.gatehouse.connector.InboundConnectorService;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;
import dev.gatehouse.trace.InboundMessagesReport.Granularity;
import dev.gatehouse.trace.InboundMessagesReport.Row;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class InboundMessagesReportTest extends StoreTestBase {

    static final Instant NOW = Instant.parse("2026-10-10T12:30:00Z");
    static final Instant TODAY = Instant.parse("2026-10-10T00:00:00Z");
    static final Instant YESTERDAY = TODAY.minus(Duration.ofDays(1));

    long contoso;
    long fabrikam;
    InboundMessagesReport report;
    InboundConnectorService connectors;

    @BeforeEach
    void organizations() {
        TenantService tenants = new TenantService(store);
        contoso = tenants.create("Contoso").id();
        fabrikam = tenants.create("Fabrikam").id();
        connectors = new InboundConnectorService(store);
        connectors.create(contoso, connector("CP-IP", ConnectorType.Partner, "198.51.100.7", false));
        connectors.create(contoso, connector("CO-HYB", ConnectorType.OnPremises, "203.0.113.0/24", true));
        report = new InboundMessagesReport(store, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static ConnectorSettings connector(String name, ConnectorType type, String ip, boolean requireTls) {
        return new ConnectorSettings(name, type, List.of("*"), List.of(ip), null, null, null, requireTls, null, null, null, null, null, null);
    }

    static QueuedRecipient to(long tenant, String address, String connector) {
        return new QueuedRecipient(tenant, address, null, RecipientStatus.Pending, connector, Directionality.Incoming, AuthAs.Anonymous,
                connector.isEmpty(), null);
    }

    void receive(Instant at, String tls, QueuedRecipient... recipients) {
        String id = UUID.randomUUID().toString();
        byte[] content = ("Subject: t\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        new MessageQueue(store).enqueue(new IncomingMessage(id, at, "sender@example.net", "192.0.2.1", "client.example.net", tls,
                tls == null ? null : "TLS_AES_128_GCM_SHA256", "<" + id + "@test>", "t", null, content, List.of(recipients))).join();
    }

    List<Row> run(Instant start, Instant end, List<String> names, Granularity g) { return report.run(contoso, start, end, names, g); }

    List<Row> lastWeek() { return run(null, null, null, null); }

    @Test
    void oneRowPerDayAndConnectorWithMessagesCountedPerTlsVersion() {
        receive(YESTERDAY.plusSeconds(3600), null, to(contoso, "alice@contoso.com", ""), to(contoso, "bob@contoso.com", ""));
        receive(YESTERDAY.plusSeconds(7200), "TLSv1.2", to(contoso, "bob@contoso.com", ""));
        receive(YESTERDAY.plusSeconds(7300), "TLSv1.3", to(contoso, "bob@contoso.com", "CP-IP"));
        receive(YESTERDAY.plusSeconds(7400), "TLSv1.3", to(contoso, "bob@contoso.com", "CP-IP"), to(fabrikam, "carol@fabrikam.com", "Fab"));
        receive(TODAY.plusSeconds(60), "TLSv1.2", to(contoso, "alice@contoso.com", "CO-HYB"));
        receive(TODAY.plusSeconds(120), "TLSv1", to(contoso, "alice@contoso.com", "CO-HYB"));
        receive(TODAY.plusSeconds(180), "TLSv1.1", to(contoso, "alice@contoso.com", "CO-HYB"));
        receive(TODAY.plusSeconds(240), "SSLv3", to(contoso, "alice@contoso.com", "CO-HYB"));

        assertThat(lastWeek()).containsExactly(
                new Row(YESTERDAY, "Inbound - CP-IP", "Partner", "No", 0, 0, 0, 0, 2, 2),
                new Row(YESTERDAY, "Inbound - No connector", "-", "No", 1, 0, 0, 1, 0, 2),
                new Row(TODAY, "Inbound - CO-HYB", "OnPremises", "Yes", 0, 1, 1, 1, 0, 4));
    }

    /** Decision web-report-aggregates: the same rows from a fresh store and once the closed hours are kept, by day and by hour. */
    @Test
    void theSameRowsOnceTheClosedHoursAreKept() {
        receive(YESTERDAY.plusSeconds(3600), null, to(contoso, "alice@contoso.com", ""), to(fabrikam, "carol@fabrikam.com", "Fab"));
        receive(YESTERDAY.plusSeconds(3700), "TLSv1.3", to(contoso, "bob@contoso.com", "CP-IP"));
        receive(TODAY.plusSeconds(60), "TLSv1.2", to(contoso, "alice@contoso.com", "CO-HYB"));
        receive(NOW.minusSeconds(60), "TLSv1.3", to(contoso, "alice@contoso.com", "CO-HYB")); // the open hour
        List<Row> days = lastWeek();
        List<Row> hours = run(null, null, null, Granularity.Hour);
        assertThat(dev.gatehouse.queue.TestMessages.count(store, "SELECT COUNT(*) FROM hourly_inbound WHERE messages > 0")).isEqualTo(3);
        assertThat(lastWeek()).isEqualTo(days).extracting(Row::Volume).containsExactly(1L, 1L, 2L);
        assertThat(run(null, null, null, Granularity.Hour)).isEqualTo(hours).hasSize(4);
        assertThat(report.run(fabrikam, null, null, null, null)).containsExactly(new Row(YESTERDAY, "Inbound - Fab", "-", "No", 1, 0, 0, 0, 0, 1));
    }

    @Test
    void aTenantSeesOnlyItsOwnRecipientsMessages() {
        receive(TODAY.plusSeconds(60), "TLSv1.3", to(contoso, "bob@contoso.com", "CP-IP"), to(fabrikam, "carol@fabrikam.com", ""),
                to(fabrikam, "dave@fabrikam.com", ""));
        receive(TODAY.plusSeconds(120), "TLSv1.3", to(fabrikam, "carol@fabrikam.com", ""));

        assertThat(report.run(fabrikam, null, null, null, null)).containsExactly(
                new Row(TODAY, "Inbound - No connector", "-", "No", 0, 0, 0, 0, 2, 2));
        assertThat(lastWeek()).containsExactly(new Row(TODAY, "Inbound - CP-IP", "Partner", "No", 0, 0, 0, 0, 1, 1));
        assertThat(report.run(999, null, null, null, null)).isEmpty();
    }

    @Test
    void aConnectorRenamedOrDeletedSinceKeepsItsOldNameWithoutTypeOrForcedTls() {
        receive(TODAY.plusSeconds(60), "TLSv1.3", to(contoso, "bob@contoso.com", "CP-IP"));
        receive(TODAY.plusSeconds(120), "TLSv1.3", to(contoso, "bob@contoso.com", "CO-HYB"));
        receive(TODAY.plusSeconds(180), "TLSv1.3", to(contoso, "bob@contoso.com", "cp-ip"));
        ConnectorSettings rename = new ConnectorSettings("Scanner", null, null, null, null, null, null, null, null, null, null, null, null, null);
        connectors.set(contoso, "CP-IP", rename);
        connectors.remove(contoso, "CO-HYB");

        assertThat(lastWeek()).containsExactly(
                new Row(TODAY, "Inbound - CO-HYB", "-", "No", 0, 0, 0, 0, 1, 1),
                new Row(TODAY, "Inbound - CP-IP", "-", "No", 0, 0, 0, 0, 1, 1),
                new Row(TODAY, "Inbound - cp-ip", "-", "No", 0, 0, 0, 0, 1, 1));
        // a new connector that takes the old name is the one shown: the report names connectors, as the admin centre does
        connectors.create(contoso, connector("CP-IP", ConnectorType.Partner, "198.51.100.9", true));
        assertThat(run(null, null, List.of("CP-IP"), null)).extracting(Row::ConnectorType, Row::ForcedTls)
                .containsOnly(tuple("Partner", "Yes"));
    }

    @Test
    void connectorNameSelectsConnectorsIgnoringCaseAndNoConnectorSelectsDirectSend() {
        receive(TODAY.plusSeconds(60), null, to(contoso, "bob@contoso.com", ""));
        receive(TODAY.plusSeconds(120), "TLSv1.3", to(contoso, "bob@contoso.com", "CP-IP"));
        receive(TODAY.plusSeconds(180), "TLSv1.2", to(contoso, "bob@contoso.com", "CO-HYB"));

        assertThat(run(null, null, List.of("cp-ip"), null)).extracting(Row::ConnectorDirectionAndName).containsExactly("Inbound - CP-IP");
        assertThat(run(null, null, List.of("No connector"), null)).extracting(Row::ConnectorDirectionAndName)
                .containsExactly("Inbound - No connector");
        assertThat(run(null, null, List.of("NoConnector", "CO-HYB"), null)).extracting(Row::ConnectorDirectionAndName)
                .containsExactly("Inbound - CO-HYB", "Inbound - No connector");
        assertThat(run(null, null, List.of("Nothing by this name"), null)).isEmpty();
        assertThat(run(null, null, List.of(), null)).hasSize(3);
    }

    @Test
    void hourGranularityGivesOneRowPerUtcHourAndConnector() {
        receive(TODAY.plusSeconds(3600 + 59), "TLSv1.3", to(contoso, "bob@contoso.com", "CP-IP"));
        receive(TODAY.plusSeconds(3600 + 3599), "TLSv1.3", to(contoso, "bob@contoso.com", "CP-IP"));
        receive(TODAY.plusSeconds(7200), "TLSv1.2", to(contoso, "bob@contoso.com", "CP-IP"));
        receive(TODAY.plusSeconds(7201), null, to(contoso, "bob@contoso.com", ""));

        assertThat(run(null, null, null, Granularity.Hour)).containsExactly(
                new Row(TODAY.plusSeconds(3600), "Inbound - CP-IP", "Partner", "No", 0, 0, 0, 0, 2, 2),
                new Row(TODAY.plusSeconds(7200), "Inbound - CP-IP", "Partner", "No", 0, 0, 0, 1, 0, 1),
                new Row(TODAY.plusSeconds(7200), "Inbound - No connector", "-", "No", 1, 0, 0, 0, 0, 1));
        assertThat(run(null, null, null, Granularity.Day)).extracting(Row::Volume).containsExactly(3L, 1L);
    }

    @Test
    void theDefaultWindowIsTheLastSevenDaysAndEndDateIsLeftOut() {
        receive(NOW.minus(Duration.ofDays(7)).minusSeconds(1), null, to(contoso, "bob@contoso.com", ""));
        receive(NOW.minus(Duration.ofDays(7)), null, to(contoso, "bob@contoso.com", ""));
        receive(NOW.minusSeconds(1), null, to(contoso, "bob@contoso.com", ""));
        receive(NOW.minus(Duration.ofDays(60)), null, to(contoso, "bob@contoso.com", ""));

        assertThat(lastWeek()).extracting(Row::Volume).containsExactly(1L, 1L);
        assertThat(run(TODAY.minus(Duration.ofDays(60)), TODAY, null, null)).extracting(Row::Date, Row::Volume).containsExactly(
                tuple(TODAY.minus(Duration.ofDays(60)), 1L),
                tuple(TODAY.minus(Duration.ofDays(7)), 2L));
        // only -EndDate: the 7 days before it
        assertThat(run(null, NOW.minus(Duration.ofDays(55)), null, null)).extracting(Row::Date)
                .containsExactly(TODAY.minus(Duration.ofDays(60)));
        // an -EndDate 88 days back: its 7 days are cut at the 90-day limit, not refused
        assertThat(run(null, NOW.minus(Duration.ofDays(88)), null, null)).isEmpty();
    }

    @Test
    void datesOutsideTheWindowAreRefusedNamingTheParameterAndValue() {
        assertThatThrownBy(() -> run(NOW.minus(Duration.ofDays(91)), null, null, null)).isInstanceOf(ValidationException.class)
                .hasMessage("-StartDate '2026-07-11T12:30:00Z' is too far back: the report covers the last 90 days, so the earliest start "
                        + "is 2026-07-12T12:30:00Z.");
        assertThatThrownBy(() -> run(null, NOW.minus(Duration.ofDays(90)), null, null)).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("-EndDate '2026-07-12T12:30:00Z' is too far back");
        assertThatThrownBy(() -> run(TODAY, YESTERDAY, null, null)).isInstanceOf(ValidationException.class)
                .hasMessage("-EndDate '2026-10-09T00:00:00Z' must be later than -StartDate '2026-10-10T00:00:00Z'.");
        assertThatThrownBy(() -> run(TODAY, TODAY, null, null)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("must be later than");
        assertThatThrownBy(() -> run(NOW.plusSeconds(60), null, null, null)).isInstanceOf(ValidationException.class)
                .hasMessage("-StartDate '2026-10-10T12:31:00Z' is in the future: without -EndDate the report ends now.");
        assertThat(run(NOW.minus(Duration.ofDays(90)), null, null, null)).isEmpty();
    }
}
