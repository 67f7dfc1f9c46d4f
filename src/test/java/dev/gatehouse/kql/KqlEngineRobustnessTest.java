// The property of KqlEngineFuzzTest over fixed seeds and hand-picked nasty queries, so every build checks it without Jazzer.
package dev.gatehouse.kql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever a hunter types, the engine answers with rows or a {@link KqlException} (message, position in the text);
 * an exception of any other kind would reach the portal as a trace, or worse take down the query worker. Runs over
 * {@link HuntingSeed}'s tables with a 100-row cap and a 2 s timeout.
 */
class KqlEngineRobustnessTest {
    private static final Tables DB = HuntingSeed.catalog();
    private static final Tables EMPTY = HuntingSeed.emptyCatalog();

    /** Checks every query, then fails listing all that broke the property; returns how many ran to a result. */
    private static int checkAll(List<String> queries, Catalog catalog) {
        List<String> broken = new ArrayList<>();
        int ran = 0;
        for (String q : queries) {
            try {
                if (KqlEngineFuzzTest.check(q, catalog) != null) ran++;
            } catch (AssertionError e) {
                broken.add(e.getMessage() + (e.getCause() == null ? "" : "\n  at " + e.getCause().getStackTrace()[0]));
            }
        }
        assertThat(broken).as("queries that broke the engine").isEmpty();
        return ran;
    }

    @Test
    void everyCorpusQueryRunsOrFailsCleanly() {
        List<String> corpus = KqlCorpus.queries(true);
        assertThat(checkAll(corpus, DB)).as("corpus queries with a result").isGreaterThanOrEqualTo(31);
        checkAll(corpus, EMPTY);
    }

    @Test
    void generatedQueriesRunOrFailCleanly() {
        Random random = new Random(20251206);
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) queries.add(KqlQueryGenerator.generate(random::nextInt));
        assertThat(checkAll(queries, DB)).as("generated queries that ran to a result, not just to an error").isGreaterThan(200);
    }

    @Test
    void damagedCorpusQueriesRunOrFailCleanly() {
        List<String> corpus = KqlCorpus.queries(false);
        Random random = new Random(8);
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) queries.add(KqlCorpus.damaged(corpus, random));
        assertThat(checkAll(queries, DB)).as("damaged queries that still ran").isGreaterThan(500);
    }

    /** Edges of numbers, time, strings, regexes, dynamics and operators, each a place an engine tends to throw. */
    static final List<String> NASTY = List.of(
            "print a = 9223372036854775807 + 1, b = -9223372036854775807 - 2, c = 9223372036854775807 * 2",
            "print a = (-9223372036854775807 - 1) / -1, b = (-9223372036854775807 - 1) % -1, c = abs(-9223372036854775807 - 1)",
            "print 99999999999999999999999999",
            "print 0xFFFFFFFFFFFFFFFFFFFF",
            "print 1e999, -1e999, 1e-999",
            "print a = 1/0, b = 1%0, c = 1.0/0, d = 0.0/0, e = -1.0/0, f = 0/0",
            "print datetime(0001-01-01) - 1d",
            "print datetime(9999-12-31 23:59:59) + 1d",
            "print datetime(0001-01-01) + 3650000d, datetime(9999-12-31) - datetime(0001-01-01)",
            "print bin(now(), 0s), bin(5, 0), bin(5, -1), bin(1.5, 0.0), bin(datetime(0001-01-01), 1d), bin(-5, 3)",
            "EmailEvents | summarize count() by bin(Timestamp, 0s)",
            "EmailEvents | summarize count() by bin(Timestamp, -1h)",
            "EmailEvents | summarize count() by bin(AttachmentCount, 0)",
            "print toint('9999999999999'), tolong('9223372036854775808'), todouble('1e400'), toint(1e300), tolong(1e300), toint(-1e300)",
            "print toint(real(nan)), tolong(real(+inf)), todatetime(1e300), totimespan(1e300), todatetime('0000-00-00'), todatetime('10000-01-01')",
            "print totimespan('99999999.00:00:00'), totimespan('-1'), todatetime(''), tobool('maybe'), tolong(''), todouble('NaN')",
            "print 1d * 1e20, 1d / 0, 1d / 0s, 9223372036854775807tick + 1tick, -1d * 9223372036854775807",
            "print ago(9223372036854775807tick), now(-9223372036854775807tick), ago(-3650000d)",
            "EmailEvents | where Timestamp > ago(99999999d) | count",
            "print d = dynamic({'a':{'b':{'c':[1,[2,[3,[4,{'e':[5]}]]]]}}}) | extend x = d.a.b.c[1][1][1][1].e[0], y = d.a.b.c[9][9][9], z = d['a']['q'][0]",
            "print dynamic(" + "[".repeat(3000) + "]".repeat(3000) + ")",
            "print parse_json('" + "[".repeat(5000) + "]".repeat(5000) + "')",
            "print parse_json('" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3000) + "')",
            "print x = " + "(".repeat(3000) + "1" + ")".repeat(3000),
            "print x = " + "-".repeat(3000) + "1",
            "print x = " + "not(".repeat(2000) + "true" + ")".repeat(2000),
            "print x = 1" + " + 1".repeat(5000),
            "EmailEvents" + " | where true".repeat(2000),
            "print split('', ''), split('abc', ''), split('', 'x')[0], split('a,b', ',')[-5], split('a,b', ',', 7)",
            "print substring('', -5, -1), substring('abc', 10), substring('abc', -1, 2), substring('abc', 1, -1), substring('abc', 2, 9223372036854775807)",
            "print indexof('', '', -10), indexof('abc', 'b', 100), indexof('abc', '', 1, -1, 3), indexof('abc', 'c', -1, 9223372036854775807), indexof('abc', 'b', 0, 1, -2)",
            "print tolower('İSTANBUL ΣΑΣ ǅ \\uD800 \\uDFFF'), toupper('ßŉǰ ﬃ'), strlen('👍🏽'), reverse('a👍b'), substring('👍', 1, 1), tolower('\\u0000')",
            "print 'x' has '👍', '👍 a' has 'a', 'ﬃ' has 'ffi', 'Σ' =~ 'σ', 'İ' has 'i', '\\uD800' contains '\\uDC00'",
            "print '" + "a".repeat(20_000) + "b' matches regex '(a+)+$'",
            "print extract('(a+)+$', 0, '" + "a".repeat(20_000) + "!'), extract_all('(a|aa)+', '" + "a".repeat(5000) + "')",
            "print 'x' matches regex '(', extract('[', 1, 'a'), replace_regex('abc', '', 'x'), extract('a', 5, 'a'), extract('a', -1, 'a')",
            "print extract_all('(a)(b)?', 'ab a'), extract_all('', 'abc'), countof('aaa', ''), countof('aaa', '', 'regex'), countof('aaa', '(', 'regex')",
            "print replace_regex('abc', '(b)', '$9'), replace_regex('abc', 'b', '\\\\'), replace_regex('abc', 'b', '$'), replace_string('aaa', '', 'x')",
            "print round(1.5, 1000), round(1e308, -400), round(2.5, -9223372036854775807), pow(10, 400), sqrt(-1), log(0), log10(-1), exp(1000)",
            "print datetime_add('year', 10000, now()), datetime_add('month', 2147483647, now()), datetime_add('day', -9223372036854775807, now())",
            "print datetime_diff('nanosecond', datetime(9999-12-31), datetime(0001-01-01)), datetime_diff('quarter', now(), now()), datetime_diff('bogus', now(), now())",
            "print datetime_add('nanosecond', 9223372036854775807, now()), datetime_add('week', 1, datetime(null))",
            "print format_datetime(now(), 'yyyy-MM-dd'), format_datetime(now(), ''), format_datetime(now(), 'QQQQ'), format_datetime(now(), \"'\"), format_datetime(datetime(0001-01-01), 'yyyy')",
            "print startofmonth(datetime(0001-01-01), -1), endofyear(datetime(9999-12-31)), startofweek(datetime(0001-01-01)), endofmonth(datetime(9999-12-31), 5)",
            "print startofday(now(), 9223372036854775807), startofyear(now(), -9223372036854775807), dayofweek(datetime(0001-01-01)), week_of_year(datetime(9999-12-31))",
            "print parse_ipv4('999.1.1.1'), ipv4_is_in_range('1.2.3.4', '1.2.3.0/99'), ipv4_is_match('1.2.3.4', '1.2.3.5', 40), ipv4_is_private(''), ipv4_is_in_range('', '')",
            "print parse_url('::::'), parse_url('http://[::1'), parse_url(''), parse_url('%'), url_decode('%'), url_decode('%zz'), url_encode('\\uD800')",
            "print base64_decode_tostring('!!!'), base64_decode_tostring('////'), base64_encode_tostring('\\uD800'), hash_sha256('')",
            "print parse_json('{'), parse_json('1e999'), tostring(parse_json('[1,2')), parse_json(''), parse_json('null').a, todynamic('\"x\"')[0]",
            "print strcat_delim('', ''), pack_array(), array_length(dynamic(null)), array_length(dynamic({})), bag_keys(dynamic([1])), array_strcat(dynamic(1), ',')",
            "print array_concat(dynamic(1), dynamic([1])), array_index_of(dynamic([1,2]), 'x'), set_has_element(dynamic(null), 1), pack('a'), pack(1, 2)",
            "print case(), iff(), coalesce(), strcat(), tostring(), not(), isempty()",
            "print case(true), iff(1, 2, 3), coalesce(1, 'a'), tostring(1, 2), isnull(dynamic(null)), gettype(dynamic(null))",
            "EmailEvents | join kind=inner EmailEvents on NetworkMessageId | count",
            "EmailEvents | join EmailEvents on $left.Subject == $right.SenderFromAddress",
            "EmailEvents | join kind=fullouter (EmailEvents | take 0) on NetworkMessageId | count",
            "EmailEvents | join kind=inner EmailEvents on EmailDirection | join kind=inner EmailEvents on EmailDirection | count",
            "EmailEvents | join kind=rightanti EmailEvents on EmailClusterId | count",
            "EmailEvents | extend d = parse_json(AuthenticationDetails) | join (EmailEvents | extend d = parse_json(AuthenticationDetails)) on d",
            "EmailEvents | join (EmailAttachmentInfo) on $left.EmailClusterId == $right.FileSize",
            "EmailEvents | join (EmailAttachmentInfo) on $left.Timestamp == $right.FileName",
            "EmailEvents | take 0", "EmailEvents | top 0 by Timestamp", "EmailEvents | take -1", "EmailEvents | take 9223372036854775807",
            "EmailEvents | top 9223372036854775807 by Subject asc nulls first", "EmailEvents | limit 1.5", "EmailEvents | take 'x'",
            "EmailEvents | where Subject == 'none' | summarize count(), dcount(Subject), avg(AttachmentCount), sum(EmailClusterId), min(Timestamp), make_set(Subject), arg_max(Timestamp, *)",
            "EmailEvents | where Subject == 'none' | summarize percentile(AttachmentCount, 50), percentiles(AttachmentCount, 5, 95), stdev(AttachmentCount), variance(AttachmentCount)",
            "EmailEvents | summarize percentile(AttachmentCount, 200), percentile(AttachmentCount, -1), stdev(AttachmentCount), variance(BulkComplaintLevel) by EmailDirection",
            "EmailEvents | summarize sum(EmailClusterId * 9223372036854775807), avg(EmailClusterId * 9223372036854775807), sum(todouble(EmailClusterId) * 1e308)",
            "EmailEvents | summarize arg_max(Timestamp, *) by Timestamp", "EmailEvents | summarize arg_max(Subject, *), arg_min(Subject, *) by Subject",
            "EmailEvents | summarize make_set(Subject, 0), make_list(Subject, -1), make_set(Subject, 9223372036854775807), make_bag(parse_json(AuthenticationDetails))",
            "EmailEvents | summarize count() by parse_json(AuthenticationDetails)", "EmailEvents | summarize dcount(parse_json(AuthenticationDetails)), min(parse_json(AdditionalFields))",
            "EmailEvents | sort by parse_json(AuthenticationDetails) asc", "EmailEvents | top 3 by parse_json(AuthenticationDetails)",
            "EmailEvents | distinct Subject, Subject", "EmailEvents | summarize count() by Subject, Subject", "EmailEvents | summarize count(), count()",
            "union (print a = 1), (print a = 'x')", "union (EmailEvents | project X = AttachmentCount), (EmailAttachmentInfo | project X = FileName)",
            "EmailEvents | union (print Timestamp = 'str') | count", "union withsource=Subject EmailEvents, EmailUrlInfo | take 1",
            "union EmailEvents, EmailEvents, EmailEvents | count", "union isfuzzy=true EmailEvents, Nope | count", "union (EmailEvents | take 0), (EmailUrlInfo | take 0)",
            "EmailEvents | extend a = 1, a = 2", "EmailEvents | extend Subject = 1, Subject = 'x'", "print a = 1, a = 2", "print a = 1 | extend a = 'x' | extend a = dynamic([a])",
            "EmailEvents | project-rename Subject = NetworkMessageId", "EmailEvents | project-rename A = Subject, A = NetworkMessageId",
            "EmailEvents | project-rename Subject = Subject", "EmailEvents | project a = Subject, a = NetworkMessageId", "EmailEvents | project-rename A = Nope",
            "EmailEvents | project-away *", "EmailEvents | project-away * | count", "EmailEvents | project-keep Nope*", "EmailEvents | project-reorder Subject, Subject, *",
            "EmailEvents | project-away Subject | project Subject", "EmailEvents | extend Column1 = 1, 2", "EmailEvents | project 1, 2, Column1 = 3",
            "print x = 1 | where x between (10 .. 1)", "print x = datetime(null) | where x between (ago(1d) .. now())", "print x = 1 | where x between ('a' .. 'b')",
            "EmailEvents | where Subject has '' | count", "EmailEvents | where Subject has_any () | count", "EmailEvents | where Subject in () | count",
            "EmailEvents | where Subject has_all (dynamic([])) | count", "EmailEvents | where Subject matches regex '' | count", "EmailEvents | where Subject in (dynamic(null))",
            "EmailEvents | where AttachmentCount in ('a', 1, 2.5, datetime(null)) | count", "EmailEvents | where Subject in~ (EmailUrlInfo | project Url) | count",
            "EmailEvents | where Subject in ((EmailEvents | project AttachmentCount))", "EmailEvents | where Subject has_any ((EmailUrlInfo | take 0 | project Url))",
            "print toscalar(EmailEvents | count), toscalar(EmailEvents | take 0 | project Subject), toscalar(EmailEvents | take 0 | project EmailClusterId)",
            "print toscalar(EmailEvents | project-away *)", "print toscalar(print 1, 2)",
            "let x = x; print x", "let T = T | take 1; T", "let T = EmailEvents; let T = T | take 1; T | count", "let f = 1; f | take 1", "let T = EmailEvents; print T",
            "EmailEvents | mv-expand Subject", "EmailEvents | evaluate bag_unpack(Subject)", "EmailEvents | invoke f()", "EmailEvents | render", "EmailEvents | render nonsense with (x=1, y=)",
            "print x = geo_info_from_ip_address('1.2.3.4')", "print nosuchfunction(1)", "EmailEvents | where count() > 0", "EmailEvents | summarize Subject",
            "EmailEvents | summarize count() by count()", "EmailEvents | extend x = arg_max(Timestamp, *)", "EmailEvents | summarize arg_max(*, Timestamp)",
            "EmailEvents | where Timestamp + 1 > 0", "EmailEvents | where Timestamp - Timestamp > 1", "EmailEvents | extend x = Subject + 1",
            "EmailEvents | extend x = -Subject", "EmailEvents | extend x = not(Subject)", "EmailEvents | where Subject", "EmailEvents | where EmailClusterId",
            "EmailEvents | extend x = parse_json(AuthenticationDetails) | where x.SPF > 1 and x > 1 and x == x and x[0] < 'a'",
            "EmailEvents | extend x = parse_json(AuthenticationDetails) | summarize sum(x.SPF), avg(toreal(x.DMARC)), max(x) by tostring(x)",
            "EmailEvents | extend x = parse_json(AuthenticationDetails) | sort by x.SPF | take 3",
            "EmailEvents | extend x = parse_json(AuthenticationDetails) | distinct x", "EmailEvents | extend x = parse_json(AuthenticationDetails) | top 3 by tostring(x.CompAuth) asc",
            "print dynamic([1, 'a', null, {'b': 2}]) == dynamic([1])", "print dynamic(1) + 1, dynamic('a') + 'b', dynamic(null) * 2",
            "datatable(a:string)[]", "datatable(a:long)['x']", "datatable(a:int)[9999999999999]", "datatable(a:datetime, b:dynamic)['nope', '{']",
            "", " ", ";", "|", "// only a comment", "EmailEvents |", "| take 1", "let", "let x = ;", "print", "print ,", "print x =",
            "EmailEvents\u0000| take 1", "EmailEvents | where Subject == '\\uD800'", "EmailEvents | where Subject == \"\\x\"", "h'secret' | take 1"
    );

    @Test
    void nastyQueriesRunOrFailCleanlyOverFullAndEmptyTables() {
        checkAll(NASTY, DB);
        checkAll(NASTY, EMPTY);
    }

    @Test
    void zeroRowsAndEmptyTablesGiveTheRightShape() {
        QueryResult take0 = KqlEngineFuzzTest.check("EmailEvents | take 0", DB);
        assertThat(take0.rows()).isEmpty();
        assertThat(take0.columns()).hasSize(39);
        assertThat(KqlEngineFuzzTest.check("EmailEvents | top 0 by Timestamp", DB).rows()).isEmpty();
        assertThat(Tables.text(KqlEngineFuzzTest.check("EmailEvents | summarize count(), make_set(Subject)", EMPTY))).containsExactly(List.of("0", "[]"));
        assertThat(KqlEngineFuzzTest.check("EmailEvents | summarize arg_max(Timestamp, *) by NetworkMessageId", EMPTY).rows()).isEmpty();
        assertThat(KqlEngineFuzzTest.check("EmailEvents | join EmailUrlInfo on NetworkMessageId", EMPTY).columns()).hasSize(45);
    }
}
