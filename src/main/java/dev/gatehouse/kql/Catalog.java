// The tables a query may name: one tenant's hunting tables.
package dev.gatehouse.kql;

import java.util.Set;

public interface Catalog {
    /** The named table's rows as of now, or null when there is no such table (names are case-sensitive). */
    ColumnarTable.Snapshot table(String name);

    /** Every table name, for "unknown table" messages and the schema list. */
    Set<String> tableNames();
}
