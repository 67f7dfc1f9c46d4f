// Every table has one owner, and only the owner names it in SQL (DESIGN.md, "Parts and the rules between them").
// Read from the main sources: the SQL inside Java string literals (comments ignored, literals joined by + read as
// one string), and the CREATE TABLE statements of the migration scripts under src/main/resources/db.
package dev.gatehouse;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

class TableOwnershipTest {

    /** Maven runs the tests with the project directory as the working directory. */
    private static final Path MAIN = Path.of("src/main");
    private static final Path MAIN_JAVA = MAIN.resolve("java");
    private static final Path MIGRATIONS = MAIN.resolve("resources/db");
    private static final String ROOT = "dev.gatehouse";

    /** Table to the top-level package (under dev.gatehouse) that owns it: the only one whose SQL names it. */
    static final Map<String, String> OWNERS = Map.ofEntries(
            entry("messages", "queue"), entry("recipients", "queue"),
            entry("message_variants", "queue"), entry("message_events", "queue"),
            entry("hourly_outcomes", "queue"), entry("hourly_inbound", "queue"), entry("hourly_direct_send", "queue"),
            entry("hourly_horizon", "queue"),
            entry("tenants", "directory"), entry("accepted_domains", "directory"), entry("mailboxes", "directory"),
            entry("mailbox_addresses", "directory"), entry("org_config", "directory"),
            entry("inbound_connectors", "connector"),
            entry("transport_rules", "rules"),
            entry("quarantine", "quarantine"), entry("quarantine_audit", "quarantine"),
            entry("admin_tokens", "admin"),
            entry("refusals", "attribution"),
            entry("historical_searches", "reports"),
            entry("hunting_content", "hunting"),
            entry("config_version", "store"), entry("schema_version", "store"));

    /**
     * The one table no migration can create: the migration runner's own record of the migrations applied
     * (store.Migrations creates it before running any script). Table to the package allowed to create it.
     */
    static final Map<String, String> BOOTSTRAP_TABLES = Map.of("schema_version", "store");

    /**
     * A table named right after one of these keywords (DELETE FROM is a FROM), as a whole identifier, optionally
     * quoted; {@code IF [NOT] EXISTS} is skipped so that {@code CREATE TABLE IF NOT EXISTS t} names t.
     */
    private static final Pattern SQL_TABLE = Pattern.compile(
            "(?<![\\w$])(FROM|INTO|UPDATE|JOIN|TABLE)\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?\"?([A-Za-z_][\\w$]*)",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern CREATE_TABLE = Pattern.compile(
            "(?<![\\w$])CREATE\\s+(?:(?:GLOBAL|LOCAL)\\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\\s+)?TABLE\\s+"
                    + "(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?([A-Za-z_][\\w$]*)",
            Pattern.CASE_INSENSITIVE);

    @Test
    void everyTableHasAnOwner() throws IOException {
        Set<String> tables = tables();
        assertThat(tables).as("tables created by %s/*.sql", MIGRATIONS).isNotEmpty();
        Set<String> unowned = new TreeSet<>(tables);
        unowned.removeAll(OWNERS.keySet());
        assertThat(unowned).as("tables created by %s/*.sql without an owner in TableOwnershipTest.OWNERS", MIGRATIONS)
                .isEmpty();
        Set<String> stale = new TreeSet<>(OWNERS.keySet());
        stale.removeAll(tables);
        assertThat(stale).as("tables in TableOwnershipTest.OWNERS that no migration creates").isEmpty();
    }

    @Test
    void onlyTheOwnerOfATableNamesItInSql() throws IOException {
        Set<String> tables = tables();
        List<SqlRef> refs = new ArrayList<>();
        for (Path file : javaFiles()) refs.addAll(sqlRefs(file, Files.readString(file), tables));
        assertThat(refs).as("SQL table references found under %s (is the working directory the project?)", MAIN_JAVA)
                .isNotEmpty();

        List<String> violations = new ArrayList<>();
        for (SqlRef r : refs) {
            String owner = OWNERS.get(r.table());
            String part = topLevelPackage(r.file());
            if (owner == null) {
                violations.add(r.where() + ": table " + r.table() + " (\"" + r.sql() + "\") has no owner in OWNERS");
            } else if (!owner.equals(part)) {
                violations.add(r.where() + ": table " + r.table() + " (\"" + r.sql() + "\") is owned by "
                        + ROOT + "." + owner + ", but this file is in " + packageOf(r.file()));
            }
        }
        assertThat(violations).as("only the owner of a table may name it in SQL").isEmpty();
    }

    @Test
    void onlyTheMigrationScriptsCreateTables() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(MAIN)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            if (isMigration(file)) continue;
            String text = read(file);
            if (file.toString().endsWith(".java")) {
                for (StringExpr e : stringExpressions(text)) {
                    Matcher m = CREATE_TABLE.matcher(e.text());
                    while (m.find()) {
                        String table = m.group(1).toLowerCase(Locale.ROOT);
                        if (topLevelPackage(file).equals(BOOTSTRAP_TABLES.get(table))) continue;
                        violations.add(file + ":" + e.lineAt(m.start()) + ": \"" + m.group() + "\"");
                    }
                }
            } else {
                Matcher m = CREATE_TABLE.matcher(text);
                while (m.find()) violations.add(file + ":" + lineOf(text, m.start()) + ": \"" + m.group() + "\"");
            }
        }
        assertThat(violations).as("CREATE TABLE outside the migration scripts %s/*.sql", MIGRATIONS).isEmpty();
    }

    /** The scanner itself: SQL is read only from string literals, after a keyword, as a whole identifier. */
    @Test
    void scannerReadsTablesOnlyFromStringLiteralsAfterAKeyword() {
        String src = String.join("\n",
                "// SELECT * FROM messages: a line comment",
                "/* DELETE FROM tenants */ /** UPDATE recipients, a doc comment */",
                "class X {",
                "  char q = '\"'; char e = '\\''; String a = \"SELECT id FROM quarantine_audit WHERE x = '\\\"'\"; // FROM messages",
                "  String b = \"SELECT r.id FROM recipients r\"",
                "      + \" JOIN messages m ON m.id = r.message_id\";",
                "  String c = \"SELECT 1 FROM\" + /* split */ // here",
                "      \"\\ttenants\";",
                "  String d = \"the messages of the tenants, released from a quarantine_log\";",
                "  String f = \"\"\"",
                "      delete from \"Mailboxes\" where 1 = 1 -- \\\"\"\" is not the end",
                "      \"\"\";",
                "  String g = \"DELETE FROM \" + table + \" WHERE x\";",
                "}");
        Set<String> tables = Set.of("messages", "tenants", "recipients", "mailboxes", "quarantine", "quarantine_audit");
        List<String> found = sqlRefs(Path.of("X.java"), src, tables).stream()
                .map(r -> r.line() + " " + r.table() + " " + r.sql()).toList();
        assertThat(found).containsExactly(
                "4 quarantine_audit FROM quarantine_audit",
                "5 recipients FROM recipients",
                "6 messages JOIN messages",
                "8 tenants FROM\ttenants",
                "11 mailboxes from \"Mailboxes");
    }

    // ---- tables ----

    /** The tables the migration scripts create, plus the migration runner's own. */
    private static Set<String> tables() throws IOException {
        Set<String> tables = new TreeSet<>(BOOTSTRAP_TABLES.keySet());
        List<Path> scripts;
        try (Stream<Path> s = Files.list(MIGRATIONS)) {
            scripts = s.filter(TableOwnershipTest::isMigration).sorted().toList();
        }
        assertThat(scripts).as("migration scripts under %s", MIGRATIONS).isNotEmpty();
        for (Path script : scripts) {
            String sql = Files.readString(script).replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\n]*", " ");
            Matcher m = CREATE_TABLE.matcher(sql);
            while (m.find()) tables.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return tables;
    }

    private static boolean isMigration(Path file) {
        return file.getParent() != null && file.getParent().normalize().equals(MIGRATIONS.normalize())
                && file.getFileName().toString().endsWith(".sql");
    }

    // ---- SQL references ----

    record SqlRef(Path file, int line, String table, String sql) {
        String where() {
            return file + ":" + line;
        }
    }

    static List<SqlRef> sqlRefs(Path file, String src, Set<String> tables) {
        List<SqlRef> out = new ArrayList<>();
        for (StringExpr e : stringExpressions(src)) {
            Matcher m = SQL_TABLE.matcher(e.text());
            while (m.find()) {
                String table = m.group(2).toLowerCase(Locale.ROOT);
                if (tables.contains(table)) out.add(new SqlRef(file, e.lineAt(m.start(2)), table, m.group()));
            }
        }
        return out;
    }

    private static List<Path> javaFiles() throws IOException {
        assertThat(MAIN_JAVA).as("main sources (the working directory must be the project)").isDirectory();
        try (Stream<Path> s = Files.walk(MAIN_JAVA)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** dev.gatehouse.queue.x for src/main/java/dev/gatehouse/queue/x/Foo.java. */
    private static String packageOf(Path file) {
        Path dir = MAIN_JAVA.relativize(file).getParent();
        return dir == null ? "" : dir.toString().replace(file.getFileSystem().getSeparator(), ".");
    }

    /** "queue" for a file in dev.gatehouse.queue or below it; "" for anything else. */
    private static String topLevelPackage(Path file) {
        if (!file.normalize().startsWith(MAIN_JAVA.normalize())) return "";
        String pkg = packageOf(file);
        if (!pkg.startsWith(ROOT + ".")) return "";
        return pkg.substring(ROOT.length() + 1).split("\\.")[0];
    }

    // ---- a small Java lexer: string expressions, comments skipped ----

    /** The decoded text of string literals joined by {@code +}, with the source line of each of its characters. */
    record StringExpr(String text, int[] lines) {
        int lineAt(int index) {
            return lines.length == 0 ? 0 : lines[Math.min(index, lines.length - 1)];
        }
    }

    /** Builds one string expression, character by character, keeping each character's source line. */
    private static final class ExprBuilder {
        final StringBuilder text = new StringBuilder();
        int[] lines = new int[64];

        void append(char c, int line) {
            if (text.length() == lines.length) lines = java.util.Arrays.copyOf(lines, lines.length * 2);
            lines[text.length()] = line;
            text.append(c);
        }

        StringExpr build() {
            return new StringExpr(text.toString(), java.util.Arrays.copyOf(lines, text.length()));
        }
    }

    /**
     * Every string expression of a Java source: literals (plain and text blocks, escapes decoded) that follow
     * each other with only {@code +}, white space and comments between them are one expression. Comments and
     * character literals are skipped; anything else between literals ends the expression.
     */
    static List<StringExpr> stringExpressions(String src) {
        List<StringExpr> out = new ArrayList<>();
        ExprBuilder expr = null;
        boolean afterLiteral = false, afterPlus = false;
        int i = 0, n = src.length(), line = 1;
        while (i < n) {
            char c = src.charAt(i);
            if (src.startsWith("//", i)) {
                int j = src.indexOf('\n', i);
                i = j < 0 ? n : j;
            } else if (src.startsWith("/*", i)) {
                int j = src.indexOf("*/", i + 2);
                if (j < 0) throw new IllegalStateException("unterminated comment at line " + line);
                line += count(src, '\n', i, j);
                i = j + 2;
            } else if (c == '"') {
                boolean block = src.startsWith("\"\"\"", i);
                if (expr == null || !afterPlus) {
                    if (expr != null) out.add(expr.build());
                    expr = new ExprBuilder();
                }
                int startLine = line;
                int j = block ? i + 3 : i + 1;
                while (true) {
                    if (j >= n || (!block && src.charAt(j) == '\n')) {
                        throw new IllegalStateException("unterminated string at line " + startLine);
                    }
                    char d = src.charAt(j);
                    if (d == '\\') {
                        StringBuilder decoded = new StringBuilder();
                        int k = unescape(src, j, decoded);
                        for (int q = 0; q < decoded.length(); q++) expr.append(decoded.charAt(q), line);
                        line += count(src, '\n', j, k);
                        j = k;
                    } else if (block ? src.startsWith("\"\"\"", j) : d == '"') {
                        j += block ? 3 : 1;
                        break;
                    } else {
                        expr.append(d, line);
                        if (d == '\n') line++;
                        j++;
                    }
                }
                afterLiteral = true;
                afterPlus = false;
                i = j;
            } else if (c == '\'') {
                int j = i + 1;
                if (j < n && src.charAt(j) == '\\') j += 2;
                while (j < n && src.charAt(j) != '\'') j++;
                i = j + 1;
                afterLiteral = afterPlus = false;
            } else if (Character.isWhitespace(c)) {
                if (c == '\n') line++;
                i++;
            } else {
                if (c == '+' && afterLiteral) {
                    afterPlus = true;
                } else {
                    if (expr != null) out.add(expr.build());
                    expr = null;
                    afterPlus = false;
                }
                afterLiteral = false;
                i++;
            }
        }
        if (expr != null) out.add(expr.build());
        return out;
    }

    private static int count(String s, char c, int from, int to) {
        int k = 0;
        for (int q = from; q < to; q++) if (s.charAt(q) == c) k++;
        return k;
    }

    /** Decodes the escape at src[j] (a backslash) into out; returns the index after it. */
    private static int unescape(String src, int j, StringBuilder out) {
        char e = j + 1 < src.length() ? src.charAt(j + 1) : '\\';
        switch (e) {
            case 'b' -> out.append('\b');
            case 't' -> out.append('\t');
            case 'n' -> out.append('\n');
            case 'f' -> out.append('\f');
            case 'r' -> out.append('\r');
            case 's' -> out.append(' ');
            case '\n' -> { } // a text block's line continuation
            default -> {
                if (e >= '0' && e <= '7') {
                    int k = j + 1, v = 0;
                    int max = e <= '3' ? 3 : 2;
                    while (k < src.length() && k < j + 1 + max && src.charAt(k) >= '0' && src.charAt(k) <= '7') {
                        v = v * 8 + (src.charAt(k) - '0');
                        k++;
                    }
                    out.append((char) v);
                    return k;
                }
                out.append(e); // \" \' \\ (and anything else, taken literally)
            }
        }
        return j + 2;
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int k = 0; k < index; k++) if (text.charAt(k) == '\n') line++;
        return line;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            try {
                return Files.readString(file, StandardCharsets.ISO_8859_1); // not text; still searched
            } catch (IOException e2) {
                throw new UncheckedIOException(e2);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
