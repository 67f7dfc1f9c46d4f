// Invoke-HuntingQuery: Defender's advanced hunting (a KQL query over the organization's mail tables) as a cmdlet.
package dev.gatehouse.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletException;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.hunting.HuntingSchema;
import dev.gatehouse.hunting.HuntingService;
import dev.gatehouse.kql.ColumnarTable;
import dev.gatehouse.kql.KqlException;
import dev.gatehouse.kql.KqlType;
import dev.gatehouse.kql.QueryResult;
import dev.gatehouse.kql.Values;

/**
 * Thin: bind, call {@link HuntingService#run(long, String, dev.gatehouse.kql.KqlEngine.Options)} for the organization of the call, and
 * return one map per result row (column → value in the result's order), so the default view is a table of the
 * query's columns and {@code --json} gives them as JSON. A cut-short result is said with a warning, a query the
 * engine refuses is the cmdlet's error with its line:column.
 *
 * <p>Also the one place that recognizes a KQL query pasted into the PowerShell shell ({@link #kqlAdvice}): the
 * registry adds its advice to the parse error, for the shell, scripts and REST alike.
 */
final class HuntingCmdlets {
    private HuntingCmdlets() {}

    /** The article's Direct Send query (spec §9.4), verbatim: the example a newcomer will try first. */
    static final String ARTICLE_QUERY = """
            EmailEvents
            | where Timestamp > ago(30d)
            | where EmailDirection == 'Inbound' and Connectors == '' and isnotempty(SenderIPv4)
            | project Timestamp, RecipientEmailAddress, SenderFromAddress, Subject, NetworkMessageId, EmailDirection, Connectors, SenderIPv4, SenderIPv6""";

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(CmdletDefinition.<AdminContext>builder("Invoke-HuntingQuery")
                .synopsis("Runs an advanced hunting query (KQL, as in Microsoft Defender) over the organization's last 30 days of "
                        + "mail: EmailEvents, EmailAttachmentInfo, EmailUrlInfo and EmailPostDeliveryEvents. One object per "
                        + "row, with the query's columns in its order; at most 30,000 rows, 10 minutes.")
                .parameter(ParameterDefinition.of("Query", ParameterType.string()).required().at(0)
                        .describedAs("The KQL query, as Defender's advanced hunting takes it. In double quotes a query may span "
                                + "lines and keep its single quotes; in single quotes, double each ' inside it. A long query "
                                + "is easier with gatehouse hunt -f query.kql."))
                .parameter(ParameterDefinition.of("RowLimit", ParameterType.int32(1, HuntingService.ROW_CAP))
                        .describedAs("At most this many rows (1 to 30,000, Defender's limit and the default). More rows than "
                                + "that are cut off with a warning."))
                .example("Invoke-HuntingQuery -Query \"" + ARTICLE_QUERY + "\"",
                        "The Exchange team's Direct Send query: the mail of the last 30 days that came in through no connector.")
                .example("Invoke-HuntingQuery \"EmailEvents | where Timestamp > ago(7d) | summarize Messages = count() by "
                                + "SenderIPv4, Connectors | sort by Messages\"",
                        "How many messages each sending IP address sent in the last 7 days, and through which connector.")
                .example("Invoke-HuntingQuery 'EmailEvents | take 100' -RowLimit 10 | Format-List",
                        "Ten messages with every column, one property a line; a warning says the rows were cut to 10.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Invoke-HuntingQuery");
                    int cap = p.get("RowLimit") instanceof Integer n ? n : HuntingService.ROW_CAP;
                    QueryResult result;
                    try {
                        result = ctx.services().hunting().run(t, p.string("Query"), HuntingService.rowLimit(cap));
                    } catch (KqlException e) {
                        throw new CmdletException(e.getMessage());
                    }
                    if (result.truncated()) p.writeWarning(truncated(result.rowCap()));
                    return rows(result);
                }).build());
    }

    /** The warning of a cut-short result: {@code The results were truncated to 30,000 rows ...}. */
    static String truncated(int rowCap) {
        return "The results were truncated to " + String.format(Locale.US, "%,d", rowCap) + (rowCap == 1 ? " row" : " rows") + "; narrow the query "
                + "(where, summarize, take) to see the rest.";
    }

    /**
     * The rows as the portal shows them: one map per row in column order; datetimes and timespans as their ISO
     * text, dynamic values as JSON text, numbers as numbers.
     */
    static List<Object> rows(QueryResult r) {
        List<Object> out = new ArrayList<>(r.rows().size());
        List<ColumnarTable.Column> columns = r.columns();
        for (Object[] row : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                KqlType type = columns.get(i).type();
                Object v = row[i];
                m.put(columns.get(i).name(), type == KqlType.DYNAMIC ? (v == null ? null : Values.toText(type, v)) : Values.toJson(type, v));
            }
            out.add(m);
        }
        return out;
    }

    // ---- a KQL query pasted where PowerShell was expected ----------------------------------------------------------

    private static final List<String> TABLES = List.of(HuntingSchema.EMAIL_EVENTS, HuntingSchema.EMAIL_ATTACHMENT_INFO,
            HuntingSchema.EMAIL_URL_INFO, HuntingSchema.EMAIL_POST_DELIVERY_EVENTS);
    private static final Pattern LET = Pattern.compile("let\\s+[A-Za-z_][A-Za-z0-9_]*\\s*=.*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static final String KQL_ADVICE = "This looks like a KQL query (advanced hunting), not PowerShell. Run it with: gatehouse hunt "
            + "-f query.kql (or run gatehouse hunt, paste the query and press Ctrl-D), or in this shell: Invoke-HuntingQuery "
            + "-Query '<the query>' (with each ' inside it doubled).";

    /**
     * {@link #KQL_ADVICE} when {@code script} reads as KQL: its first line (KQL's {@code //} comments left out) starts
     * with {@code let name =}, or with one of the hunting tables, or is a bare name (no Verb-Noun dash) that a
     * {@code |} follows on the same or the next line.
     */
    static Optional<String> kqlAdvice(String script) {
        List<String> lines = script.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("//")).limit(2).toList();
        if (lines.isEmpty()) return Optional.empty();
        String first = lines.getFirst();
        int bar = first.indexOf('|');
        String head = (bar < 0 ? first : first.substring(0, bar)).strip();
        boolean piped = bar >= 0 || lines.size() > 1 && lines.get(1).startsWith("|");
        boolean kql = LET.matcher(first).matches() || TABLES.contains(head) || NAME.matcher(head).matches() && piped;
        return kql ? Optional.of(KQL_ADVICE) : Optional.empty();
    }
}
