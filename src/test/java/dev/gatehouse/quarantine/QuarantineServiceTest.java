// The quarantine service on both stores without sockets: lookback and filters, identities, tenant isolation, release, purge, audit.
package dev.gatehouse.quarantine;

import static dev.gatehouse.queue.TestMessages.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.Mailbox;
import dev.gatehouse.directory.MailboxService;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.queue.ClaimedRecipient;
import dev.gatehouse.queue.CopyOutcome;
import dev.gatehouse.queue.DeliveryLedger;
import dev.gatehouse.queue.HourlyCounts;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.MessageTrace;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.store.StoreTestBase;
import dev.gatehouse.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class QuarantineServiceTest extends StoreTestBase {

    private QuarantineService quarantine;
    private Tenant contoso;
    private Tenant fabrikam;
    private Mailbox alice;
    private Mailbox bob;

    @BeforeEach
    void setUp() {
        quarantine = new QuarantineService(store);
        contoso = new TenantService(store).create("Contoso");
        fabrikam = new TenantService(store).create("Fabrikam");
        new AcceptedDomainService(store).create(contoso.id(), "contoso.com", DomainType.Authoritative, false);
        new AcceptedDomainService(store).create(contoso.id(), "legacy.contoso.net", DomainType.InternalRelay, false);
        new AcceptedDomainService(store).create(fabrikam.id(), "fabrikam.com", DomainType.Authoritative, false);
        alice = new MailboxService(store).create(contoso.id(), "Alice", "alice@contoso.com", List.of("al@contoso.com"));
        bob = new MailboxService(store).create(contoso.id(), "Bob", "bob@contoso.com", null);
        new MailboxService(store).create(fabrikam.id(), "Carol", "carol@fabrikam.com", null);
    }

    /** One message quarantined for {@code held} (and queued for delivery to {@code alsoPending}); returns the copies' identities. */
    private List<String> quarantined(Instant receivedAt, String from, String subject, String policy, List<Mailbox> held, List<Mailbox> alsoPending) {
        String nmid = UUID.randomUUID().toString();
        String messageId = "<" + nmid + "@partner.example>";
        byte[] content = ("From: " + from + "\r\nSubject: " + subject + "\r\nMessage-ID: " + messageId + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8);
        List<QueuedRecipient> rows = new ArrayList<>();
        for (Mailbox m : held) rows.add(new QueuedRecipient(m.tenantId(), m.PrimarySmtpAddress(), m.id(), RecipientStatus.Quarantined,
                "", null, null, false, null));
        for (Mailbox m : alsoPending) rows.add(new QueuedRecipient(m.tenantId(), m.PrimarySmtpAddress(), m.id()));
        List<String> ids = new ArrayList<>();
        new MessageQueue(store).enqueue(new IncomingMessage(nmid, receivedAt, from, "192.0.2.1", "client.example", null, null, messageId,
                subject, from, content, content.length, rows, List.of(), List.of(), (ctx, messageRowId, recipientRowIds) -> {
                    for (Mailbox m : held) ids.add(QuarantineStore.insert(ctx, messageRowId, new QuarantinedCopy(m.tenantId(), nmid,
                            m.PrimarySmtpAddress(), m.id(), from, subject, messageId, receivedAt, policy, UUID.randomUUID().toString(), content)));
                })).join();
        return ids;
    }

    private String quarantined(Instant receivedAt, String subject) {
        return quarantined(receivedAt, "x@partner.example", subject, "Hold", List.of(alice), List.of()).getFirst();
    }

    private static QuarantineService.Filter filter(Instant start, Instant end, String subject, String sender, List<String> domains) {
        return new QuarantineService.Filter(null, start, end, null, null, null, sender == null ? null : List.of(sender), subject, null,
                null, null, null, null, domains, 1, 100);
    }

    private List<String> subjects(QuarantineService.Filter f) {
        return quarantine.list(contoso.id(), f).stream().map(QuarantineMessage::Subject).toList();
    }

    private static Instant daysAgo(int days) { return Instant.now().minus(Duration.ofDays(days)).truncatedTo(ChronoUnit.MILLIS); }

    @Test
    void listingLooksBack16DaysByDefaultAndNeverMoreThan30ButAnIdentityFindsAnyAge() {
        quarantined(daysAgo(1), "yesterday");
        quarantined(daysAgo(20), "three weeks");
        String old = quarantined(daysAgo(40), "forty days");
        assertThat(subjects(QuarantineService.Filter.all())).containsExactly("yesterday");
        assertThat(subjects(filter(daysAgo(25), null, null, null, null))).containsExactly("yesterday", "three weeks");
        assertThat(subjects(filter(daysAgo(365), null, null, null, null))).as("an older start counts as 30 days ago")
                .containsExactly("yesterday", "three weeks");
        assertThat(subjects(filter(daysAgo(25), daysAgo(10), null, null, null))).containsExactly("three weeks");
        assertThat(quarantine.get(contoso.id(), old).Subject()).isEqualTo("forty days");
    }

    @Test
    void filtersIgnoreCaseAndMatchDomainsExactly() {
        quarantined(Instant.now(), "Billing@Partner.example", "Invoice 2291", "Hold", List.of(alice), List.of());
        quarantined(Instant.now(), "x@other.example", "Lunch", "Hold", List.of(bob), List.of());
        assertThat(subjects(filter(null, null, "INVOICE", null, null))).containsExactly("Invoice 2291");
        assertThat(subjects(filter(null, null, null, "billing@partner.EXAMPLE", null))).containsExactly("Invoice 2291");
        assertThat(subjects(filter(null, null, null, null, List.of(" Contoso.COM ")))).containsExactlyInAnyOrder("Invoice 2291", "Lunch");
        assertThat(subjects(filter(null, null, null, null, List.of("ontoso.com", "com")))).as("a domain is not a suffix").isEmpty();
    }

    /** The subject filter is text to find: % and _ are not wildcards (an admin searching "50%" wants that). */
    @Test
    void theSubjectFilterTakesPercentAndUnderscoreLiterally() {
        quarantined(Instant.now(), "Save 50% today");
        quarantined(Instant.now(), "Save 50 cents today");
        quarantined(Instant.now(), "report_q3");
        quarantined(Instant.now(), "reports q3");
        assertThat(subjects(filter(null, null, "50%", null, null))).containsExactly("Save 50% today");
        assertThat(subjects(filter(null, null, "t_q", null, null))).containsExactly("report_q3");
        assertThat(subjects(filter(null, null, "%", null, null))).containsExactly("Save 50% today");
    }

    /**
     * The Subject filter reads the subject key in the index, and the subject itself where there is no key: a subject
     * whose key would not fit, and copies quarantined before the key existed (here: the key cleared). Both kinds are
     * found, in one newest-first order, page by page.
     */
    @Test
    void theSubjectFilterFindsCopiesWithAndWithoutASubjectKeyInOneOrder() {
        String tooLong = "\u20ac".repeat(900) + " Invoice 77"; // 2,711 bytes lower-cased: no key
        assertThat(QuarantineStore.subjectKey(tooLong)).isNull();
        quarantined(daysAgo(4), "Invoice 77 (keyed, oldest)");
        quarantined(daysAgo(3), tooLong);
        String before = quarantined(daysAgo(2), "INVOICE 77 (before the key)");
        quarantined(daysAgo(1), "invoice 77 (keyed, newest)");
        quarantined(daysAgo(1), "Invoice 78");
        store.writeAndWait(ctx -> {
            var ps = ctx.prepare("UPDATE quarantine SET subject_key = NULL WHERE recipient_guid = ?");
            ps.setString(1, before.substring(37));
            return ps.executeUpdate();
        });
        assertThat(count(store, "SELECT COUNT(*) FROM quarantine WHERE subject_key IS NULL")).isEqualTo(2);

        assertThat(subjects(filter(daysAgo(10), null, "invoice 77", null, null))).containsExactly("invoice 77 (keyed, newest)",
                "INVOICE 77 (before the key)", tooLong, "Invoice 77 (keyed, oldest)");
        List<String> paged = new ArrayList<>();
        for (int page = 1; page <= 5; page++) {
            paged.addAll(quarantine.list(contoso.id(), new QuarantineService.Filter(null, daysAgo(10), null, null, null, null, null, "Invoice 77",
                    null, null, null, null, null, null, page, 1)).stream().map(QuarantineMessage::Subject).toList());
        }
        assertThat(paged).containsExactly("invoice 77 (keyed, newest)", "INVOICE 77 (before the key)", tooLong, "Invoice 77 (keyed, oldest)");
        assertThat(quarantine.list(fabrikam.id(), filter(daysAgo(10), null, "invoice 77", null, null))).as("another tenant's").isEmpty();
    }

    /** Not case-sensitive in any script, the same on both stores: the key and the text are lower-cased alike. */
    @Test
    void theSubjectFilterIgnoresCaseBeyondAscii() {
        quarantined(Instant.now(), "ÉCOLE – Ärger über Straße");
        quarantined(Instant.now(), "ecole");
        assertThat(subjects(filter(null, null, "école", null, null))).containsExactly("ÉCOLE – Ärger über Straße");
        assertThat(subjects(filter(null, null, "ÄRGER ÜBER", null, null))).containsExactly("ÉCOLE – Ärger über Straße");
    }

    /**
     * On SQLite, with no statistics: the keyed copies are tested in the receive-time index, never read from the table,
     * and the page's copies are then read by key.
     */
    @Test
    void theSubjectFilterReadsTheKeyedCopiesFromTheIndexAlone() {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == TestDatabase.Kind.SQLITE, "PostgreSQL plans by its own statistics");
        List<Object> args = new ArrayList<>();
        String sql = QuarantineService.listSql(store.dialect(), contoso.id(), filter(null, null, "invoice", null, null), Instant.now(), args);
        String plan = store.read(c -> {
            StringBuilder out = new StringBuilder();
            try (var ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                QuarantineService.bind(ps, args);
                try (var rs = ps.executeQuery()) { while (rs.next()) out.append(rs.getString(4)).append('\n'); }
            }
            return out.toString();
        });
        assertThat(plan).contains("SEARCH quarantine USING COVERING INDEX quarantine_received (tenant_id=? AND received_at>?)",
                "SEARCH quarantine USING INDEX quarantine_unkeyed (tenant_id=? AND received_at>?)",
                "SEARCH quarantine USING INTEGER PRIMARY KEY (rowid=?)").doesNotContain("SCAN quarantine")
                .as("the page's copies are read by key, not by walking the tenant's copies in order")
                .doesNotContain("quarantine_received (tenant_id=?)\n");
    }

    /**
     * The home page counts the quarantined copy as Quarantined for good: a release adds a new copy, which is not counted
     * (it did not come in over SMTP), and leaves the quarantined copy's row as it was. So an hour kept before the release
     * stays right after it, and after the released copy is delivered (decision web-report-aggregates).
     */
    @Test
    void aReleaseAfterTheHomePagesHourWasKeptLeavesItsCountsRight() {
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3));
        String id = quarantined(day.plusSeconds(3600), "x@partner.example", "hold", "Hold", List.of(alice), List.of()).getFirst();
        HourlyCounts counts = new HourlyCounts(store);
        Instant end = day.plus(Duration.ofDays(1));
        List<MessageTrace.DailyOutcome> before = counts.outcomesPerDay(contoso.id(), day, end, Instant.now());
        assertThat(before).extracting(MessageTrace.DailyOutcome::outcome, MessageTrace.DailyOutcome::copies)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CopyOutcome.Quarantined, 1L));
        assertThat(count(store, "SELECT COUNT(*) FROM hourly_outcomes WHERE tenant_id = " + contoso.id() + " AND copies > 0")).isEqualTo(1);

        quarantine.release(contoso.id(), id, null, false, "admin");
        DeliveryLedger ledger = new DeliveryLedger(store, "node-1");
        for (ClaimedRecipient r : ledger.claim(10, 60_000)) ledger.delivered(r, "n/a", "delivered").join();
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE status = 'Delivered'")).as("the released copy").isEqualTo(1);

        assertThat(counts.outcomesPerDay(contoso.id(), day, end, Instant.now())).isEqualTo(before)
                .isEqualTo(new MessageTrace(store).outcomesPerDay(contoso.id(), day, end));
        quarantine.delete(contoso.id(), id, "admin");
        assertThat(counts.outcomesPerDay(contoso.id(), day, end, Instant.now())).isEqualTo(before)
                .isEqualTo(new MessageTrace(store).outcomesPerDay(contoso.id(), day, end));
    }

    @Test
    void aMalformedIdentityIsRefusedNamingItAndAWellFormedOneIsReadWithoutCaseOrSpaces() {
        String id = quarantined(Instant.now(), "hold");
        String[] guids = id.split("\\\\");
        for (String bad : List.of("abc", guids[0], guids[0] + "/" + guids[1], id + "\\" + guids[1], "\\" + guids[1], guids[0] + "\\x")) {
            assertThatThrownBy(() -> quarantine.get(contoso.id(), bad)).isInstanceOf(ValidationException.class)
                    .hasMessage("-Identity '" + bad + "': a quarantine identity is written GUID\\GUID");
        }
        assertThatThrownBy(() -> quarantine.preview(contoso.id(), null)).isInstanceOf(ValidationException.class);
        assertThat(quarantine.get(contoso.id(), " " + guids[0].toUpperCase() + "\\" + guids[1].toUpperCase() + " ").Identity()).isEqualTo(id);
        assertThatThrownBy(() -> quarantine.get(contoso.id(), UUID.randomUUID() + "\\" + UUID.randomUUID()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("couldn't be found");
    }

    /** Another tenant can't read, export, release or delete a copy, and trying leaves no trace in either audit log. */
    @Test
    void anotherTenantCanDoNothingWithACopyItDoesNotOwn() {
        String id = quarantined(Instant.now(), "contoso only");
        long rows = count(store, "SELECT COUNT(*) FROM recipients");
        List<Runnable> attempts = List.of(() -> quarantine.get(fabrikam.id(), id), () -> quarantine.preview(fabrikam.id(), id),
                () -> quarantine.export(fabrikam.id(), id, "eve", null), () -> quarantine.delete(fabrikam.id(), id, "eve"),
                () -> quarantine.release(fabrikam.id(), id, null, true, "eve"),
                () -> quarantine.release(fabrikam.id(), id, List.of("carol@fabrikam.com"), true, "eve"));
        for (Runnable a : attempts) assertThatThrownBy(a::run).isInstanceOf(NotFoundException.class);
        assertThat(quarantine.list(fabrikam.id(), QuarantineService.Filter.all())).isEmpty();
        assertThat(quarantine.get(contoso.id(), id).ReleaseStatus()).isEqualTo("NOTRELEASED");
        assertThat(count(store, "SELECT COUNT(*) FROM recipients")).isEqualTo(rows);
        assertThat(quarantine.audit(contoso.id())).isEmpty();
        assertThat(quarantine.audit(fabrikam.id())).isEmpty();
    }

    @Test
    void aReleaseNamingOneOutsiderReleasesToNobody() {
        String id = quarantined(Instant.now(), "hold");
        assertThatThrownBy(() -> quarantine.release(contoso.id(), id, List.of("bob@contoso.com", "carol@fabrikam.com"), false, "admin"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("-User 'carol@fabrikam.com'");
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE status = 'Pending'")).isZero();
        assertThat(quarantine.get(contoso.id(), id).ReleasedUser()).isEmpty();
        assertThat(quarantine.audit(contoso.id())).isEmpty();
    }

    /** A mailbox named by its alias and by its primary address gets one copy; an InternalRelay address without a mailbox gets its own. */
    @Test
    void aReleaseToTheSameMailboxByTwoAddressesDeliversOnceAndRelayAddressesAreRecipientsToo() {
        String id = quarantined(Instant.now(), "hold");
        QuarantineService.ReleaseResult r = quarantine.release(contoso.id(), id,
                List.of("AL@contoso.com", "alice@contoso.com", "svc@legacy.contoso.net"), false, "admin");
        assertThat(r.ReleasedTo()).containsExactly("alice@contoso.com", "svc@legacy.contoso.net");
        assertThat(r.Skipped()).containsExactly("alice@contoso.com");
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE status = 'Pending'")).isEqualTo(2);
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE status = 'Pending' AND mailbox_id IS NULL"
                + " AND address = 'svc@legacy.contoso.net'")).isEqualTo(1);
        assertThat(quarantine.get(contoso.id(), id).ReleasedUser()).containsExactly("alice@contoso.com", "svc@legacy.contoso.net");
    }

    /** The releasing admin's name goes into a header field of the copy: a line break in it can't start a field of its own. */
    @Test
    void theReleasedCopyIsStampedOnTopAndTheActorCannotInjectAField() {
        String id = quarantined(Instant.now(), "hold");
        quarantine.release(contoso.id(), id, null, false, "admin\r\nBcc: eve@evil.example");
        DeliveryLedger ledger = new DeliveryLedger(store, "test");
        ClaimedRecipient r = ledger.claim(10, 60_000).getFirst();
        String copy = new String(ledger.target(r).content(), StandardCharsets.UTF_8);
        assertThat(copy).startsWith("X-Forefront-Antispam-Report: SFV:SKQ;\r\nX-MS-Exchange-Organization-Quarantine-Released: " + id
                + "; by=admin  Bcc: eve@evil.example\r\nFrom: x@partner.example\r\n").doesNotContain("\r\nBcc:");
        assertThat(quarantine.audit(contoso.id())).singleElement().satisfies(a -> {
            assertThat(a.Action()).isEqualTo("Release");
            assertThat(a.Detail()).isEqualTo("released=alice@contoso.com");
        });
    }

    @Test
    void aReleaseAgainIsSkippedAndAuditedUnlessForced() {
        String id = quarantined(Instant.now(), "hold");
        quarantine.release(contoso.id(), id, null, false, "admin");
        assertThat(quarantine.release(contoso.id(), id, null, false, "admin").ReleasedTo()).isEmpty();
        assertThat(quarantine.release(contoso.id(), id, null, true, "admin").ReleasedTo()).containsExactly("alice@contoso.com");
        assertThat(quarantine.audit(contoso.id())).extracting(QuarantineService.AuditRecord::Detail).containsExactly("released=alice@contoso.com",
                "released=; skipped (already released)=alice@contoso.com", "released=alice@contoso.com; force");
        assertThat(quarantine.list(contoso.id(), new QuarantineService.Filter(null, null, null, null, null, null, null, null, null, null,
                null, null, "released", null, 1, 100))).extracting(QuarantineMessage::Identity).containsExactly(id);
        assertThat(count(store, "SELECT COUNT(*) FROM recipients WHERE status = 'Pending'")).isEqualTo(2);
    }

    /** Purged copies take the queue's bytes with them, unless a recipient still waiting for delivery needs them. */
    @Test
    void purgeRemovesExpiredCopiesAtTheirExpiryAndTheMessageBytesNobodyNeeds() {
        Instant received = daysAgo(31);
        List<String> both = quarantined(received, "x@partner.example", "both held", "Hold", List.of(alice, bob), List.of());
        quarantined(received, "x@partner.example", "bob waits", "Hold", List.of(alice), List.of(bob));
        String fresh = quarantined(Instant.now(), "fresh");
        Instant expiry = received.plus(QuarantineStore.RETENTION);
        assertThat(quarantine.purgeExpired(expiry.minusMillis(1))).isZero();
        assertThat(quarantine.purgeExpired(expiry)).isEqualTo(3);

        assertThat(quarantine.list(contoso.id(), filter(daysAgo(30), null, null, null, null))).extracting(QuarantineMessage::Identity)
                .containsExactly(fresh);
        for (String id : both) assertThatThrownBy(() -> quarantine.export(contoso.id(), id, "admin", null)).isInstanceOf(NotFoundException.class);
        assertThat(count(store, "SELECT COUNT(*) FROM messages WHERE subject = 'both held' AND LENGTH(content) = 0")).isEqualTo(1);
        assertThat(count(store, "SELECT COUNT(*) FROM messages WHERE subject = 'bob waits' AND LENGTH(content) > 0")).isEqualTo(1);
        assertThat(quarantine.audit(contoso.id())).hasSize(3).allSatisfy(a -> {
            assertThat(a.Action()).isEqualTo("Purge");
            assertThat(a.Actor()).isEqualTo("system");
            assertThat(a.Detail()).isEqualTo("expired");
        });
    }

    @Test
    void exportAndDeleteAreAuditedWithTheirReasonAndADeletedCopyIsGone() {
        String id = quarantined(Instant.now(), "hold");
        QuarantineService.Export e = quarantine.export(contoso.id(), id, "analyst@ops", "Case 7");
        assertThat(e.Size()).isEqualTo(quarantine.get(contoso.id(), id).Size());
        quarantine.export(contoso.id(), id, "analyst@ops", null);
        quarantine.delete(contoso.id(), id, "admin@ops");
        assertThatThrownBy(() -> quarantine.delete(contoso.id(), id, "admin@ops")).isInstanceOf(NotFoundException.class);
        assertThat(quarantine.audit(contoso.id())).extracting(QuarantineService.AuditRecord::Action, QuarantineService.AuditRecord::Actor,
                QuarantineService.AuditRecord::Detail).containsExactly(org.assertj.core.groups.Tuple.tuple("Export", "analyst@ops", "reason=Case 7"),
                org.assertj.core.groups.Tuple.tuple("Export", "analyst@ops", null), org.assertj.core.groups.Tuple.tuple("Delete", "admin@ops", null));
        assertThat(quarantine.audit(contoso.id())).allSatisfy(a -> assertThat(a.Identity()).isEqualTo(id));
    }
}
