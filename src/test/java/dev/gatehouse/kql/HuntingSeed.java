// A hand-made tenant's mail in the four real hunting tables, so real hunting queries' results can be checked by hand.
package dev.gatehouse.kql;

import dev.gatehouse.hunting.HuntingSchema;
import dev.gatehouse.kql.ColumnarTable.Column;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every message is written the way Defender fills the tables: one EmailEvents row per recipient, one
 * EmailAttachmentInfo row per attachment per recipient, one EmailUrlInfo row per URL, EmailPostDeliveryEvents per
 * recipient acted on. Times are {@code NOW} minus hours and minutes, so the hour bins are easy to work out by hand
 * ({@code NOW} is 12:00Z). Chunks of 4 rows make every query cross sealed chunks and the open one. What each message
 * is for is said where it is written; {@code KqlHuntingQueriesTest} checks the corpus queries against it.
 */
final class HuntingSeed {
    private HuntingSeed() {}

    static final String ALICE = "alice@contoso.com", BOB = "bob@contoso.com", CAROL = "carol@contoso.com", DAVE = "dave@contoso.com";
    static final String PASS = "{\"SPF\":\"pass\",\"DKIM\":\"pass\",\"DMARC\":\"pass\",\"CompAuth\":\"pass\"}";
    static final String FAIL = "{\"SPF\":\"fail\",\"DKIM\":\"none\",\"DMARC\":\"fail\",\"CompAuth\":\"fail\"}";

    /** {@code h} hours and {@code m} minutes before {@link Tables#NOW}. */
    static Instant ago(int h, int m) { return Tables.NOW.minus(Duration.ofHours(h).plusMinutes(m)); }

    /** The four tables filled with the messages below. */
    static Tables catalog() {
        Tables db = new Tables();
        Writer w = new Writer(db);
        for (Mail m : mails()) w.write(m);
        postDelivery(w);
        // an attachment row whose message never reached EmailEvents: joins on the message must drop it
        w.row(HuntingSchema.EMAIL_ATTACHMENT_INFO, kv("Timestamp", ago(33, 0), "NetworkMessageId", "orphan-1",
                "SenderFromAddress", "ghost@nowhere.example", "RecipientEmailAddress", BOB, "FileName", "orphan.zip",
                "FileType", "zip", "SHA256", "sha-orphan.zip", "FileSize", 10L));
        return db;
    }

    /** An empty catalog with the same four tables, for queries over no rows. */
    static Tables emptyCatalog() {
        Tables db = new Tables();
        new Writer(db);
        return db;
    }

    private static List<Mail> mails() {
        List<Mail> all = new ArrayList<>();
        // Direct Send: a spoof of the CEO with no connector, from an IPv4 address, to two people
        all.add(mail("ds-1", 2, 10, "ceo@contoso.com", "Urgent wire transfer", ALICE, BOB).ip("203.0.113.10").cluster(1001).auth(FAIL));
        // Direct Send over IPv6 only: isnotempty(SenderIPv4) is false
        all.add(mail("ds-v6", 3, 10, "hr@contoso.com", "Voicemail message", CAROL).ip("").ipv6("2001:db8::25").auth(FAIL));
        // Direct Send 40 days ago: outside ago(30d)
        all.add(mail("ds-old", 960, 0, "ceo@contoso.com", "Old wire transfer", BOB).ip("203.0.113.10").cluster(1001).auth(FAIL));
        // the copier, through the tenant's inbound connector
        all.add(mail("scan-1", 5, 10, "scanner@contoso.com", "Scanned document", DAVE).ip("198.51.100.7").connector("Contoso-Printers")
                .file("scan_0001.pdf", "pdf"));
        // outbound mail with a script: every "Inbound" filter drops it
        all.add(mail("out-1", 6, 10, ALICE, "Lunch", "partner@fabrikam.com").ip("10.0.0.5").outbound().file("script.ps1", "ps1"));
        // invoice phish: an .EXE behind a double extension, a text file, a STORM-0539 style URL path, ZAP'd later
        all.add(mail("inv-1", 26, 10, "billing@fabrikam-invoices.example", "Invoice 2024-117 overdue", ALICE, CAROL).ip("192.0.2.44")
                .mailFrom("bounce@bounce.fabrikam-invoices.example").cluster(2002).threat("Phish")
                .auth("{\"SPF\":\"pass\",\"DKIM\":\"pass\",\"DMARC\":\"fail\",\"CompAuth\":\"fail\"}")
                .file("Invoice_2024-117.pdf.EXE", "exe", "Malware", "Trojan:Win32/Wacatac").file("readme.txt", "txt")
                .url("https://login.fabrikam-invoices.example/adls/index.html?u=alice"));
        // "invoices-2024" is not the term "invoice"; an ISO whose threat name is on the attachment, not on the message
        all.add(mail("iso-1", 30, 10, "accounts@fabrikam.com", "invoices-2024 ready", DAVE, ALICE).ip("192.0.2.45").cluster(3003)
                .file("Invoices-2024.ISO", "iso", "Malware", "Trojan:Win32/IsoDrop"));
        // an IPv6 sender with a shortcut and a file without extension
        all.add(mail("lnk-1", 50, 10, "it-support@contoso-helpdesk.example", "Mandatory update", BOB).ip("").ipv6("2001:db8:beef::7")
                .file("Update.lnk", "lnk", "Malware", "Trojan:Win32/LnkDrop").file("notes", "txt"));
        // fake reply ("Re:" and the term "you") with a Google Docs link, to three people
        all.add(mail("fr-1", 8, 10, "j.doe@partner.example", "Re: the report you asked for", ALICE, BOB, CAROL).ip("198.51.100.20")
                .cluster(4004).messageId("<CAF1234567890abcdefghijklmnopqrstuvwxyz12@mail.gmail.com>")
                .url("https://docs.google.com/document/d/abc/edit").url("https://partner.example/logo.png"));
        // a reply whose words only contain the listed fragments ("Bonus" is not the term "onus")
        all.add(mail("fr-2", 9, 10, "x@partner.example", "RE: Bonus required", DAVE).ip("198.51.100.21").cluster(4004)
                .url("https://docs.google.com/document/d/zzz/view"));
        // IcedID style forwards: "FWD:" and "AW:" with Word documents; "Fire:" does not hold the phrase "RE:"; "WG:" has two files
        all.add(mail("ice-1", 10, 10, "ap@supplier.example", "FWD: Contract", BOB).ip("192.0.2.60").file("contract.doc", "WordStorage"));
        all.add(mail("ice-2", 11, 10, "ops@supplier.example", "Fire: drill tomorrow", BOB).ip("192.0.2.61").file("drill.doc", "WordStorage"));
        all.add(mail("ice-3", 12, 10, "vertrieb@lieferant.example", "AW: Angebot", CAROL).ip("192.0.2.62").file("angebot.zip", "WordStorage;Zip"));
        all.add(mail("ice-4", 13, 10, "buchhaltung@lieferant.example", "WG: Rechnung", CAROL).ip("192.0.2.63")
                .file("rechnung.doc", "WordStorage").file("bild.png", "png"));
        // contact-form abuse: two matching sites.google.com URLs (innerunique keeps one), and a near miss "Contact Usage"
        all.add(mail("form-1", 14, 10, "forms@webhost.example", "New Contact Us request", ALICE, CAROL).ip("192.0.2.70").cluster(6006)
                .url("https://sites.google.com/view/id123456789/home").url("https://sites.google.com/view/987654321"));
        all.add(mail("form-2", 15, 10, "forms@webhost.example", "Contact Usage report", ALICE).ip("192.0.2.70").cluster(6006)
                .url("https://sites.google.com/view/123456789").url("https://sites.google.com/view/12345"));
        all.add(mail("jar-1", 16, 10, "shipping@logistics.example", "Shipment notice", BOB).ip("192.0.2.80").file("payload.jar", "JarArchive"));
        all.add(mail("jnlp-1", 18, 10, "it@vendor.example", "Launch the app", CAROL).ip("192.0.2.81")
                .file("launch.JNLP", "jnlp").file("jnlp-readme.txt", "txt"));
        // LemonDuck subjects: "in" is case-sensitive, and the one without attachments does not count
        all.add(mail("lemon-1", 20, 10, "a@lemon.example", "good bye", DAVE).ip("192.0.2.90").file("bye.js", "js"));
        all.add(mail("lemon-2", 21, 10, "b@lemon.example", "Good Bye", DAVE).ip("192.0.2.91").file("bye2.js", "js"));
        all.add(mail("lemon-3", 22, 10, "c@lemon.example", "WTF", DAVE).ip("192.0.2.92"));
        // Phosphorus: a listed sender in other letter case
        all.add(mail("phos-1", 100, 10, "T20SaudiArabia@Outlook.sa", "T20 conference invitation", ALICE).ip("192.0.2.100"));
        // referral phish: envelope from a listed domain, header From the recipient's own domain; "Refferal.net" is not listed (in is case-sensitive)
        all.add(mail("ref-1", 40, 10, "payroll@contoso.com", "Your referral bonus", BOB, CAROL).ip("192.0.2.110").mailFrom("hr@refferal.net")
                .url("https://refferal.net/claim"));
        all.add(mail("ref-2", 41, 10, "payroll@contoso.com", "Referral bonus", BOB).ip("192.0.2.111").mailFrom("hr@Refferal.net")
                .url("https://refferal.net/claim2"));
        all.add(mail("ref-3", 42, 10, "payroll@fabrikam.com", "Referral program", BOB).ip("192.0.2.112").mailFrom("hr@refferal.net")
                .url("https://refferal.net/claim3"));
        // SNIP3: display names with listed terms; "notdrive.google.com" does not hold the term phrase "drive.google.com"
        all.add(mail("snip-1", 60, 10, "ops@charter.example", "Meeting agenda", DAVE).ip("192.0.2.120").display("Airbus Meeting Team")
                .url("https://drive.google.com/file/d/1xyz/view").url("https://notdrive.google.com/x").url("https://1drv.ms/u/s!abc"));
        all.add(mail("snip-2", 61, 10, "cert@aviation.example", "Certificate", DAVE).ip("192.0.2.121").display("Airworthiness Dept")
                .url("https://onedrive.live.com/redir?id=1"));
        // StrRAT domains: a subdomain and upper case match, "madamridley" does not
        all.add(mail("strrat-1", 70, 10, "a@builders.example", "Quote", BOB).ip("192.0.2.130")
                .url("https://www.adamridley.co.uk/q.jar").url("https://madamridley.co.uk/"));
        all.add(mail("strrat-2", 71, 10, "b@builders.example", "Quote 2", BOB).ip("192.0.2.131").url("https://ADAMRIDLEY.CO.UK/x"));
        // STORM-0539 paths: upper case matches; "index.htmls" is not the phrase "index.html"
        all.add(mail("storm-1", 45, 10, "a@storm.example", "Gift card", CAROL).ip("192.0.2.200")
                .url("https://gift.example/USRLOP/claim").url("https://cdn.example.net/adls/index.htmls"));
        // the Google Docs query's regex "\<\w{ 38,42} \@" is RE2 for the literal text "<", a word char, "{ 38,42} @"
        all.add(mail("gdoc-1", 7, 10, "docs@share.example", "Shared document", BOB).ip("192.0.2.140").messageId("<a{ 38,42} @share.example>")
                .url("https://docs.google.com/document/d/q1/edit"));
        // Bazacall: case-sensitive regex plus a listed term; "orders" is not the term "order"
        all.add(mail("baza-1", 80, 10, "billing@subs.example", "Your membership ACC123456789 renews today", BOB, DAVE).ip("192.0.2.150"));
        all.add(mail("baza-2", 81, 10, "billing@subs.example", "Your orders ZX1234567890", BOB).ip("192.0.2.150"));
        all.add(mail("baza-3", 82, 10, "billing@subs.example", "free trial acc123456789", BOB).ip("192.0.2.150"));
        all.add(mail("cluster-1", 120, 10, "x@spam.example", "Related mail", ALICE).ip("192.0.2.160").cluster(3163234347533L));
        // appspot: the recipient in the URL, in Base64 in the URL, and "jimbob@..." that is not the term bob@...; cluster 0 is not empty
        all.add(mail("app-1", 90, 10, "share@files.example", "Document shared with you", BOB, ALICE).ip("192.0.2.170")
                .url("https://docu-dot-share-files.appspot.com/#bob@contoso.com"));
        all.add(mail("app-2", 91, 10, "share@files.example", "Document shared", CAROL).ip("192.0.2.170")
                .url("https://x-dot-y.appspot.com/index.html?user=Y2Fyb2xAY29udG9zby5jb20="));
        all.add(mail("app-3", 92, 10, "share@files.example", "Document shared again", BOB).ip("192.0.2.170").cluster(0)
                .url("https://a-dot-b.appspot.com/?u=jimbob@contoso.com"));
        // T-Dot redirectors: both patterns, the first only, neither ("at." is not "t.")
        all.add(mail("redir-1", 95, 10, "promo@shop.example", "Deal", ALICE).ip("192.0.2.180").url("https://t.co-op.xyz/path/redirect?id=1"));
        all.add(mail("redir-2", 96, 10, "promo@shop.example", "Deal 2", ALICE).ip("192.0.2.180")
                .url("https://www.t.example.com/r/?u=2").url("https://at.example.com/r?x"));
        // duplicates for the arg_max dedup: dup-1 failed DMARC first and passed later; dup-2 the other way round
        all.add(mail("dup-1", 4, 30, "dup@dup-sender.example", "Reminder", ALICE).ip("192.0.2.190").auth(FAIL));
        all.add(mail("dup-1", 4, 10, "dup@dup-sender.example", "Reminder", ALICE).ip("192.0.2.190"));
        all.add(mail("dup-2", 6, 50, "notify@fabrikam.com", "Notification", BOB).ip("192.0.2.191"));
        all.add(mail("dup-2", 6, 20, "notify@fabrikam.com", "Notification", BOB).ip("192.0.2.191").auth(FAIL));
        // a daily newsletter through a partner connector: 21 mails, so its domain is not rare (threshold 20)
        for (int i = 0; i <= 20; i++) {
            all.add(mail("news-" + i, 24 * i + 1, 10, "news@contoso-news.example", "Contoso News #" + i, DAVE).ip("198.51.100.99")
                    .connector("Partner-Newsletter").cluster(5005).url("https://contoso-news.example/issue/" + i));
        }
        return all;
    }

    /** ZAP, a manual remediation, a release, and one 40 days old. */
    private static void postDelivery(Writer w) {
        String phish = "{\"Phish\":[\"URL detonation reputation\"]}";
        w.pde(ago(25, 0), "inv-1", ALICE, "Moved to quarantine", "Phish ZAP", "Phish", phish);
        w.pde(ago(25, 0), "inv-1", CAROL, "Moved to quarantine", "Phish ZAP", "Phish", phish);
        w.pde(ago(29, 0), "iso-1", DAVE, "Moved to quarantine", "Malware ZAP", "Malware", "{\"Malware\":[\"File detonation\"]}");
        w.pde(ago(29, 0), "iso-1", ALICE, "Moved to quarantine", "Malware ZAP", "Malware",
                "{\"Malware\":[\"File detonation\",\"Antimalware protection\"]}");
        w.pde(ago(49, 0), "lnk-1", BOB, "Moved to quarantine", "Malware ZAP", "Malware", "{\"Malware\":[\"File detonation\"]}");
        w.pde(ago(7, 0), "fr-1", ALICE, "Moved to deleted items", "Manual Remediation", "Phish", "{\"Phish\":[\"URL malicious reputation\"]}");
        w.pde(ago(28, 0), "iso-1", DAVE, "Moved to inbox", "Redelivery", "Malware,Phish",
                "{\"Malware\":[\"File detonation\"],\"Phish\":[\"URL detonation\"]}");
        w.pde(ago(950, 0), "ds-old", BOB, "Soft delete", "Manual Remediation", "", "");
    }

    /** Column name, value, column name, value, ... */
    private static Map<String, Object> kv(Object... pairs) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], pairs[i + 1]);
        return m;
    }

    private static Mail mail(String id, int h, int m, String from, String subject, String... to) {
        return new Mail(id, ago(h, m), from, subject, List.of(to));
    }

    /** One message as the gateway saw it; defaults are ordinary inbound internet mail that passed authentication. */
    static final class Mail {
        final String id, from, subject;
        final Instant at;
        final List<String> to;
        String mailFrom, display = "", ipv4 = "", ipv6 = "", direction = "Inbound", connectors = "", auth = PASS, threat = "", messageId;
        Long cluster;
        final List<String[]> files = new ArrayList<>();
        final List<String> urls = new ArrayList<>();

        Mail(String id, Instant at, String from, String subject, List<String> to) {
            this.id = id;
            this.at = at;
            this.from = from;
            this.mailFrom = from;
            this.subject = subject;
            this.to = to;
            this.messageId = "<" + id + "@mail.example>";
        }

        Mail ip(String v4) { ipv4 = v4; return this; }
        Mail ipv6(String v6) { ipv6 = v6; return this; }
        Mail mailFrom(String a) { mailFrom = a; return this; }
        Mail display(String d) { display = d; return this; }
        Mail connector(String c) { connectors = c; return this; }
        Mail outbound() { direction = "Outbound"; return this; }
        Mail auth(String a) { auth = a; return this; }
        Mail threat(String t) { threat = t; return this; }
        Mail cluster(long c) { cluster = c; return this; }
        Mail messageId(String m) { messageId = m; return this; }
        Mail file(String name, String type) { return file(name, type, "", ""); }
        Mail file(String name, String type, String threatTypes, String threatNames) { files.add(new String[] {name, type, threatTypes, threatNames}); return this; }
        Mail url(String u) { urls.add(u); return this; }
    }

    /** Appends rows by column name to the real schemas; a name not in the schema is a mistake in the seed. */
    private static final class Writer {
        private final Map<String, ColumnarTable> tables = new HashMap<>();
        private int reports;

        Writer(Tables db) {
            tables.put(HuntingSchema.EMAIL_EVENTS, db.add(HuntingSchema.EMAIL_EVENTS, 4, HuntingSchema.EMAIL_EVENTS_COLUMNS));
            tables.put(HuntingSchema.EMAIL_ATTACHMENT_INFO, db.add(HuntingSchema.EMAIL_ATTACHMENT_INFO, 4, HuntingSchema.EMAIL_ATTACHMENT_INFO_COLUMNS));
            tables.put(HuntingSchema.EMAIL_URL_INFO, db.add(HuntingSchema.EMAIL_URL_INFO, 4, HuntingSchema.EMAIL_URL_INFO_COLUMNS));
            tables.put(HuntingSchema.EMAIL_POST_DELIVERY_EVENTS,
                    db.add(HuntingSchema.EMAIL_POST_DELIVERY_EVENTS, 4, HuntingSchema.EMAIL_POST_DELIVERY_EVENTS_COLUMNS));
        }

        void row(String table, Map<String, Object> values) {
            ColumnarTable t = tables.get(table);
            Set<String> known = new java.util.HashSet<>();
            for (Column c : t.schema()) known.add(c.name());
            if (!known.containsAll(values.keySet())) throw new IllegalArgumentException(table + " has no column among " + values.keySet());
            Object[] row = new Object[t.schema().size()];
            for (int i = 0; i < row.length; i++) row[i] = values.get(t.schema().get(i).name());
            t.append(row);
        }

        private String report() { return "R" + (++reports); }

        void write(Mail m) {
            for (String rcpt : m.to) {
                Map<String, Object> e = new HashMap<>();
                e.put("Timestamp", m.at);
                e.put("NetworkMessageId", m.id);
                e.put("InternetMessageId", m.messageId);
                e.put("SenderMailFromAddress", m.mailFrom);
                e.put("SenderFromAddress", m.from);
                e.put("SenderDisplayName", m.display);
                e.put("SenderMailFromDomain", domain(m.mailFrom));
                e.put("SenderFromDomain", domain(m.from));
                e.put("SenderIPv4", m.ipv4);
                e.put("SenderIPv6", m.ipv6);
                e.put("RecipientEmailAddress", rcpt);
                e.put("Subject", m.subject);
                e.put("EmailClusterId", m.cluster);
                e.put("EmailDirection", m.direction);
                e.put("DeliveryAction", "Delivered");
                e.put("DeliveryLocation", "Inbox/folder");
                e.put("ThreatTypes", m.threat);
                e.put("BulkComplaintLevel", 0);
                e.put("AuthenticationDetails", m.auth);
                e.put("AttachmentCount", m.files.size());
                e.put("UrlCount", m.urls.size());
                e.put("Connectors", m.connectors);
                e.put("ReportId", report());
                row(HuntingSchema.EMAIL_EVENTS, e);
                for (String[] f : m.files) {
                    Map<String, Object> a = new HashMap<>();
                    a.put("Timestamp", m.at);
                    a.put("NetworkMessageId", m.id);
                    a.put("SenderFromAddress", m.from);
                    a.put("SenderDisplayName", m.display);
                    a.put("RecipientEmailAddress", rcpt);
                    a.put("FileName", f[0]);
                    a.put("FileType", f[1]);
                    a.put("SHA256", "sha-" + f[0].toLowerCase(java.util.Locale.ROOT));
                    a.put("FileSize", 1000L + f[0].length());
                    a.put("ThreatTypes", f[2]);
                    a.put("ThreatNames", f[3]);
                    a.put("ReportId", report());
                    row(HuntingSchema.EMAIL_ATTACHMENT_INFO, a);
                }
            }
            for (String u : m.urls) {
                String host = u.replaceFirst("^https?://", "").replaceFirst("[/?#].*$", "");
                row(HuntingSchema.EMAIL_URL_INFO, kv("Timestamp", m.at, "NetworkMessageId", m.id, "Url", u, "UrlDomain", host,
                        "UrlLocation", "Body", "ReportId", report()));
            }
        }

        void pde(Instant at, String id, String rcpt, String action, String actionType, String threatTypes, String detection) {
            row(HuntingSchema.EMAIL_POST_DELIVERY_EVENTS, kv("Timestamp", at, "NetworkMessageId", id, "InternetMessageId",
                    "<" + id + "@mail.example>", "Action", action, "ActionType", actionType, "ActionTrigger", "SpecialAction",
                    "ActionResult", "Success", "RecipientEmailAddress", rcpt, "DeliveryLocation", "Quarantine", "ThreatTypes", threatTypes,
                    "DetectionMethods", detection, "ReportId", report()));
        }

        private static String domain(String address) { return address.substring(address.indexOf('@') + 1); }
    }
}
