// The engine against hand-checked results: the traps of kql.md §5.2 and the shapes real hunting queries use.
package dev.gatehouse.kql;

import static dev.gatehouse.kql.Tables.hoursAgo;
import static dev.gatehouse.kql.Tables.names;
import static dev.gatehouse.kql.Tables.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KqlEngineTest {
    private Tables db;

    @BeforeEach
    void seed() {
        db = new Tables();
        // chunks of 3 rows: every query crosses sealed chunks and the open one
        ColumnarTable e = db.add("EmailEvents", 3, "Timestamp:datetime", "NetworkMessageId:string", "SenderFromAddress:string",
                "RecipientEmailAddress:string", "Subject:string", "EmailDirection:string", "Connectors:string", "SenderIPv4:string",
                "SenderIPv6:string", "AuthenticationDetails:string", "AttachmentCount:int", "DeliveryAction:string");
        e.append(Tables.NOW.minus(java.time.Duration.ofDays(40)), "m0", "old@contoso.com", "bob@contoso.com", "Old invoice", "Inbound", "", "203.0.113.50", "", "{}", 0, "Delivered");
        e.append(hoursAgo(1), "m1", "alice@contoso.com", "bob@contoso.com", "Invoice 42 due", "Inbound", "", "203.0.113.50", "",
                "{\"SPF\":\"softfail\",\"DKIM\":\"none\",\"DMARC\":\"fail\",\"CompAuth\":\"fail\"}", 0, "Delivered");
        e.append(hoursAgo(2), "m2", "x@evil.example", "bob@contoso.com", "Your invoices-1 are ready", "Inbound", "", "203.0.113.51", "",
                "{\"SPF\":\"pass\",\"DMARC\":\"pass\"}", 1, "Delivered");
        e.append(hoursAgo(3), "m3", "scanner@contoso.com", "bob@contoso.com", "Scan", "Inbound", "CP-IP", "198.51.100.7", "", "{}", 2, "Delivered");
        e.append(hoursAgo(4), "m4", "carol@fabrikam.com", "alice@contoso.com", "North America report", "Inbound", "", "", "2001:db8::1",
                "{\"SPF\":\"pass\",\"DMARC\":\"none\"}", 0, "Blocked");
        e.append(hoursAgo(5), "m5", "alice@contoso.com", "dave@gmail.com", "Lunch", "Outbound", "", "", "", "{}", 0, "Delivered");
        e.append(hoursAgo(6), "m1", "alice@contoso.com", "carol@contoso.com", "Invoice 42 due", "Inbound", "", "203.0.113.50", "",
                "{\"SPF\":\"softfail\",\"DKIM\":\"none\",\"DMARC\":\"fail\",\"CompAuth\":\"fail\"}", 0, "Delivered");
        ColumnarTable a = db.add("EmailAttachmentInfo", 2, "Timestamp:datetime", "NetworkMessageId:string", "FileName:string", "FileSize:long");
        a.append(hoursAgo(2), "m2", "invoice.pdf", 1000L);
        a.append(hoursAgo(3), "m3", "scan1.pdf", 2000L);
        a.append(hoursAgo(3), "m3", "scan2.pdf", 3000L);
        a.append(hoursAgo(9), "m9", "orphan.zip", 10L);
    }

    @Test
    void theArticlesQueryReturnsTheMailThatCameWithoutAConnectorInItsNineColumns() {
        QueryResult r = db.run("""
                EmailEvents
                | where Timestamp > ago(30d)
                | where EmailDirection == 'Inbound' and Connectors == '' and isnotempty(SenderIPv4)
                | project Timestamp, RecipientEmailAddress, SenderFromAddress, Subject, NetworkMessageId, EmailDirection, Connectors, SenderIPv4, SenderIPv6
                """);
        assertThat(names(r)).containsExactly("Timestamp", "RecipientEmailAddress", "SenderFromAddress", "Subject", "NetworkMessageId",
                "EmailDirection", "Connectors", "SenderIPv4", "SenderIPv6");
        assertThat(text(r)).extracting(row -> row.get(4)).containsExactlyInAnyOrder("m1", "m2", "m1");
        assertThat(r.truncated()).isFalse();
        assertThat(r.columns().get(0).type()).isEqualTo(KqlType.DATETIME);
    }

    @Test
    void hasMatchesWholeTermsWhileContainsMatchesSubstrings() {
        assertThat(text(db.run("EmailEvents | where Subject has 'invoice' | project NetworkMessageId")))
                .containsExactlyInAnyOrder(List.of("m0"), List.of("m1"), List.of("m1"));
        assertThat(text(db.run("EmailEvents | where Subject contains 'invoice' | project NetworkMessageId")))
                .containsExactlyInAnyOrder(List.of("m0"), List.of("m1"), List.of("m2"), List.of("m1"));
        assertThat(text(db.run("EmailEvents | where Subject has 'america' | project NetworkMessageId"))).containsExactly(List.of("m4"));
        assertThat(db.run("EmailEvents | where Subject has 'amer'").rows()).isEmpty();
        assertThat(db.run("EmailEvents | where Subject has_cs 'invoice'").rows()).hasSize(1); // only "Old invoice"
        assertThat(text(db.run("EmailEvents | where Subject !has 'invoice' | count"))).containsExactly(List.of("4"));
    }

    @Test
    void hasWithPunctuationMatchesAsAPhraseOnTheJsonText() {
        QueryResult r = db.run("EmailEvents | where AuthenticationDetails has 'DMARC\":\"fail' | distinct NetworkMessageId");
        assertThat(text(r)).containsExactly(List.of("m1"));
        assertThat(text(db.run("EmailEvents | where AuthenticationDetails has_any ('DMARC\":\"fail', 'DMARC\":\"none') | distinct NetworkMessageId")))
                .containsExactlyInAnyOrder(List.of("m1"), List.of("m4"));
    }

    @Test
    void emptyStringsAreNeverNullAndIsemptyAgreesWithEqualityToEmpty() {
        String a = "EmailEvents | where Connectors == '' | count";
        String b = "EmailEvents | where isempty(Connectors) | count";
        assertThat(text(db.run(a))).isEqualTo(text(db.run(b))).containsExactly(List.of("6"));
        assertThat(text(db.run("EmailEvents | where isnull(Connectors) | count"))).containsExactly(List.of("0"));
    }

    @Test
    void aComparisonWithAMissingDynamicMemberIsNullAndWhereDropsTheRow() {
        // m3 and m5 have {} as AuthenticationDetails: DMARC is missing, so != "fail" is null, not true
        QueryResult r = db.run("""
                EmailEvents
                | extend Auth = parse_json(AuthenticationDetails)
                | where Auth.DMARC != "fail"
                | distinct NetworkMessageId
                """);
        assertThat(text(r)).containsExactlyInAnyOrder(List.of("m2"), List.of("m4"));
        assertThat(text(db.run("EmailEvents | extend Auth = parse_json(AuthenticationDetails) | where Auth.DMARC == 'fail' | distinct NetworkMessageId")))
                .containsExactly(List.of("m1"));
        assertThat(text(db.run("EmailEvents | where tostring(parse_json(AuthenticationDetails).SPF) == 'softfail' | count"))).containsExactly(List.of("2"));
    }

    @Test
    void sortAndTopAreDescendingUnlessAscIsWritten() {
        assertThat(text(db.run("EmailEvents | where Timestamp > ago(1d) | sort by Timestamp | project NetworkMessageId | take 2")))
                .containsExactly(List.of("m1"), List.of("m2"));
        assertThat(text(db.run("EmailEvents | where Timestamp > ago(1d) | order by Timestamp asc | project NetworkMessageId | take 2")))
                .containsExactly(List.of("m1"), List.of("m5"));
        assertThat(text(db.run("EmailEvents | top 2 by AttachmentCount | project NetworkMessageId")))
                .containsExactly(List.of("m3"), List.of("m2"));
    }

    @Test
    void summarizeNamesItsColumnsAsKustoDoes() {
        QueryResult r = db.run("EmailEvents | where Timestamp > ago(30d) | summarize count(), dcount(RecipientEmailAddress), make_set(Subject), countif(AttachmentCount > 0) by EmailDirection");
        assertThat(names(r)).containsExactly("EmailDirection", "count_", "dcount_RecipientEmailAddress", "set_Subject", "countif_");
        assertThat(text(db.run("EmailEvents | where EmailDirection == 'Outbound' | summarize make_set(Subject), make_list(Subject) by EmailDirection")))
                .containsExactly(List.of("Outbound", "[\"Lunch\"]", "[\"Lunch\"]"));
        assertThat(names(db.run("EmailEvents | summarize make_set(Subject), make_set(Subject)"))).containsExactly("set_Subject", "set_Subject1");
    }

    @Test
    void theImplicitCountColumnCanBeUsedLater() {
        QueryResult r = db.run("""
                EmailEvents
                | where Timestamp > ago(30d) and EmailDirection == "Inbound" and Connectors == "" and isnotempty(SenderIPv4)
                | summarize count() by SenderIPv4
                | where count_ > 1
                """);
        assertThat(text(r)).containsExactly(List.of("203.0.113.50", "2"));
    }

    @Test
    void theFusedCountAgreesWithTheGeneralSummarize() {
        // 5,000 rows in chunks of 700: sealed chunks with table-wide value numbers, and an open one without
        ColumnarTable t = db.add("Mail", 700, "Timestamp:datetime", "Direction:string", "Connector:string", "Ip:string", "Subject:string");
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < 5000; i++) {
            t.append(hoursAgo(24.0 * 40 * (5000 - i) / 5000), r.nextInt(10) < 6 ? "Inbound" : "Outbound", r.nextInt(10) == 0 ? "CP-IP" : "",
                    r.nextInt(20) == 0 ? "" : "203.0.113." + r.nextInt(300), "Invoice " + r.nextInt(40));
        }
        String where = "Mail | where Direction == 'Inbound' and Timestamp >= ago(30d) and Connector == '' and isnotempty(Ip) and Subject has '7'";
        QueryResult fused = db.run(where + " | summarize count() by Ip");
        QueryResult general = db.run(where + " | summarize count(), dcount(Ip) by Ip | project Ip, count_");
        assertThat(fused.rows()).hasSizeGreaterThan(10);
        assertThat(text(fused)).containsExactlyInAnyOrderElementsOf(text(general));
        assertThat(names(fused)).containsExactly("Ip", "count_");
    }

    @Test
    void aUnionOfTwoTablesKeepsTheirValuesApart() {
        // each table numbers its values in the order they came: "a" is 0 in one and 1 in the other
        ColumnarTable x = db.add("X", 2, "Timestamp:datetime", "V:string");
        ColumnarTable y = db.add("Y", 2, "Timestamp:datetime", "V:string");
        for (String v : List.of("a", "b", "a", "b", "a")) x.append(hoursAgo(1), v);
        for (String v : List.of("b", "a", "b", "b", "c")) y.append(hoursAgo(1), v);
        assertThat(text(db.run("union X, Y | summarize n = count() by V | order by V asc")))
                .containsExactly(List.of("a", "4"), List.of("b", "5"), List.of("c", "1"));
        assertThat(text(db.run("union X, Y | where V == 'a' | count"))).containsExactly(List.of("4"));
        assertThat(text(db.run("union X, Y | where V has 'b' | summarize count(), dcount(V) by V"))).containsExactly(List.of("b", "5", "1"));
    }

    @Test
    void argMaxWithStarDeduplicatesToTheLatestRowPerKey() {
        QueryResult r = db.run("""
                EmailEvents
                | where NetworkMessageId == 'm1'
                | summarize arg_max(Timestamp, *) by NetworkMessageId
                """);
        assertThat(names(r).subList(0, 3)).containsExactly("NetworkMessageId", "Timestamp", "SenderFromAddress");
        assertThat(names(r)).doesNotContain("NetworkMessageId1").hasSize(12);
        assertThat(r.rows()).hasSize(1);
        assertThat(text(r).get(0)).contains("bob@contoso.com"); // 1h ago beats 6h ago
    }

    @Test
    void summarizeOverNoRowsGivesOneRowOfDefaultsWithoutByAndNoRowsWithBy() {
        assertThat(text(db.run("EmailEvents | where Subject == 'nothing' | summarize count(), dcount(Subject), make_set(Subject), max(Timestamp)")))
                .containsExactly(List.of("0", "0", "[]", ""));
        assertThat(db.run("EmailEvents | where Subject == 'nothing' | summarize count() by Subject").rows()).isEmpty();
    }

    @Test
    void binOnDatetimesAlignsToUtcDaysAndKeepsTheColumnName() {
        QueryResult r = db.run("EmailEvents | where Timestamp > ago(30d) | summarize Mails = count() by bin(Timestamp, 1d) | order by Timestamp asc");
        assertThat(names(r)).containsExactly("Timestamp", "Mails");
        assertThat(text(r)).containsExactly(List.of("2026-12-01T00:00:00Z", "6"));
        assertThat(text(db.run("print bin(datetime(1970-05-11 13:45:07), 1d)"))).containsExactly(List.of("1970-05-11T00:00:00Z"));
    }

    @Test
    void innerUniqueJoinDropsLeftDuplicatesWhileInnerKeepsThem() {
        String q = "EmailEvents | where NetworkMessageId == 'm1' | join %s (EmailAttachmentInfo | extend NetworkMessageId = 'm1') on NetworkMessageId";
        assertThat(db.run(q.formatted("")).rows()).hasSize(4);              // one left m1 row × 4 right rows
        assertThat(db.run(q.formatted("kind=inner")).rows()).hasSize(8);    // both m1 rows × 4
    }

    @Test
    void clashingRightColumnsGetASuffixOfOne() {
        QueryResult r = db.run("EmailEvents | join kind=inner EmailAttachmentInfo on NetworkMessageId | project NetworkMessageId, Timestamp, Timestamp1, NetworkMessageId1, FileName");
        assertThat(text(r)).extracting(row -> row.get(4)).containsExactlyInAnyOrder("invoice.pdf", "scan1.pdf", "scan2.pdf");
        assertThat(text(r)).allSatisfy(row -> assertThat(row.get(0)).isEqualTo(row.get(3)));
    }

    @Test
    void everyJoinKindKeepsTheRowsItShould() {
        String left = "(EmailEvents | where Timestamp > ago(30d) | distinct NetworkMessageId)";
        String right = "(EmailAttachmentInfo | distinct NetworkMessageId)";
        assertThat(count(left + " | join kind=leftouter " + right + " on NetworkMessageId")).isEqualTo(5);
        assertThat(count(left + " | join kind=leftanti " + right + " on NetworkMessageId")).isEqualTo(3);
        assertThat(count(left + " | join kind=leftsemi " + right + " on NetworkMessageId")).isEqualTo(2);
        assertThat(count(left + " | join kind=rightsemi " + right + " on NetworkMessageId")).isEqualTo(2);
        assertThat(count(left + " | join kind=rightanti " + right + " on NetworkMessageId")).isEqualTo(1);
        assertThat(count(left + " | join kind=fullouter " + right + " on NetworkMessageId")).isEqualTo(6);
        assertThat(count(left + " | join kind=inner " + right + " on $left.NetworkMessageId == $right.NetworkMessageId")).isEqualTo(2);
        assertThat(names(db.run(left + " | join kind=leftanti " + right + " on NetworkMessageId"))).containsExactly("NetworkMessageId");
    }

    private int count(String q) { return db.run(q).rows().size(); }

    @Test
    void nowIsOneReadingForTheWholeQuery() {
        QueryResult r = db.run("print a = now(), b = now(), c = ago(0d) | extend same = a == b and b == c");
        assertThat(text(r).get(0).get(3)).isEqualTo("true");
        assertThat(text(r).get(0).get(0)).isEqualTo("2026-12-01T12:00:00Z");
    }

    @Test
    void timespanSuffixesIncludeHrHrsAndMin() {
        assertThat(text(db.run("print a = 4hr, b = 24hrs, c = 30min, d = 1.5h, e = 90s, f = 2d"))).containsExactly(
                List.of("04:00:00", "1.00:00:00", "00:30:00", "01:30:00", "00:01:30", "2.00:00:00"));
        assertThat(text(db.run("EmailEvents | where Timestamp between (ago(150min) .. now()) | count"))).containsExactly(List.of("2"));
        assertThat(text(db.run("EmailEvents | where (now() - Timestamp) between (0min .. 90min) | count"))).containsExactly(List.of("1"));
    }

    @Test
    void anIdentifierMayStartWithDigits() {
        assertThat(text(db.run("EmailEvents | summarize 5_Min_Count = count() by bin(Timestamp, 5m) | where 5_Min_Count > 0 | count")))
                .containsExactly(List.of("7"));
    }

    @Test
    void oneLineQueriesAndATrailingSemicolonRun() {
        assertThat(text(db.run("EmailEvents | where Timestamp > ago(1d) | where SenderFromAddress has 'contoso' | project NetworkMessageId, Subject | order by NetworkMessageId asc;")))
                .containsExactly(List.of("m1", "Invoice 42 due"), List.of("m1", "Invoice 42 due"), List.of("m3", "Scan"), List.of("m5", "Lunch"));
    }

    @Test
    void letBindsScalarsListsAndTables() {
        QueryResult r = db.run("""
                let window = 30d;
                let scanners = dynamic(['scanner@contoso.com', 'printer@contoso.com']);
                let Inbound = EmailEvents | where Timestamp > ago(window) and EmailDirection == 'Inbound';
                Inbound
                | where SenderFromAddress !in (scanners)
                | where NetworkMessageId in ((EmailAttachmentInfo | project NetworkMessageId))
                | project NetworkMessageId
                """);
        assertThat(text(r)).containsExactly(List.of("m2"));
        QueryResult senders = db.run("let Senders = EmailEvents | where Subject has 'invoice' | project SenderFromAddress; EmailEvents | where SenderFromAddress in (Senders) | distinct NetworkMessageId | count");
        assertThat(text(senders)).containsExactly(List.of("3"));
    }

    @Test
    void inIsCaseSensitiveAndInTildeIsNot() {
        assertThat(count("EmailEvents | where EmailDirection in ('inbound')")).isZero();
        assertThat(count("EmailEvents | where EmailDirection in~ ('inbound')")).isEqualTo(6);
        assertThat(count("EmailEvents | where EmailDirection =~ 'INBOUND'")).isEqualTo(6);
        assertThat(count("EmailEvents | where EmailDirection !in~ ('INBOUND')")).isEqualTo(1);
    }

    @Test
    void matchesRegexFindsThePatternAnywhereCaseSensitively() {
        assertThat(count("EmailEvents | where SenderIPv4 matches regex @'^203\\.0\\.113\\.5[01]$' | distinct NetworkMessageId")).isEqualTo(3);
        assertThat(count("EmailEvents | where Subject matches regex 'invoice'")).isEqualTo(2);
        assertThat(count("EmailEvents | where Subject matches regex '(?i)invoice'")).isEqualTo(4);
        assertThatThrownBy(() -> db.run("EmailEvents | where Subject matches regex '(a)\\\\1'"))
                .isInstanceOf(KqlException.class).hasMessageContaining("invalid regular expression");
    }

    @Test
    void splitWithAnIndexAndDynamicMembersGiveNullWhenMissing() {
        QueryResult r = db.run("EmailEvents | where NetworkMessageId == 'm2' | project Domain = tostring(split(SenderFromAddress, '@')[1]), Missing = split(SenderFromAddress, '@')[5], Neg = tostring(split(SenderFromAddress, '@')[-1])");
        assertThat(text(r)).containsExactly(List.of("evil.example", "", "evil.example"));
        assertThat(r.rows().get(0)[1]).isNull();
    }

    @Test
    void extendReplacesAColumnInPlaceAndNamesUnnamedOnes() {
        QueryResult r = db.run("EmailEvents | take 1 | extend AuthenticationDetails = parse_json(AuthenticationDetails), strlen(Subject) | project-away Sender*, Recipient*");
        int i = names(r).indexOf("AuthenticationDetails");
        assertThat(i).isEqualTo(5);
        assertThat(r.columns().get(i).type()).isEqualTo(KqlType.DYNAMIC);
        assertThat(names(r)).endsWith("Column1").doesNotContain("SenderFromAddress", "SenderIPv4", "RecipientEmailAddress");
    }

    @Test
    void projectRenameAndReorder() {
        QueryResult r = db.run("EmailEvents | take 1 | project NetworkMessageId, Subject, Connectors | project-rename Id = NetworkMessageId | project-reorder Connectors");
        assertThat(names(r)).containsExactly("Connectors", "Id", "Subject");
    }

    @Test
    void theRowCapTruncatesAndSaysSo() {
        QueryResult r = db.run("EmailEvents | project NetworkMessageId", 3);
        assertThat(r.rows()).hasSize(3);
        assertThat(r.truncated()).isTrue();
        assertThat(db.run("EmailEvents | take 3", 3).truncated()).isFalse();
    }

    @Test
    void rowsBeforeTheRetentionFloorAreNotSeen() {
        db.add("Old", 2, "Timestamp:datetime", "X:long").append(hoursAgo(24 * 40), 1L);
        ColumnarTable t = db.add("Kept", 2, "Timestamp:datetime", "X:long");
        t.append(hoursAgo(24 * 40), 1L);
        t.append(hoursAgo(1), 2L);
        t.append(hoursAgo(24 * 31), 3L);
        t.retainFrom(Ticks.of(Tables.NOW.minus(java.time.Duration.ofDays(30))));
        assertThat(text(db.run("Kept | project X"))).containsExactly(List.of("2"));
    }

    @Test
    void unionMatchesColumnsByNameAndFillsTheMissingOnes() {
        QueryResult r = db.run("union withsource=Table (EmailEvents | where NetworkMessageId == 'm2' | project NetworkMessageId, Subject), (EmailAttachmentInfo | where NetworkMessageId == 'm2' | project NetworkMessageId, FileSize)");
        assertThat(names(r)).containsExactly("Table", "NetworkMessageId", "Subject", "FileSize");
        assertThat(r.rows()).hasSize(2);
        QueryResult piped = db.run("EmailEvents | where NetworkMessageId == 'm3' | project NetworkMessageId | union (EmailAttachmentInfo | where NetworkMessageId == 'm3' | project NetworkMessageId) | count");
        assertThat(text(piped)).containsExactly(List.of("3"));
    }

    @Test
    void renderIsReturnedAsAChartHint() {
        QueryResult r = db.run("EmailEvents | summarize count() by bin(Timestamp, 1h) | render timechart with (title='Mail')");
        assertThat(r.visualization()).isEqualTo("timechart");
        assertThat(r.renderProperties()).containsEntry("title", "Mail");
        assertThatThrownBy(() -> db.run("EmailEvents | render timechart | take 1"))
                .isInstanceOf(KqlException.class).hasMessageContaining("render must be the last operator");
    }

    @Test
    void errorsNameWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> db.run("EmailEvents\n| where Subjekt has 'x'"))
                .isInstanceOf(KqlException.class).hasMessage("Failed to resolve scalar expression named 'Subjekt' at 2:9");
        assertThatThrownBy(() -> db.run("EmailEventz | take 1"))
                .isInstanceOf(KqlException.class).hasMessageStartingWith("Failed to resolve table expression named 'EmailEventz'");
        assertThatThrownBy(() -> db.run("EmailEvents | where count() > 1"))
                .isInstanceOf(KqlException.class).hasMessageContaining("only be used in summarize");
        assertThatThrownBy(() -> db.run("EmailEvents | where Subject == 5"))
                .isInstanceOf(KqlException.class).hasMessageContaining("Cannot compare values of types string and long");
        assertThatThrownBy(() -> db.run("EmailEvents | extend g = geo_info_from_ip_address(SenderIPv4)"))
                .isInstanceOf(KqlException.class).hasMessage("unsupported: geo_info_from_ip_address at 1:26");
        assertThatThrownBy(() -> db.run("EmailEvents | where AuthenticationDetails.DMARC == 'fail'"))
                .isInstanceOf(KqlException.class).hasMessageContaining("parse_json");
    }

    @Test
    void scalarFunctionsHuntingQueriesUse() {
        QueryResult r = db.run("""
                print a = strcat('x', 1, '-', true), b = tolower('ÄB'), c = substring('hello', 1, 3), d = indexof('hello', 'l'),
                      e = extract(@'(\\d+)', 1, 'Invoice 42'), f = case(1 > 2, 'no', 2 > 1, 'yes', 'else'), g = iff(isempty(''), 'e', 'n'),
                      h = array_length(pack_array(1, 2, 3)), i = round(2.567, 2), j = todouble('1.5') * 2, k = startofday(datetime(2026-12-01 13:00)),
                      l = set_has_element(dynamic(['a', 'b']), 'b'), m = ipv4_is_in_range('192.0.2.25', '192.0.2.0/24'), n = tostring(dynamic({'k': [1]}))
                """);
        assertThat(text(r).get(0)).containsExactly("x1-true", "äb", "ell", "2", "42", "yes", "e", "3", "2.57", "3", "2026-12-01T00:00:00Z",
                "true", "true", "{\"k\":[1]}");
    }

    @Test
    void textIsReadAsADatetimeOrTimespanTheSameWayInALiteralAndAtRunTime() {
        assertThat(text(db.run("print a = todatetime('2025/01/02 03:04') == datetime(2025/01/02 03:04), b = totimespan('1.02:03:04') == time(1.02:03:04), "
                + "c = todatetime('Thu, 02 Jan 2025 03:04:00 GMT'), d = tostring(dynamic([datetime(2025-01-02 03:04:05.5)]))")))
                .containsExactly(List.of("true", "true", "2025-01-02T03:04:00Z", "[\"2025-01-02T03:04:05.5Z\"]"));
    }

    @Test
    void integerDivisionTruncatesAndDatetimeArithmeticGivesTimespans() {
        assertThat(text(db.run("print a = 7 / 2, b = 7.0 / 2, c = 1 / 0, d = datetime(2026-12-02) - datetime(2026-12-01), e = 1d / 1h, f = datetime(2026-12-01) + 1h")))
                .containsExactly(List.of("3", "3.5", "", "1.00:00:00", "24", "2026-12-01T01:00:00Z"));
    }

    @Test
    void distinctAndCount() {
        assertThat(count("EmailEvents | distinct NetworkMessageId")).isEqualTo(6);
        assertThat(names(db.run("EmailEvents | count"))).containsExactly("Count");
        assertThat(text(db.run("EmailEvents | where Timestamp > ago(30d) | distinct EmailDirection, Connectors | count"))).containsExactly(List.of("3"));
    }

    @Test
    void aQueryThatHoldsTooManyValuesIsStoppedWithAMessage() {
        QueryResult ok = db.run("EmailEvents | count");
        assertThat(ok.rows()).hasSize(1);
        assertThatThrownBy(() -> KqlEngine.run("EmailEvents | join kind=inner (EmailEvents) on EmailDirection", db,
                new KqlEngine.Options(100, java.time.Duration.ofSeconds(5), Tables.NOW, 50), () -> false))
                .isInstanceOf(KqlException.class).hasMessageContaining("values in memory");
    }

    @Test
    void setsAndListsCountAgainstTheQuerysBudget() {
        // 7 rows: a list of every subject per direction holds 7 values, over a budget of 5
        assertThatThrownBy(() -> KqlEngine.run("EmailEvents | summarize make_list(Subject) by EmailDirection", db,
                new KqlEngine.Options(100, java.time.Duration.ofSeconds(5), Tables.NOW, 5), () -> false))
                .isInstanceOf(KqlException.class).hasMessageContaining("values in memory");
        assertThat(KqlEngine.run("EmailEvents | summarize make_list(Subject) by EmailDirection", db,
                new KqlEngine.Options(100, java.time.Duration.ofSeconds(5), Tables.NOW, 50), () -> false).rows()).hasSize(2);
    }

    @Test
    void aCancelledQueryStops() {
        assertThatThrownBy(() -> KqlEngine.run("EmailEvents | summarize count() by Subject", db,
                new KqlEngine.Options(100, java.time.Duration.ofSeconds(5), Tables.NOW, 1000), () -> true))
                .isInstanceOf(KqlException.class).hasMessageContaining("cancelled");
    }
}
