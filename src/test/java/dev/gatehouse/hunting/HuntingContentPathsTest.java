// The hunting rows of a message are the same whether its content facts come from the accept-time parse (handed to the
// feed in memory) or from its stored bytes, parsed again (the catch-up path after a restart): varied MIME, one walk.
package dev.gatehouse.hunting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.queue.EventFeed;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.TestDatabase;

class HuntingContentPathsTest {
    private static final List<String> TABLES = List.of("EmailEvents", "EmailAttachmentInfo", "EmailUrlInfo");

    private static String b64(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return Base64.getMimeEncoder().encodeToString(b);
    }

    /** multipart/mixed: an attached message (QP HTML, an RFC 2231 named attachment) after a QP text part with soft breaks. */
    private static String forwarded() {
        return "From: Alice <alice@contoso.com>\r\nTo: bob@contoso.com\r\nSubject: Fwd: quarterly\r\nMessage-ID: <fwd-2@contoso.com>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
                + "--outer\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Forwarded, see https://quoted.example/a/very/long/path/that/is/split/over/a=\r\n/soft/line/break?x=3D1 and caf=C3=A9 "
                + "https://caf=C3=A9.example/menu.\r\n"
                + "--outer\r\nContent-Type: message/rfc822\r\n\r\n"
                + "From: carol@fabrikam.com\r\nSubject: =?UTF-8?Q?Inner_https://inner-subject.example/s?=\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"inner\"\r\n\r\n"
                + "--inner\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "<a href=3D'https://inner.example/a?b=3D1&amp;c=3D2'>x</a> <IMG SRC=3Dhttps://img.inner.example/p.gif> d=E9j=E0 "
                + "http://plain-inner.example/t).\r\n"
                + "--inner\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates%202026.xlsx\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + b64(700, 2) + "\r\n--inner--\r\n\r\n--outer--\r\n";
    }

    /** RFC 2231 continuations, an RFC 2047 file name, an unnamed image, a calendar attachment, URLs in angle brackets. */
    private static String named() {
        String encodedName = "=?UTF-8?B?" + Base64.getEncoder().encodeToString("Rechnung Übersicht.pdf".getBytes(StandardCharsets.UTF_8)) + "?=";
        return "From: \"Partner, Inc.\" <billing@partner.example>\r\nTo: alice@contoso.com\r\nSubject: Your documents\r\n"
                + "Message-ID: <docs-3@partner.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nVisit https://plain.example/path, now! Or <https://angle.example/x>; "
                + "not ftp://files.example/ nor https:// alone.\r\n"
                + "--b\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;\r\n"
                + " name*0*=UTF-8''Quarterly%20; name*1=\"report.docx\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(400, 3) + "\r\n"
                + "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"" + encodedName + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64(900, 4) + "\r\n"
                + "--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(120, 5) + "\r\n"
                + "--b\r\nContent-Type: text/calendar; method=REQUEST\r\nContent-Disposition: attachment\r\n\r\n"
                + "BEGIN:VCALENDAR\r\nURL:https://calendar.example/e/1\r\nEND:VCALENDAR\r\n--b--\r\n";
    }

    /** A header section the parse repairs (obsolete spacing, a white-space line, a line that is no field): body from there. */
    private static String repaired() {
        return "From: news@partner.example\r\nSubject : Rates at https://subject.example/r?q=1\r\n \r\nMessage-ID: <rep-4@partner.example>\r\n"
                + "Content-Type: text/html; charset=utf-8\r\nNot a header line\r\n<p>Body <a href=\"https://after-repair.example/\">x</a></p>\r\n";
    }

    /** Only a base64 HTML part, with numeric entities in an attribute. */
    private static String encodedHtml() {
        String html = "<html><body><a href=\"https&#58;//entity.example/&#x41;?a=1&amp;b=2\">go</a> and https://text.example/q?z=9.</body></html>";
        return "From: alice@contoso.com\r\nTo: carol@fabrikam.com\r\nSubject: html\r\nMessage-ID: <html-5@contoso.com>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8))
                + "\r\n--alt--\r\n";
    }

    private record Mail(String from, List<String> to, String content) {}

    private static final List<Mail> MAIL = List.of(
            new Mail("alice@contoso.com", List.of("bob@contoso.com"),
                    HuntingMail.report("Alice <alice@contoso.com>", "bob@contoso.com", "Monthly report", "<report-1@contoso.com>")),
            new Mail("alice@contoso.com", List.of("bob@contoso.com", "carol@fabrikam.com"), forwarded()),
            new Mail("billing@partner.example", List.of("alice@contoso.com"), named()),
            new Mail("news@partner.example", List.of("alice@contoso.com", "bob@contoso.com", "carol@fabrikam.com"), repaired()),
            new Mail("alice@contoso.com", List.of("carol@fabrikam.com"), encodedHtml()),
            new Mail("news@partner.example", List.of("bob@contoso.com"), HuntingMail.plain("news@partner.example", "Plain", "<plain-6@partner.example>")));

    @Test
    void theAcceptTimeParseAndTheStoredBytesGiveTheSameRows() throws Exception {
        try (AdminHarness h = new AdminHarness(TestDatabase.Kind.SQLITE)) {
            h.organization("Contoso", "contoso.com", "Alice", "Bob");
            h.organization("Fabrikam", "fabrikam.com", "Carol");
            // a rule that reads every Contoso message's attachments: its walk at accept is the one hunting reads
            h.ok("Contoso", "New-TransportRule", Map.of("Name", "Spreadsheets", "AttachmentNameMatchesPatterns", List.of("xlsx"),
                    "SetHeaderName", "X-Sheet", "SetHeaderValue", "yes"));
            Store store = h.gateway.store();
            List<Long> tenants = List.of(new TenantService(store).get("Contoso").id(), new TenantService(store).get("Fabrikam").id());
            for (Mail m : MAIL) HuntingMail.send(h, "127.0.0.50", m.from(), m.to(), m.content());
            HuntingMail.caughtUp(h.gateway);

            // steady state: every message's facts came from the accept-time parse, none from the stored bytes
            assertThat(h.gateway.huntingFeed().contentSources()).isEqualTo(new HuntingFeed.ContentSources(MAIL.size(), 0));
            Map<Long, Map<String, List<Map<String, Object>>>> inMemory = rows(h.gateway.huntingTables(), tenants);
            Map<String, String> keptInMemory = kept(store);
            assertThat(keptInMemory).hasSize(MAIL.size());
            // not vacuous: the messages have the attachments and URLs the walk finds, nested and RFC 2231/2047 named ones included
            List<Map<String, Object>> contosoAttachments = inMemory.get(tenants.get(0)).get("EmailAttachmentInfo");
            assertThat(contosoAttachments).extracting(r -> r.get("FileName")).contains("report.pdf", "", "€ rates 2026.xlsx",
                    "Quarterly report.docx", "Rechnung Übersicht.pdf");
            assertThat(inMemory.get(tenants.get(0)).get("EmailUrlInfo")).extracting(r -> r.get("Url")).contains(
                    "https://quoted.example/a/very/long/path/that/is/split/over/a/soft/line/break?x=1", "https://inner.example/a?b=1&c=2",
                    "https://subject.example/r?q=1", "https://after-repair.example/", "https://angle.example/x");
            assertThat(inMemory.get(tenants.get(1)).get("EmailUrlInfo")).extracting(r -> r.get("Url")).contains(
                    "https://entity.example/A?a=1&b=2", "https://text.example/q?z=9");

            // the catch-up path: a feed that holds nothing and finds nothing kept reads every message's stored bytes
            store.writeAndWait(ctx -> ctx.prepare("DELETE FROM hunting_content").executeUpdate());
            HuntingTables rebuilt = new HuntingTables(java.time.Instant.now(), HuntingTables.defaultMaxRows());
            try (HuntingFeed feed = new HuntingFeed(store, new Directory(store), rebuilt, Clock.systemUTC(), Duration.ofMillis(50)).start()) {
                long last = new EventFeed(store).lastId();
                await().atMost(Duration.ofSeconds(30)).until(() -> feed.position() >= last);
                assertThat(feed.contentSources()).isEqualTo(new HuntingFeed.ContentSources(0, MAIL.size()));
            }
            assertThat(rows(rebuilt, tenants)).isEqualTo(inMemory);
            assertThat(kept(store)).isEqualTo(keptInMemory);
        }
    }

    private static Map<Long, Map<String, List<Map<String, Object>>>> rows(HuntingTables t, List<Long> tenants) {
        Map<Long, Map<String, List<Map<String, Object>>>> out = new TreeMap<>();
        for (long tenant : tenants) {
            Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
            for (String table : TABLES) tables.put(table, new ArrayList<>(TableRows.of(t.catalog(tenant), table)));
            out.put(tenant, tables);
        }
        return out;
    }

    /** The kept facts (hunting_content) by network message id: what a restart lists. */
    private static Map<String, String> kept(Store store) {
        return store.read(c -> {
            Map<String, String> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT network_message_id, facts FROM hunting_content");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getString(2));
            }
            return out;
        });
    }
}
