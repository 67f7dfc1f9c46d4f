// Builds well-formed KQL queries from a stream of choices, so fuzz tests reach deep into the parser.
package dev.gatehouse.kql;

import java.util.function.IntUnaryOperator;

/** Lets, every source and supported operator, nested expressions and every literal form, all chosen by the caller. */
final class KqlQueryGenerator {
    private static final String[] TABLES = {"EmailEvents", "EmailAttachmentInfo", "EmailUrlInfo", "['Email Post Delivery']", "T"};
    private static final String[] COLUMNS = {"Timestamp", "Subject", "SenderFromAddress", "NetworkMessageId", "5_Min_Count",
        "['Malware Emails']", "count_", "AttachmentCount", "by", "kind"};
    private static final String[] LITERALS = {"30d", "1.5h", "24hrs", "0min", "10ms", "2ticks", "'str'", "\"q\\\"uote\"",
        "@'verb''atim'", "h'hidden'", "```multi\nline```", "0x1F", "1e3", "42", "-1", "true", "FALSE", "datetime(2025-01-01)",
        "datetime(2025-01-01 10:00:00)", "time(1.02:03:04)", "long(null)", "int(5)", "dynamic(['a', 1, {'k': true}])",
        "dynamic(null)", "guid(74be27de-1e4e-49d9-b579-fe0b331d3642)", "''"};
    private static final String[] BINARY = {"==", "!=", "<", ">", "<=", ">=", "=~", "!~", "has", "!has", "has_cs", "contains",
        "!contains", "startswith", "endswith", "matches regex", "+", "-", "*", "/", "%", "and", "or", "hasprefix", "!hassuffix"};
    private static final String[] LIST_OPS = {"in", "!in", "in~", "!in~", "has_any", "has_all"};
    private static final String[] FUNCTIONS = {"ago", "tostring", "isnotempty", "strcat", "parse_json", "bin", "not", "iff", "count"};
    private static final String[] SEPARATORS = {" ", " ", "\n", " // note | where\n", "\u00a0", "\r\n", "\t"};
    private static final String[] JOIN_KINDS = {"inner", "leftouter", "LeftAnti", "rightsemi", "innerunique", "anti"};

    private final IntUnaryOperator choose;
    private final StringBuilder sb = new StringBuilder();
    private int budget = 120;

    private KqlQueryGenerator(IntUnaryOperator choose) { this.choose = choose; }

    /** A query; {@code choose.applyAsInt(n)} returns a number in [0, n). */
    static String generate(IntUnaryOperator choose) {
        KqlQueryGenerator g = new KqlQueryGenerator(choose);
        for (int lets = g.pick(3); lets > 0; lets--) g.let();
        g.tabular(0);
        if (g.pick(3) == 0) g.sb.append(';');
        return g.sb.toString();
    }

    private int pick(int n) { return Math.floorMod(choose.applyAsInt(n), n); }

    private String one(String[] options) { return options[pick(options.length)]; }

    private boolean spend() { return --budget > 0; }

    private void sep() { sb.append(one(SEPARATORS)); }

    private void let() {
        sb.append("let L").append(pick(5)).append(" = ");
        switch (pick(3)) {
            case 0 -> expr(0);
            case 1 -> { sb.append('('); tabular(1); sb.append(')'); }
            default -> tabular(1);
        }
        sb.append(';');
        sep();
    }

    private void tabular(int depth) {
        source(depth);
        for (int ops = pick(5); ops > 0 && spend(); ops--) {
            sep();
            sb.append("| ");
            operator(depth);
        }
    }

    private void source(int depth) {
        switch (depth < 2 && spend() ? pick(6) : 0) {
            case 1 -> { sb.append('('); tabular(depth + 1); sb.append(')'); }
            case 2 -> sb.append("union ").append(one(TABLES)).append(", (").append(one(TABLES)).append(" | take 1)");
            case 3 -> sb.append("datatable(A:string, B:long)['x', 1, 'y', -2]");
            case 4 -> { sb.append("print x = "); expr(0); }
            default -> sb.append(one(TABLES));
        }
    }

    private void operator(int depth) {
        switch (pick(14)) {
            case 0 -> { sb.append("where "); expr(0); }
            case 1 -> { sb.append("project "); column(); sb.append(", Named = "); expr(0); }
            case 2 -> { sb.append("extend E = "); expr(0); }
            case 3 -> { sb.append("summarize hint.strategy=shuffle C = count(), arg_max(Timestamp, *) by bin(Timestamp, 1h), "); column(); }
            case 4 -> { sb.append("top 10 by "); expr(0); sb.append(pick(2) == 0 ? " asc nulls first" : ""); }
            case 5 -> { sb.append("sort by "); column(); sb.append(pick(2) == 0 ? " asc" : " desc nulls last"); }
            case 6 -> sb.append(pick(2) == 0 ? "take 5" : "limit 5");
            case 7 -> { sb.append("distinct "); column(); }
            case 8 -> sb.append("count");
            case 9 -> {
                sb.append("join kind=").append(one(JOIN_KINDS)).append(" hint.remote=auto ");
                if (depth < 2 && pick(2) == 0) { sb.append('('); tabular(depth + 1); sb.append(')'); } else sb.append(one(TABLES));
                sb.append(pick(2) == 0 ? " on NetworkMessageId" : " on $left.A == $right.B, Key");
            }
            case 10 -> sb.append("project-away Network*Id, Timestamp1");
            case 11 -> sb.append("project-rename New = Old, ['N 2'] = O2");
            case 12 -> sb.append("union kind=outer withsource=Src isfuzzy=true ").append(one(TABLES));
            default -> sb.append("render columnchart with (title='t', kind=stacked)");
        }
    }

    private void column() { sb.append(one(COLUMNS)); }

    /** Nested operations are parenthesised, so no two non-chainable operators meet without parentheses. */
    private void expr(int depth) {
        if (depth > 6 || !spend()) {
            atom();
            return;
        }
        switch (pick(8)) {
            case 0, 1 -> { sb.append('('); expr(depth + 1); sb.append(' ').append(one(BINARY)).append(' '); expr(depth + 1); sb.append(')'); }
            case 2 -> {
                sb.append(one(FUNCTIONS)).append(pick(2) == 0 ? "(" : " (");
                for (int args = pick(3); args >= 0; args--) { expr(depth + 1); if (args > 0) sb.append(", "); }
                sb.append(')');
            }
            case 3 -> {
                sb.append('('); column(); sb.append(' ').append(one(LIST_OPS)).append(" (");
                switch (pick(3)) {
                    case 0 -> sb.append("'a', 'b'");
                    case 1 -> sb.append("L1");
                    default -> sb.append(one(TABLES)).append(" | project Url");
                }
                sb.append("))");
            }
            case 4 -> { sb.append('('); column(); sb.append(pick(2) == 0 ? " between (" : " !between ("); expr(depth + 1); sb.append(" .. "); expr(depth + 1); sb.append("))"); }
            case 5 -> { sb.append("parse_json("); column(); sb.append(pick(2) == 0 ? ").DMARC" : ")['SPF'][0]"); }
            case 6 -> { sb.append("toscalar(").append(one(TABLES)).append(" | count)"); }
            default -> atom();
        }
    }

    private void atom() {
        if (pick(2) == 0) column(); else sb.append(one(LITERALS));
    }
}
