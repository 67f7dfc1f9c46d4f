// A hunting query that would take too long or hold too much is stopped with a message, and the gateway goes on
// accepting mail over SMTP while queries run.
package dev.gatehouse.hunting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.kql.KqlEngine;
import dev.gatehouse.kql.KqlException;
import dev.gatehouse.store.TestDatabase;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HuntingLimitsTest {
    static AdminHarness h;
    static long contoso;

    @BeforeAll
    static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.organization("Contoso", "contoso.com", "Alice", "Bob");
        contoso = new TenantService(h.gateway.store()).get("Contoso").id();
        // 600,000 rows of past mail, appended as the feed would, so a heavy query has something to chew on
        HuntingTables.TenantTables t = h.gateway.huntingTables().of(contoso);
        Object[] row = new Object[HuntingSchema.EMAIL_EVENTS_COLUMNS.size()];
        Instant now = Instant.now();
        for (int i = 0; i < 600_000; i++) {
            for (int c = 0; c < row.length; c++) row[c] = HuntingSchema.EMAIL_EVENTS_COLUMNS.get(c).type() == dev.gatehouse.kql.KqlType.STRING ? "" : null;
            row[0] = now.minusSeconds(600_000 - i);
            row[1] = UUID.randomUUID().toString();
            row[index("Subject")] = "Subject " + (i % 1000);
            row[index("SenderFromAddress")] = "user" + (i % 5000) + "@partner.example";
            row[index("EmailDirection")] = "Inbound";
            t.emailEvents().append(row);
        }
    }

    static int index(String name) {
        for (int i = 0; i < HuntingSchema.EMAIL_EVENTS_COLUMNS.size(); i++) if (HuntingSchema.EMAIL_EVENTS_COLUMNS.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException(name);
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    @Test
    void aQueryPastItsTimeLimitIsStoppedWithAMessageWhileMailIsStillAccepted() throws Exception {
        HuntingService hunting = h.gateway.hunting();
        // a distinct count of 600,000 message ids per sender, twice over: far more than 100 ms of work on this machine
        String heavy = "EmailEvents | summarize dcount(NetworkMessageId), make_set(NetworkMessageId) by SenderFromAddress, Subject";
        CompletableFuture<Throwable> query = CompletableFuture.supplyAsync(() -> {
            try {
                hunting.run(contoso, heavy, new KqlEngine.Options(30_000, Duration.ofMillis(100), Instant.now(), 50_000_000L));
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        try (var smtp = h.smtpFrom("127.0.0.77")) {
            assertThat(smtp.sendMessage("partner@partner.example", List.of("bob@contoso.com"),
                    "From: partner@partner.example\r\nSubject: still open\r\n\r\nbody\r\n")).startsWith("250");
        }
        Throwable stopped = query.get(30, TimeUnit.SECONDS);
        assertThat(stopped).isInstanceOf(KqlException.class).hasMessageContaining("ran longer than 100 ms and was stopped");
    }

    @Test
    void aQueryThatWouldHoldTooManyValuesIsStoppedWithAMessage() {
        // every row joins every row of the same direction: 360 billion rows
        assertThatThrownBy(() -> h.gateway.hunting().run(contoso, "EmailEvents | join kind=inner (EmailEvents) on EmailDirection"))
                .isInstanceOf(KqlException.class).hasMessageContaining("values in memory");
    }

    @Test
    void theSameHeavyQueryWithinItsLimitsAnswers() {
        var r = h.gateway.hunting().run(contoso, "EmailEvents | summarize Mails = count() by Subject | top 3 by Mails");
        assertThat(r.rows()).hasSize(3);
        assertThat(r.rows().get(0)[1]).isEqualTo(600L);
    }
}
