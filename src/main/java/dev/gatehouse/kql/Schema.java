// The columns of a relation at one point of a pipeline, by name.
package dev.gatehouse.kql;

import dev.gatehouse.kql.ColumnarTable.Column;

import java.util.List;

record Schema(List<Column> columns) {
    Schema {
        columns = List.copyOf(columns);
    }

    int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equals(name)) return i;
        return -1;
    }

    int size() { return columns.size(); }

    Column get(int i) { return columns.get(i); }

    KqlType type(int i) { return columns.get(i).type(); }

    String name(int i) { return columns.get(i).name(); }

    boolean has(String name) { return indexOf(name) >= 0; }

    /** {@code name}, or {@code name1}, {@code name2}, ... whichever is not yet taken (Kusto's rule for clashes). */
    String unique(String name, java.util.Set<String> taken) {
        if (!taken.contains(name)) return name;
        for (int i = 1; ; i++) if (!taken.contains(name + i)) return name + i;
    }
}
