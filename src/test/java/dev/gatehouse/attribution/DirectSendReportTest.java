// Get-DirectSendReport on both stores: per source grouping, counts, ordering, the [start, end) window and tenant scoping.
package dev.gatehouse.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class DirectSendReportTest extends StoreTestBase {

    private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");

    private Tenant contoso;
    private Tenant fabrikam;

    @BeforeEach
    void tenants() {
        contoso = new TenantService(store).create("Contoso");
        fabrikam = new TenantService(store).create("Fabrikam");
    }

    /** A recipient as attribution stored it: through the default connector (Direct Send) or through a named connector. */
    private static QueuedRecipient rcpt(Tenant t, String address, boolean directSend) {
        return new QueuedRecipient(t.id(), address, null, RecipientStatus.Pending, directSend ? "" : "CP-Scanner", Directionality.Incoming,
                AuthAs.Anonymous, directSend, null);
    }

    private void received(int minute, String ip, String mailFrom, QueuedRecipient... to) {
        String nmid = UUID.randomUUID().toString();
        byte[] content = ("Subject: scan " + nmid + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII);
        new MessageQueue(store).enqueue(new IncomingMessage(nmid, T0.plusSeconds(60L * minute), mailFrom, ip, "scanner.local", null, null,
                "<" + nmid + "@x>", "scan", mailFrom, content, List.of(to))).join();
    }

    private List<DirectSendReport.Row> report(Tenant t, int fromMinute, int toMinute) {
        return new DirectSendReport(store).run(t.id(), T0.plusSeconds(60L * fromMinute), T0.plusSeconds(60L * toMinute));
    }

    @Test
    void groupsBySenderIpAndMailFromDomainCountingMessagesAndRecipientCopiesBusiestFirst() {
        received(1, "192.0.2.10", "scanner@contoso.com", rcpt(contoso, "alice@contoso.com", true), rcpt(contoso, "bob@contoso.com", true));
        received(2, "192.0.2.20", "printer@contoso.com", rcpt(contoso, "alice@contoso.com", true));
        received(3, "192.0.2.10", "App@CONTOSO.COM", rcpt(contoso, "alice@contoso.com", true));
        received(4, "192.0.2.10", "scanner@contoso.com", rcpt(contoso, "bob@contoso.com", true));
        received(5, "192.0.2.10", "scanner@contoso.net", rcpt(contoso, "bob@contoso.com", true));

        assertThat(report(contoso, 0, 60)).containsExactly(
                // the domain without case: App@CONTOSO.COM is the same source; the first sender seen is the sample
                new DirectSendReport.Row("192.0.2.10", "contoso.com", "Accepted", 3, 4, T0.plusSeconds(60), T0.plusSeconds(240),
                        "scanner@contoso.com", "alice@contoso.com"),
                new DirectSendReport.Row("192.0.2.10", "contoso.net", "Accepted", 1, 1, T0.plusSeconds(300), T0.plusSeconds(300),
                        "scanner@contoso.net", "bob@contoso.com"),
                new DirectSendReport.Row("192.0.2.20", "contoso.com", "Accepted", 1, 1, T0.plusSeconds(120), T0.plusSeconds(120),
                        "printer@contoso.com", "alice@contoso.com"));
    }

    /**
     * The report adds up hourly sums (decision web-report-aggregates): a source seen over several hours has its counts
     * added, its first and last copy, and the sample of its very first copy (two senders first seen in the same
     * millisecond: the copy stored first). The same rows when the whole hours are read back from the kept counts, and
     * when the window's edges cut hours (counted live).
     */
    @Test
    void aSourceSeenOverSeveralHoursIsAddedUpTheSameOnceItsHoursAreKept() {
        received(30, "192.0.2.10", "first@contoso.com", rcpt(contoso, "alice@contoso.com", true));
        received(30, "192.0.2.10", "tie@contoso.com", rcpt(contoso, "bob@contoso.com", true));
        received(90, "192.0.2.10", "scanner@contoso.com", rcpt(contoso, "alice@contoso.com", true), rcpt(contoso, "bob@contoso.com", true));
        received(150, "192.0.2.10", "App@Contoso.com", rcpt(contoso, "carol@contoso.com", true));
        received(151, "192.0.2.20", "printer@contoso.com", rcpt(contoso, "alice@contoso.com", true));
        List<DirectSendReport.Row> expected = List.of(
                new DirectSendReport.Row("192.0.2.10", "contoso.com", "Accepted", 4, 5, T0.plusSeconds(1800), T0.plusSeconds(9000),
                        "first@contoso.com", "alice@contoso.com"),
                new DirectSendReport.Row("192.0.2.20", "contoso.com", "Accepted", 1, 1, T0.plusSeconds(9060), T0.plusSeconds(9060),
                        "printer@contoso.com", "alice@contoso.com"));

        assertThat(report(contoso, 0, 240)).as("counted live, then kept").isEqualTo(expected);
        assertThat(dev.gatehouse.queue.TestMessages.count(store, "SELECT COUNT(DISTINCT hour) FROM hourly_direct_send WHERE tenant_id = "
                + contoso.id())).isEqualTo(4);
        assertThat(report(contoso, 0, 240)).as("read back").isEqualTo(expected);
        assertThat(report(contoso, 20, 160)).as("edges live, whole hours read back").isEqualTo(expected);
        assertThat(report(fabrikam, 0, 240)).isEmpty();
    }

    /** Mail that came through a connector is not what RejectDirectSend would refuse, even from the same source. */
    @Test
    void onlyCopiesTheDefaultConnectorTookAsDirectSendAreCounted() {
        received(1, "192.0.2.10", "scanner@contoso.com", rcpt(contoso, "alice@contoso.com", false));
        received(2, "192.0.2.10", "scanner@contoso.com", rcpt(contoso, "alice@contoso.com", true), rcpt(contoso, "bob@contoso.com", false));
        assertThat(report(contoso, 0, 60)).singleElement().satisfies(r -> {
            assertThat(r.MessageCount()).isEqualTo(1);
            assertThat(r.RecipientCount()).isEqualTo(1);
            assertThat(r.FirstSeen()).isEqualTo(T0.plusSeconds(120));
        });
    }

    @Test
    void theWindowIncludesItsStartAndExcludesItsEnd() {
        received(10, "192.0.2.10", "a@contoso.com", rcpt(contoso, "alice@contoso.com", true));
        received(20, "192.0.2.11", "b@contoso.com", rcpt(contoso, "alice@contoso.com", true));
        assertThat(report(contoso, 10, 20)).extracting(DirectSendReport.Row::SenderIP).containsExactly("192.0.2.10");
        assertThat(report(contoso, 11, 21)).extracting(DirectSendReport.Row::SenderIP).containsExactly("192.0.2.11");
        assertThat(report(contoso, 21, 60)).isEmpty();
    }

    /** One transaction to two tenants: each tenant's report counts only its own copies. */
    @Test
    void eachTenantSeesOnlyItsOwnCopies() {
        received(1, "192.0.2.10", "scanner@contoso.com", rcpt(contoso, "alice@contoso.com", true), rcpt(fabrikam, "carol@fabrikam.com", true),
                rcpt(fabrikam, "dan@fabrikam.com", true));
        received(2, "192.0.2.30", "x@fabrikam.com", rcpt(fabrikam, "carol@fabrikam.com", true));
        List<DirectSendReport.Row> mine = report(contoso, 0, 60);
        List<DirectSendReport.Row> theirs = report(fabrikam, 0, 60);
        assertThat(mine).extracting(DirectSendReport.Row::SenderIP, DirectSendReport.Row::RecipientCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("192.0.2.10", 1));
        List<String> seen = new ArrayList<>();
        for (DirectSendReport.Row r : theirs) seen.add(r.SenderIP() + " " + r.MailFromDomain() + " " + r.MessageCount() + "/" + r.RecipientCount());
        assertThat(seen).containsExactly("192.0.2.10 contoso.com 1/2", "192.0.2.30 fabrikam.com 1/1");
    }
}
