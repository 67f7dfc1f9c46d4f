// Every real hunting query of the corpus, run verbatim over HuntingSeed's mail, against results worked out by hand.
package dev.gatehouse.kql;

import static dev.gatehouse.kql.HuntingSeed.ALICE;
import static dev.gatehouse.kql.HuntingSeed.BOB;
import static dev.gatehouse.kql.HuntingSeed.CAROL;
import static dev.gatehouse.kql.HuntingSeed.DAVE;
import static dev.gatehouse.kql.Tables.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.hunting.HuntingSchema;
import dev.gatehouse.kql.ColumnarTable.Column;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The corpus is what Defender users actually paste, so a wrong answer here is a wrong answer a hunter would act on.
 * Each test names its query file, says in one line what it checks, and asserts the column names in order and the rows
 * (exactly, or by count and key columns where Kusto leaves the choice open: innerunique's left row, make_set order,
 * ties). Queries that name tables Gatehouse does not have fail with Kusto's "Failed to resolve table expression" at
 * the table's place in the text. {@link #everyCorpusQueryIsCheckedHere} keeps the list complete.
 */
class KqlHuntingQueriesTest {
    private static final Tables DB = HuntingSeed.catalog();

    private static final List<String> EVENTS = HuntingSchema.EMAIL_EVENTS_COLUMNS.stream().map(Column::name).toList();
    private static final List<String> ATTACHMENTS = HuntingSchema.EMAIL_ATTACHMENT_INFO_COLUMNS.stream().map(Column::name).toList();
    private static final List<String> URLS = HuntingSchema.EMAIL_URL_INFO_COLUMNS.stream().map(Column::name).toList();

    private static Path dir() {
        try {
            return Path.of(KqlHuntingQueriesTest.class.getResource("queries").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String file) {
        try {
            return Files.readString(dir().resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static QueryResult run(String file) { return DB.run(text(file)); }

    /** The named columns of every row, as text. */
    private static List<List<String>> rows(QueryResult r, String... columns) {
        List<String> all = names(r);
        List<List<String>> out = new ArrayList<>();
        for (List<String> row : Tables.text(r)) {
            List<String> picked = new ArrayList<>();
            for (String c : columns) {
                assertThat(all).as("result columns").contains(c);
                picked.add(row.get(all.indexOf(c)));
            }
            out.add(picked);
        }
        return out;
    }

    private static List<String> column(QueryResult r, String name) { return rows(r, name).stream().map(l -> l.getFirst()).toList(); }

    /** A join's columns: the left's, then the right's, a clashing right name getting the first free numeric suffix. */
    private static List<String> joined(List<String> left, List<String> right) {
        List<String> out = new ArrayList<>(left);
        for (String c : right) {
            String name = c;
            for (int i = 1; out.contains(name); i++) name = c + i;
            out.add(name);
        }
        return out;
    }

    private static List<String> without(List<String> columns, String... dropped) {
        return columns.stream().filter(c -> !List.of(dropped).contains(c)).toList();
    }

    @Test
    void theJoinedColumnListsNameTheClashesAsKustoDoes() {
        // guards the helper the join tests below rely on: the three clashes of EmailUrlInfo with EmailEvents
        assertThat(joined(URLS, EVENTS)).containsSequence("Timestamp", "NetworkMessageId", "Url", "UrlDomain", "UrlLocation", "ReportId",
                "Timestamp1", "NetworkMessageId1", "InternetMessageId").contains("ReportId1").hasSize(45);
    }

    // ---- EmailEvents only ----

    @Test
    void directSendListsInboundMailWithoutAConnectorFromAnIpv4AddressInTheLast30Days() {
        // IPv6-only senders, the 40-day-old spoof, connector and outbound mail are out; every recipient row stays
        QueryResult r = run("direct-send-exchange-team.kql");
        assertThat(names(r)).containsExactly("Timestamp", "RecipientEmailAddress", "SenderFromAddress", "Subject", "NetworkMessageId",
                "EmailDirection", "Connectors", "SenderIPv4", "SenderIPv6");
        assertThat(r.rows()).hasSize(48);
        assertThat(new HashSet<>(column(r, "NetworkMessageId"))).containsExactlyInAnyOrder("ds-1", "inv-1", "iso-1", "fr-1", "fr-2",
                "ice-1", "ice-2", "ice-3", "ice-4", "form-1", "form-2", "jar-1", "jnlp-1", "lemon-1", "lemon-2", "lemon-3", "phos-1",
                "ref-1", "ref-2", "ref-3", "snip-1", "snip-2", "strrat-1", "strrat-2", "storm-1", "gdoc-1", "baza-1", "baza-2", "baza-3",
                "cluster-1", "app-1", "app-2", "app-3", "redir-1", "redir-2", "dup-1", "dup-2");
        assertThat(rows(r, "NetworkMessageId", "RecipientEmailAddress", "SenderIPv4", "Connectors").stream()
                .filter(row -> row.getFirst().equals("ds-1")))
                .containsExactlyInAnyOrder(List.of("ds-1", ALICE, "203.0.113.10", ""), List.of("ds-1", BOB, "203.0.113.10", ""));
        assertThat(column(r, "EmailDirection")).containsOnly("Inbound");
    }

    @Test
    void theArgMaxDedupCountsDmarcFailuresPerHourOnTheLatestCopyOfEachMessageAndRecipient() {
        // dup-1 failed then passed (not counted), dup-2 passed then failed (counted at its later hour); ds-old is past 7 days
        QueryResult r = run("gatehouse-dedup-arg-max-dmarc.kql");
        assertThat(names(r)).containsExactly("Timestamp", "Failed DMARC", "Senders");
        assertThat(Tables.text(r)).containsExactlyInAnyOrder(
                List.of("2026-12-01T09:00:00Z", "2", "[\"contoso.com\"]"),
                List.of("2026-12-01T08:00:00Z", "1", "[\"contoso.com\"]"),
                List.of("2026-12-01T05:00:00Z", "1", "[\"fabrikam.com\"]"),
                List.of("2026-11-30T09:00:00Z", "2", "[\"fabrikam-invoices.example\"]"));
        assertThat(r.visualization()).isEqualTo("timechart");
        assertThat(r.renderProperties()).containsEntry("title", "DMARC failures per hour");
    }

    @Test
    void bazacallNeedsTheCaseSensitiveCodeAndAListedTerm() {
        // "acc123456789" fails the case-sensitive regex; "orders" is not the term "order"; both recipients of baza-1 stay
        QueryResult r = run("mdhq-bazacall-emails.kql");
        assertThat(names(r)).isEqualTo(EVENTS);
        assertThat(rows(r, "NetworkMessageId", "RecipientEmailAddress")).containsExactlyInAnyOrder(List.of("baza-1", BOB), List.of("baza-1", DAVE));
    }

    @Test
    void lemonDuckSubjectsMatchCaseSensitivelyAndNeedAnAttachment() {
        // "Good Bye" differs in case; "WTF" has no attachment
        QueryResult r = run("mdhq-lemonduck-email-subjects.kql");
        assertThat(names(r)).isEqualTo(EVENTS);
        assertThat(rows(r, "NetworkMessageId", "Subject", "AttachmentCount")).containsExactly(List.of("lemon-1", "good bye", "1"));
    }

    @Test
    void phosphorusSendersMatchInAnyLetterCase() {
        // in~ over a dynamic list let-bound across lines with NBSPs in the text
        QueryResult r = run("mdhq-phosphorus-conference-organizers.kql");
        assertThat(names(r)).isEqualTo(EVENTS);
        assertThat(rows(r, "NetworkMessageId", "SenderFromAddress")).containsExactly(List.of("phos-1", "T20SaudiArabia@Outlook.sa"));
    }

    @Test
    void trackingTheAdversaryPutsTheBusiestSenderRecipientPairFirst() {
        // top 100 by a count, descending: the 21-mail newsletter, then baza's 3, then the seven pairs of 2, then 36 single mails
        QueryResult r = run("mdhq-tracking-the-adversary-summarize-top.kql");
        assertThat(names(r)).containsExactly("SenderFromAddress", "RecipientEmailAddress", "Emails");
        List<List<String>> rows = Tables.text(r);
        assertThat(rows).hasSize(45);
        assertThat(rows.subList(0, 2)).containsExactly(List.of("news@contoso-news.example", DAVE, "21"), List.of("billing@subs.example", BOB, "3"));
        assertThat(rows.subList(2, 9)).containsExactlyInAnyOrder(List.of("payroll@contoso.com", BOB, "2"), List.of("ceo@contoso.com", BOB, "2"),
                List.of("forms@webhost.example", ALICE, "2"), List.of("share@files.example", BOB, "2"), List.of("promo@shop.example", ALICE, "2"),
                List.of("dup@dup-sender.example", ALICE, "2"), List.of("notify@fabrikam.com", BOB, "2"));
        assertThat(rows.subList(9, 45)).allSatisfy(row -> assertThat(row.get(2)).isEqualTo("1"));
    }

    @Test
    void findRelatedMailsComparesTheLongClusterIdWithAStringAndKustoRefusesThat() {
        // EmailClusterId is a long in Defender's schema; the published query compares it with a string literal
        assertThatThrownBy(() -> run("bertjanp-mdo-findrelatedmails.kql")).isInstanceOf(KqlException.class)
                .hasMessage("Cannot compare values of types long and string with '==' at 4:9");
    }

    @Test
    void theTyposquattingQueryNamesTheTierCFunctionItNeeds() {
        // unicode_codepoints_from_string and jaccard_index are outside the supported subset: a positioned "unsupported"
        assertThatThrownBy(() -> run("bertjanp-email-typosquattedemailrecieved.kql")).isInstanceOf(KqlException.class)
                .hasMessage("unsupported: unicode_codepoints_from_string at 3:21");
    }

    // ---- one email table besides EmailEvents ----

    @Test
    void jnlpAttachmentsEndInJnlpInAnyCase() {
        // endswith is case-insensitive; "jnlp-readme.txt" starts with jnlp but does not end with it
        QueryResult r = run("mdhq-jnlp-file-attachment.kql");
        assertThat(names(r)).isEqualTo(ATTACHMENTS);
        assertThat(rows(r, "NetworkMessageId", "RecipientEmailAddress", "FileName", "FileSize")).containsExactly(List.of("jnlp-1", CAROL, "launch.JNLP", "1011"));
    }

    @Test
    void tTwoRedirectorsMatchThePatternAnywhereInTheUrl() {
        // "://t." and "://www.t." match, "://at." does not
        QueryResult r = run("mdhq-phishingemailurlredirector.kql");
        assertThat(names(r)).isEqualTo(URLS);
        assertThat(rows(r, "NetworkMessageId", "Url")).containsExactlyInAnyOrder(
                List.of("redir-1", "https://t.co-op.xyz/path/redirect?id=1"), List.of("redir-2", "https://www.t.example.com/r/?u=2"));
    }

    @Test
    void tDotRedirectorsOnTheCampaignsDomainsNeedBothPatterns() {
        // a second "and ... matches regex" on a continuation line narrows to the .xyz domain with a letter-hyphen-letters name
        QueryResult r = run("mdhq-phishingemailurlredirector-2.kql");
        assertThat(names(r)).isEqualTo(URLS);
        assertThat(rows(r, "NetworkMessageId")).containsExactly(List.of("redir-1"));
    }

    @Test
    void strratDomainsAreMatchedAsTermPhrases() {
        // a subdomain and upper case match; "madamridley.co.uk" does not hold the phrase
        QueryResult r = run("mdhq-strrat-email-delivery.kql");
        assertThat(names(r)).isEqualTo(URLS);
        assertThat(rows(r, "NetworkMessageId", "UrlDomain")).containsExactlyInAnyOrder(
                List.of("strrat-1", "www.adamridley.co.uk"), List.of("strrat-2", "ADAMRIDLEY.CO.UK"));
    }

    @Test
    void threatTypesOfAttachmentsAreCountedWithTheEmptyStringAsAGroup() {
        // 21 attachment rows: the EXE twice, the ISO twice and the shortcut are Malware; the rest have no threat ("" is a value)
        QueryResult r = run("mdhq-tracking-the-adversary-summarize-threattypes.kql");
        assertThat(names(r)).containsExactly("ThreatTypes", "count_");
        assertThat(Tables.text(r)).containsExactlyInAnyOrder(List.of("", "16"), List.of("Malware", "5"));
    }

    @Test
    void malwareDetectionReasonsAreExtractedLazilyAndCharted() {
        // ThreatTypes == "Malware" drops "Malware,Phish"; the lazy group stops at the first "] so two methods stay together
        QueryResult r = run("bertjanp-visualization-email-malwaredetectionreasons.kql");
        assertThat(names(r)).containsExactly("DetectionMethod", "TotalEvents");
        assertThat(Tables.text(r)).containsExactlyInAnyOrder(List.of("File detonation", "2"),
                List.of("File detonation\",\"Antimalware protection", "1"));
        assertThat(r.visualization()).isEqualTo("piechart");
        assertThat(r.renderProperties()).containsExactly(Map.entry("title", "Malware Detection Reason Overview"));
    }

    @Test
    void phishDetectionReasonsCountZapAndManualRemediation() {
        QueryResult r = run("bertjanp-visualization-email-phishdetectionreasons.kql");
        assertThat(names(r)).containsExactly("DetectionMethod", "TotalEvents");
        assertThat(Tables.text(r)).containsExactlyInAnyOrder(List.of("URL detonation reputation", "2"), List.of("URL malicious reputation", "1"));
        assertThat(r.renderProperties()).containsEntry("title", "Phishing Detection Reason Overview");
    }

    @Test
    void postDeliveryEventsAreCountedByActionWithNoTimeFilter() {
        // the 40-day-old soft delete counts too: the query has no time filter
        QueryResult r = run("bertjanp-visualization-email-postdeliveryevents.kql");
        assertThat(names(r)).containsExactly("Action", "TotalEvents");
        assertThat(Tables.text(r)).containsExactlyInAnyOrder(List.of("Moved to quarantine", "5"), List.of("Moved to deleted items", "1"),
                List.of("Moved to inbox", "1"), List.of("Soft delete", "1"));
        assertThat(r.visualization()).isEqualTo("piechart");
    }

    @Test
    void jarAttachmentsFindTheirMessagesThroughALetBoundDistinctList() {
        // "JarArchive" starts with "Jar"; the message's row comes back whole
        QueryResult r = run("mdhq-jar-attachments.kql");
        assertThat(names(r)).isEqualTo(EVENTS);
        assertThat(rows(r, "NetworkMessageId", "RecipientEmailAddress", "AttachmentCount")).containsExactly(List.of("jar-1", BOB, "1"));
    }

    @Test
    void executableAttachmentsAreGroupedByHashAndNameWithTheLeftSidesRecipients() {
        // in~ matches "EXE"; the file without extension and the outbound script are out; make_set dedups the 2×2 join rows
        QueryResult r = run("bertjanp-email-executablefilerecieved.kql");
        assertThat(names(r)).containsExactly("SHA256", "FileName", "Target Mailboxes", "Sender Addresses", "Email Subject");
        assertThat(rows(r, "SHA256", "FileName", "Sender Addresses", "Email Subject")).containsExactlyInAnyOrder(
                List.of("sha-invoice_2024-117.pdf.exe", "Invoice_2024-117.pdf.EXE", "[\"billing@fabrikam-invoices.example\"]", "[\"Invoice 2024-117 overdue\"]"),
                List.of("sha-update.lnk", "Update.lnk", "[\"it-support@contoso-helpdesk.example\"]", "[\"Mandatory update\"]"));
        Map<String, String> mailboxes = new LinkedHashMap<>();
        for (List<String> row : rows(r, "FileName", "Target Mailboxes")) mailboxes.put(row.get(0), row.get(1));
        assertThat(mailboxes.get("Invoice_2024-117.pdf.EXE")).isIn("[\"alice@contoso.com\",\"carol@contoso.com\"]", "[\"carol@contoso.com\",\"alice@contoso.com\"]");
        assertThat(mailboxes.get("Update.lnk")).isEqualTo("[\"bob@contoso.com\"]");
    }

    @Test
    void isoAttachmentsKeepTheMessagesThreatNamesNotTheAttachments() {
        // an inner join on the message id alone pairs both recipients with both attachment rows (4 rows); ThreatNames is the left's
        QueryResult r = run("bertjanp-email-isoattachmentrecieved.kql");
        assertThat(names(r)).containsExactly("Timestamp", "NetworkMessageId", "SenderFromAddress", "SenderIPv4", "SenderIPv6",
                "RecipientEmailAddress", "Subject", "FileName", "FileType", "ThreatNames");
        assertThat(rows(r, "NetworkMessageId", "RecipientEmailAddress", "FileName", "ThreatNames")).containsExactlyInAnyOrder(
                List.of("iso-1", DAVE, "Invoices-2024.ISO", ""), List.of("iso-1", DAVE, "Invoices-2024.ISO", ""),
                List.of("iso-1", ALICE, "Invoices-2024.ISO", ""), List.of("iso-1", ALICE, "Invoices-2024.ISO", ""));
        assertThat(column(r, "Timestamp")).containsOnly("2026-11-30T05:50:00Z");
    }

    @Test
    void theRarestExtensionsComeFirstCountedOverTheJoinsRecipientPairs() {
        // case kept (EXE, ISO, JNLP); inv-1 and iso-1 count recipients × attachment rows; no extension and outbound are out
        QueryResult r = run("bertjanp-email-mostrarefileextensionsrecieved.kql");
        assertThat(names(r)).containsExactly("FileExtension", "Total");
        assertThat(column(r, "Total")).containsExactly("1", "1", "1", "1", "1", "1", "2", "3", "4", "4", "5");
        Map<String, String> totals = new LinkedHashMap<>();
        for (List<String> row : Tables.text(r)) totals.put(row.get(0), row.get(1));
        assertThat(totals).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(Map.entry("pdf", "1"), Map.entry("zip", "1"), Map.entry("png", "1"),
                Map.entry("jar", "1"), Map.entry("JNLP", "1"), Map.entry("lnk", "1"), Map.entry("js", "2"), Map.entry("doc", "3"),
                Map.entry("ISO", "4"), Map.entry("EXE", "4"), Map.entry("txt", "5")));
    }

    @Test
    void aPhishingCampaignIsAClusterOfRareDomainsWithUrls() {
        // the 21-mail newsletter domain is not rare; clusters without URLs drop at the join; cluster 0 is not empty, null is
        QueryResult r = run("bertjanp-email-potentialphishingcampaign.kql");
        assertThat(names(r)).containsExactly("EmailClusterId", "Subjects", "Senders", "TotalSenders");
        assertThat(rows(r, "EmailClusterId", "TotalSenders")).containsExactlyInAnyOrder(
                List.of("2002", "1"), List.of("4004", "2"), List.of("6006", "1"), List.of("0", "1"));
        for (List<String> row : rows(r, "EmailClusterId", "Subjects")) {
            if (row.get(0).equals("4004")) assertThat(row.get(1)).contains("\"Re: the report you asked for\"", "\"RE: Bonus required\"");
            if (row.get(0).equals("0")) assertThat(row.get(1)).isEqualTo("[\"Document shared again\"]");
        }
    }

    @Test
    void storm0539PathsMatchAsPhrasesAndJoinEveryRecipient() {
        // "/USRLOP/" matches in other case; ".../index.htmls" does not end the phrase; inv-1 has two recipients
        QueryResult r = run("bertjanp-storm-0539-urlpathsemail.kql");
        assertThat(names(r)).isEqualTo(joined(URLS, EVENTS));
        assertThat(rows(r, "NetworkMessageId", "NetworkMessageId1", "RecipientEmailAddress", "ReportId1")).containsExactlyInAnyOrder(
                List.of("inv-1", "inv-1", ALICE, "R9"), List.of("inv-1", "inv-1", CAROL, "R12"), List.of("storm-1", "storm-1", CAROL, "R75"));
    }

    @Test
    void appspotPhishCarriesTheRecipientInTheUrlPlainOrInBase64() {
        // bob's address and carol's Base64 match as phrases; "jimbob@contoso.com" does not hold bob's; alice on app-1 is out
        QueryResult r = run("mdhq-appspot-phishing-abuse.kql");
        assertThat(names(r)).isEqualTo(without(joined(URLS, EVENTS), "Timestamp1", "NetworkMessageId1", "ReportId1"));
        assertThat(rows(r, "NetworkMessageId", "RecipientEmailAddress")).containsExactlyInAnyOrder(List.of("app-1", BOB), List.of("app-2", CAROL));
    }

    @Test
    void fakeRepliesKeepOneLeftRowPerMessageBeforeJoiningItsUrls() {
        // innerunique: fr-1 went to three people but one left row survives, joined to its two URLs, one of them Google Docs;
        // "RE: Bonus required" holds no listed term ("onus" and "equired" are fragments)
        QueryResult r = run("mdhq-fake-replies.kql");
        assertThat(names(r)).isEqualTo(joined(EVENTS, URLS));
        assertThat(rows(r, "NetworkMessageId", "NetworkMessageId1", "Url")).containsExactly(List.of("fr-1", "fr-1", "https://docs.google.com/document/d/abc/edit"));
        assertThat(column(r, "RecipientEmailAddress")).allSatisfy(rcpt -> assertThat(rcpt).isIn(ALICE, BOB, CAROL));
    }

    @Test
    void icedIdAttachmentsAreRepliesOrForwardsWithOneWordDocument() {
        // "FWD:" and "AW:" hold listed phrases, "Fire:" does not ("RE:" must start a term); "WG:" has two attachments
        QueryResult r = run("mdhq-icedid-attachments.kql");
        assertThat(names(r)).isEqualTo(joined(EVENTS, ATTACHMENTS));
        assertThat(names(r)).contains("RecipientEmailAddress1", "ThreatTypes1", "ThreatNames1", "DetectionMethods1", "SenderFromAddress1");
        assertThat(rows(r, "NetworkMessageId", "FileName", "FileType")).containsExactlyInAnyOrder(
                List.of("ice-1", "contract.doc", "WordStorage"), List.of("ice-3", "angebot.zip", "WordStorage;Zip"));
    }

    @Test
    void icedIdContactFormsKeepOneUrlPerMessageAndEveryRecipient() {
        // innerunique dedups the left (EmailUrlInfo) per message: form-1's two matching URLs become one, then both recipients;
        // "Contact Usage" does not hold the phrase "Contact Us"
        QueryResult r = run("mdhq-icedid-email-delivery.kql");
        assertThat(names(r)).isEqualTo(joined(URLS, EVENTS));
        List<List<String>> rows = rows(r, "NetworkMessageId", "RecipientEmailAddress", "Url");
        assertThat(rows).extracting(row -> row.subList(0, 2)).containsExactlyInAnyOrder(List.of("form-1", ALICE), List.of("form-1", CAROL));
        assertThat(rows.get(0).get(2)).isEqualTo(rows.get(1).get(2))
                .isIn("https://sites.google.com/view/id123456789/home", "https://sites.google.com/view/987654321");
    }

    @Test
    void attachmentsJoinTheirRecipientsMessageRowOnTwoKeysWithTheSmallSideLeft() {
        // 21 attachment rows; the orphan has no message; every other pairs with exactly its own recipient's row
        QueryResult r = run("mdhq-l33tspeak-join-attachments-inner-small-left.kql");
        assertThat(names(r)).containsExactly("NetworkMessageId", "FileName", "FileType", "ThreatTypes", "SHA256", "RecipientEmailAddress",
                "NetworkMessageId1", "Subject", "Timestamp", "SenderFromAddress", "SenderIPv4", "RecipientEmailAddress1", "AttachmentCount");
        assertThat(r.rows()).hasSize(20);
        assertThat(rows(r, "RecipientEmailAddress", "RecipientEmailAddress1")).allSatisfy(row -> assertThat(row.get(0)).isEqualTo(row.get(1)));
        assertThat(rows(r, "NetworkMessageId", "RecipientEmailAddress", "FileName").stream().filter(row -> row.getFirst().equals("inv-1")))
                .containsExactlyInAnyOrder(List.of("inv-1", ALICE, "Invoice_2024-117.pdf.EXE"), List.of("inv-1", ALICE, "readme.txt"),
                        List.of("inv-1", CAROL, "Invoice_2024-117.pdf.EXE"), List.of("inv-1", CAROL, "readme.txt"));
        assertThat(column(r, "NetworkMessageId")).doesNotContain("orphan-1");
    }

    @Test
    void attachmentsJoinTheirRecipientsMessageRowOnTwoKeysWithTheMessagesLeft() {
        // the same 20 pairs, the message columns first
        QueryResult r = run("mdhq-l33tspeak-join-attachments-inner.kql");
        assertThat(names(r)).containsExactly("NetworkMessageId", "Subject", "Timestamp", "SenderFromAddress", "SenderIPv4", "RecipientEmailAddress",
                "AttachmentCount", "NetworkMessageId1", "FileName", "FileType", "ThreatTypes", "SHA256", "RecipientEmailAddress1");
        assertThat(r.rows()).hasSize(20);
        assertThat(rows(r, "NetworkMessageId", "NetworkMessageId1")).allSatisfy(row -> assertThat(row.get(0)).isEqualTo(row.get(1)));
    }

    @Test
    void aLeftOuterJoinOnTheMessageAloneKeepsMailWithoutAttachmentsAndMultipliesTheRest() {
        // 74 message rows: 59 without attachments keep one row with empty right columns; 15 pair with every attachment row (26)
        QueryResult r = run("mdhq-l33tspeak-join-attachments-leftouter.kql");
        assertThat(names(r)).containsExactly("NetworkMessageId", "Subject", "Timestamp", "SenderFromAddress", "SenderIPv4", "RecipientEmailAddress",
                "AttachmentCount", "NetworkMessageId1", "FileName", "FileType", "ThreatTypes", "SHA256", "RecipientEmailAddress1");
        List<List<String>> rows = rows(r, "NetworkMessageId", "NetworkMessageId1", "FileName");
        assertThat(rows).hasSize(85);
        assertThat(rows.stream().filter(row -> row.get(1).isEmpty())).hasSize(59).allSatisfy(row -> assertThat(row.get(2)).isEmpty());
        assertThat(rows.stream().filter(row -> row.getFirst().equals("inv-1"))).hasSize(8);
        assertThat(rows.stream().filter(row -> row.getFirst().equals("ds-1"))).containsExactly(List.of("ds-1", "", ""), List.of("ds-1", "", ""));
    }

    @Test
    void referralPhishComesFromAListedEnvelopeDomainSpoofingTheRecipientsOwnDomain() {
        // "Refferal.net" is not in the case-sensitive list; ref-3's From domain is not the recipient's; ref-1's two rows become one
        QueryResult r = run("mdhq-referral-phish-emails.kql");
        List<String> left = new ArrayList<>(EVENTS);
        left.add("RecipientDomain");
        assertThat(names(r)).isEqualTo(joined(left, URLS));
        assertThat(rows(r, "NetworkMessageId", "RecipientDomain", "Url")).containsExactly(List.of("ref-1", "contoso.com", "https://refferal.net/claim"));
    }

    @Test
    void snip3DisplayNamesAndCloudStorageLinks() {
        // snip-1: drive.google.com and 1drv.ms match, "notdrive.google.com" does not; snip-2 via OneDrive
        QueryResult r = run("mdhq-snip3-aviation-targeting-emails.kql");
        assertThat(names(r)).isEqualTo(joined(EVENTS, URLS));
        assertThat(rows(r, "NetworkMessageId", "SenderDisplayName", "Url")).containsExactlyInAnyOrder(
                List.of("snip-1", "Airbus Meeting Team", "https://drive.google.com/file/d/1xyz/view"),
                List.of("snip-1", "Airbus Meeting Team", "https://1drv.ms/u/s!abc"),
                List.of("snip-2", "Airworthiness Dept", "https://onedrive.live.com/redir?id=1"));
    }

    @Test
    void theGoogleDocsRegexIsReadAsRe2ReadsIt() {
        // "{ 38,42}" with a space is no repetition in RE2 but literal text, so only gdoc-1's odd message id matches
        QueryResult r = run("mdhq-suspicious-google-doc-links.kql");
        assertThat(names(r)).isEqualTo(joined(URLS, EVENTS));
        assertThat(rows(r, "NetworkMessageId", "InternetMessageId", "RecipientEmailAddress"))
                .containsExactly(List.of("gdoc-1", "<a{ 38,42} @share.example>", BOB));
    }

    @Test
    void whenZapedPairsDeliveryWithTheZapOfTheSameRecipient() {
        // an empty regex matches every URL; only inv-1 was ZAP'd after delivery with a URL; DeliveryLocation is the left's
        // (the post-delivery row's "Quarantine" became DeliveryLocation1)
        QueryResult r = run("mdhq-whenzaped.kql");
        assertThat(names(r)).containsExactly("DeliveryTime", "ZAPTime", "NetworkMessageId", "SenderFromAddress", "SenderIPv4",
                "RecipientEmailAddress", "Subject", "DeliveryAction", "DeliveryLocation");
        assertThat(Tables.text(r)).containsExactlyInAnyOrder(
                List.of("2026-11-30T09:50:00Z", "2026-11-30T11:00:00Z", "inv-1", "billing@fabrikam-invoices.example", "192.0.2.44", ALICE,
                        "Invoice 2024-117 overdue", "Delivered", "Inbox/folder"),
                List.of("2026-11-30T09:50:00Z", "2026-11-30T11:00:00Z", "inv-1", "billing@fabrikam-invoices.example", "192.0.2.44", CAROL,
                        "Invoice 2024-117 overdue", "Delivered", "Inbox/folder"));
    }

    // ---- queries over tables Gatehouse does not have ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
        "bertjanp-behavior-asyncratinitialaccess.kql => DeviceFileEvents => 11:20",
        "bertjanp-email-asrexecutablecontenttriggered.kql => DeviceEvents => 2:1",
        "bertjanp-email-macroattachmentopenedfromraresender.kql => DeviceFileEvents => 34:1",
        "bertjanp-email-safelinkstrigger.kql => UrlClickEvents => 2:1",
        "bertjanp-maliciousemaildeliveredinmailbox.kql => CloudAppEvents => 2:1",
        "bertjanp-mde-md365-emailattachmentssendfromcompromisedmailbox.kql => DeviceFileEvents => 17:23",
        "mdhq-detect-archive-exfiltration-to-competitor.kql => DeviceFileEvents => 10:1",
        "mdhq-files-from-malicious-sender.kql => DeviceFileEvents => 7:1",
        "mdhq-logon-attempts-after-malicious-email.kql => IdentityLogonEvents => 8:1",
        "mdhq-powershell-activity-after-email-from-malicious-sender.kql => DeviceProcessEvents => 8:1",
        "mdhq-suspiciousurlclicked.kql => AlertInfo => 4:1",
    })
    void queriesOverOtherTablesFailNamingTheTableWhereItIsWritten(String file, String table, String at) {
        String query = text(file);
        String[] lc = at.split(":");
        Pos pos = new Pos(Integer.parseInt(lc[0]), Integer.parseInt(lc[1]));
        assertThat(AstPositions.lines(query).get(pos.line() - 1).substring(pos.col() - 1)).as("the text at " + at).startsWith(table);
        assertThatThrownBy(() -> DB.run(query)).isInstanceOfSatisfying(KqlException.class, e -> {
            assertThat(e.getMessage()).startsWith("Failed to resolve table expression named '" + table + "'").endsWith(" at " + at);
            assertThat(e.pos()).isEqualTo(pos);
        });
    }

    @Test
    void everyCorpusQueryIsCheckedHere() throws Exception {
        // read from this file's source, so it holds however the tests are filtered or ordered
        Set<String> covered = new HashSet<>();
        for (var m : KqlHuntingQueriesTest.class.getDeclaredMethods()) {
            CsvSource csv = m.getAnnotation(CsvSource.class);
            if (csv != null) for (String line : csv.value()) covered.add(line.split(" => ")[0]);
        }
        String source = Files.readString(Path.of("src/test/java/dev/gatehouse/kql/KqlHuntingQueriesTest.java"), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("run\\(\"([^\"]+\\.kql)\"\\)").matcher(source);
        while (m.find()) covered.add(m.group(1));
        try (Stream<Path> files = Files.list(dir())) {
            Set<String> all = new HashSet<>(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".kql")).toList());
            assertThat(covered).containsExactlyInAnyOrderElementsOf(all);
        }
    }
}
