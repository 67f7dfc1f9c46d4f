// Small in-memory hunting tables for the engine's tests, built through the same ColumnarTable the gateway fills.
package dev.gatehouse.kql;

import dev.gatehouse.kql.ColumnarTable.Column;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

final class Tables implements Catalog {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final Map<String, ColumnarTable> tables = new HashMap<>();

    /** A table whose schema is given as {@code "Name:type"} strings; {@code chunkRows} small so queries cross chunks. */
    ColumnarTable add(String name, int chunkRows, String... columns) {
        List<Column> schema = new ArrayList<>();
        for (String c : columns) {
            String[] p = c.split(":");
            KqlType t = null;
            for (KqlType k : KqlType.values()) if (k.kqlName().equals(p[1])) t = k;
            schema.add(new Column(p[0], t));
        }
        return add(name, chunkRows, schema);
    }

    /** A table with the given schema (the real hunting schemas, for instance). */
    ColumnarTable add(String name, int chunkRows, List<Column> schema) {
        ColumnarTable t = new ColumnarTable(name, schema, "Timestamp", chunkRows);
        tables.put(name, t);
        return t;
    }

    @Override public ColumnarTable.Snapshot table(String name) {
        ColumnarTable t = tables.get(name);
        return t == null ? null : t.snapshot();
    }

    @Override public Set<String> tableNames() { return tables.keySet(); }

    QueryResult run(String kql) { return run(kql, 30_000); }

    QueryResult run(String kql, int cap) {
        return KqlEngine.run(kql, this, new KqlEngine.Options(cap, java.time.Duration.ofSeconds(30), NOW, 50_000_000L), () -> false);
    }

    /** Rows as lists of their text values ({@link Values#toText}), for compact assertions. */
    static List<List<String>> text(QueryResult r) {
        List<List<String>> out = new ArrayList<>();
        for (Object[] row : r.rows()) {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < row.length; i++) l.add(Values.toText(r.columns().get(i).type(), row[i]));
            out.add(l);
        }
        return out;
    }

    static List<String> names(QueryResult r) { return r.columns().stream().map(Column::name).toList(); }

    static Instant hoursAgo(double h) { return NOW.minusSeconds((long) (h * 3600)); }
}
