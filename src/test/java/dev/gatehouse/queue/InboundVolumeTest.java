// The inbound messages report's aggregation in SQL, on SQLite and PostgreSQL: per UTC day or hour, connector and TLS
// protocol, each message once per tenant, only mail that came in over SMTP.
package dev.gatehouse.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.queue.MessageTrace.InboundVolume;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class InboundVolumeTest extends StoreTestBase {

    private static final long CONTOSO = 1;
    private static final long FABRIKAM = 2;
    private static final Instant DAY = Instant.parse("2026-10-05T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration ONE_DAY = Duration.ofDays(1);

    /** A recipient as the accept path records it: {@code connector} "" for none. */
    static QueuedRecipient to(long tenant, String address, String connector) {
        return new QueuedRecipient(tenant, address, null, RecipientStatus.Pending, connector, Directionality.Incoming, AuthAs.Anonymous,
                connector != null && connector.isEmpty(), null);
    }

    /** A message received at {@code at} over {@code tls} (null: no TLS), enqueued through the real write path. */
    IncomingMessage receive(Instant at, String tls, QueuedRecipient... recipients) {
        String id = UUID.randomUUID().toString();
        byte[] content = ("Subject: t\r\nMessage-ID: <" + id + "@test>\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        IncomingMessage m = new IncomingMessage(id, at, "sender@example.net", "192.0.2.1", "client.example.net", tls,
                tls == null ? null : "TLS_AES_256_GCM_SHA384", "<" + id + "@test>", "t", "sender@example.net", content, List.of(recipients));
        new MessageQueue(store).enqueue(m).join();
        return m;
    }

    List<InboundVolume> volume(long tenant, Instant start, Instant end, Duration period) {
        return new MessageTrace(store).inboundVolume(tenant, start, end, period);
    }

    @Test
    void countsAMessageOncePerTenantHoweverManyOfItsRecipientsItHad() {
        receive(DAY.plusSeconds(3600 * 9), "TLSv1.3", to(CONTOSO, "alice@contoso.com", "CP-IP"), to(CONTOSO, "bob@contoso.com", "CP-IP"),
                to(FABRIKAM, "carol@fabrikam.com", "Fab-In"), to(FABRIKAM, "dave@fabrikam.com", "Fab-In"));

        assertThat(volume(CONTOSO, DAY, DAY.plus(ONE_DAY), ONE_DAY)).containsExactly(new InboundVolume(DAY, "CP-IP", "TLSv1.3", 1));
        assertThat(volume(FABRIKAM, DAY, DAY.plus(ONE_DAY), ONE_DAY)).containsExactly(new InboundVolume(DAY, "Fab-In", "TLSv1.3", 1));
        assertThat(volume(3, DAY, DAY.plus(ONE_DAY), ONE_DAY)).as("a tenant the message never reached").isEmpty();
    }

    @Test
    void groupsPerDayConnectorAndTlsProtocol() {
        receive(DAY.plusSeconds(60), null, to(CONTOSO, "alice@contoso.com", ""));
        receive(DAY.plusSeconds(120), null, to(CONTOSO, "bob@contoso.com", ""));
        receive(DAY.plusSeconds(180), "TLSv1.2", to(CONTOSO, "bob@contoso.com", ""));
        receive(DAY.plusSeconds(240), "TLSv1.2", to(CONTOSO, "bob@contoso.com", "CP-IP"));
        receive(DAY.plusSeconds(300), "TLSv1.3", to(CONTOSO, "bob@contoso.com", "CP-IP"));
        receive(DAY.plusSeconds(360), "TLSv1", to(CONTOSO, "bob@contoso.com", "CP-IP"));
        receive(DAY.plusSeconds(420), "TLSv1.1", to(CONTOSO, "bob@contoso.com", "CP-IP"));
        receive(DAY.plus(ONE_DAY).plusSeconds(5), "TLSv1.3", to(CONTOSO, "bob@contoso.com", "CP-IP"));

        List<InboundVolume> rows = volume(CONTOSO, DAY, DAY.plus(Duration.ofDays(7)), ONE_DAY);
        assertThat(rows).extracting(InboundVolume::periodStart, InboundVolume::connector, InboundVolume::tlsProtocol, InboundVolume::messages)
                .containsExactlyInAnyOrder(
                        tuple(DAY, "", null, 2L), tuple(DAY, "", "TLSv1.2", 1L),
                        tuple(DAY, "CP-IP", "TLSv1.2", 1L), tuple(DAY, "CP-IP", "TLSv1.3", 1L), tuple(DAY, "CP-IP", "TLSv1", 1L),
                        tuple(DAY, "CP-IP", "TLSv1.1", 1L), tuple(DAY.plus(ONE_DAY), "CP-IP", "TLSv1.3", 1L));
        assertThat(rows).extracting(InboundVolume::periodStart).as("oldest period first").isSorted();
    }

    @Test
    void hourBucketsStartOnTheUtcHour() {
        receive(DAY.plusSeconds(3600 * 14 + 59 * 60 + 59), "TLSv1.3", to(CONTOSO, "a@contoso.com", ""));
        receive(DAY.plusSeconds(3600 * 15), "TLSv1.3", to(CONTOSO, "a@contoso.com", ""));
        receive(DAY.plusSeconds(3600 * 15 + 1800), "TLSv1.3", to(CONTOSO, "a@contoso.com", ""));

        assertThat(volume(CONTOSO, DAY, DAY.plus(ONE_DAY), HOUR)).containsExactly(
                new InboundVolume(DAY.plus(HOUR.multipliedBy(14)), "", "TLSv1.3", 1),
                new InboundVolume(DAY.plus(HOUR.multipliedBy(15)), "", "TLSv1.3", 2));
        assertThat(volume(CONTOSO, DAY, DAY.plus(ONE_DAY), ONE_DAY)).containsExactly(new InboundVolume(DAY, "", "TLSv1.3", 3));
    }

    @Test
    void theWindowIncludesItsStartAndExcludesItsEnd() {
        Instant start = DAY.plusSeconds(3600 * 10);
        Instant end = DAY.plusSeconds(3600 * 12);
        receive(start.minusMillis(1), null, to(CONTOSO, "a@contoso.com", ""));
        receive(start, null, to(CONTOSO, "a@contoso.com", ""));
        receive(end.minusMillis(1), null, to(CONTOSO, "a@contoso.com", ""));
        receive(end, null, to(CONTOSO, "a@contoso.com", ""));

        assertThat(volume(CONTOSO, start, end, ONE_DAY)).containsExactly(new InboundVolume(DAY, "", null, 2));
    }

    @Test
    void reportsAndReleasedCopiesAreNotInboundMail() throws Exception {
        IncomingMessage held = receive(DAY.plusSeconds(60), "TLSv1.3", to(CONTOSO, "alice@contoso.com", "CP-IP"));
        // the gateway's own report (an NDR or notification): no connector recorded
        receive(DAY.plusSeconds(120), null, new QueuedRecipient(CONTOSO, "alice@contoso.com", null));
        // a quarantine release adds recipients to the stored message, without a connector
        long rowId = store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM messages WHERE network_message_id = ?")) {
                ps.setString(1, held.networkMessageId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        store.writeAndWait(ctx -> {
            MessageQueue.addRecipients(ctx, rowId, held.networkMessageId(), CONTOSO, held.content(),
                    List.of(new QueuedRecipient(CONTOSO, "bob@contoso.com", null)), TraceEventType.Release, "released", DAY.plusSeconds(600));
            return null;
        });

        assertThat(volume(CONTOSO, DAY, DAY.plus(ONE_DAY), ONE_DAY)).containsExactly(new InboundVolume(DAY, "CP-IP", "TLSv1.3", 1));
    }

    @Test
    void aPeriodMustDivideADay() {
        assertThatThrownBy(() -> volume(CONTOSO, DAY, DAY.plus(ONE_DAY), Duration.ofMinutes(7))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> volume(CONTOSO, DAY, DAY.plus(ONE_DAY), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
