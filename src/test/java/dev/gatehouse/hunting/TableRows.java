// Test helper: a columnar table's rows as maps of column name to value (the evaluator isn't written yet).
package dev.gatehouse.hunting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.kql.Catalog;
import dev.gatehouse.kql.ColumnarTable;
import dev.gatehouse.kql.KqlType;
import dev.gatehouse.kql.Ticks;

/** Values as a query would show them: strings, datetimes as Instants, numbers as Long/Integer, nulls as null. */
final class TableRows {
    private TableRows() {}

    static List<Map<String, Object>> of(Catalog catalog, String table) {
        return of(catalog.table(table));
    }

    /** The visible rows (those at or after the snapshot's retention floor), in append order. */
    static List<Map<String, Object>> of(ColumnarTable.Snapshot s) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<ColumnarTable.Column> schema = s.schema();
        int time = s.table().timeColumnIndex();
        for (ColumnarTable.Chunk c : s.chunks()) {
            for (int r = 0; r < c.rows; r++) {
                if (((ColumnarTable.LongData) c.columns[time]).values()[r] < s.floorTicks()) continue;
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < schema.size(); i++) row.put(schema.get(i).name(), value(c.columns[i], schema.get(i).type(), r));
                out.add(row);
            }
        }
        return out;
    }

    private static Object value(ColumnarTable.ColumnData d, KqlType type, int r) {
        return switch (d) {
            case ColumnarTable.StringData s -> s.value(r);
            case ColumnarTable.GuidData g -> g.value(r);
            case ColumnarTable.TextData t -> t.value(r);
            case ColumnarTable.ConstData k -> type == KqlType.DATETIME && k.value() != null ? Ticks.toInstant((Long) k.value()) : type == KqlType.INT && k.value() != null ? (Object) ((Long) k.value()).intValue() : k.value();
            case ColumnarTable.IntData i -> i.isNull(r) ? null : (Object) i.values()[r];
            case ColumnarTable.RealData x -> x.isNull(r) ? null : (Object) x.values()[r];
            case ColumnarTable.LongData l -> l.isNull(r) ? null : type == KqlType.DATETIME ? Ticks.toInstant(l.values()[r]) : (Object) l.values()[r];
        };
    }
}
