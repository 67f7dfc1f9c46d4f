// What names mean where an expression or a tabular reference is compiled: let bindings, then the catalog's tables.
package dev.gatehouse.kql;

import java.util.HashMap;
import java.util.Map;

final class Env {
    sealed interface Binding permits Scalar, Tabular {}

    /** A scalar or list {@code let}, evaluated once. */
    record Scalar(KqlType type, Object value) implements Binding {}

    /** A tabular {@code let}: planned where it is used, in the scope it was defined in. */
    record Tabular(Ast.Tabular body, Env scope) implements Binding {}

    final Catalog catalog;
    private final Map<String, Binding> bindings;

    Env(Catalog catalog) {
        this.catalog = catalog;
        this.bindings = Map.of();
    }

    private Env(Catalog catalog, Map<String, Binding> bindings) {
        this.catalog = catalog;
        this.bindings = bindings;
    }

    Env with(String name, Binding b) {
        Map<String, Binding> m = new HashMap<>(bindings);
        m.put(name, b);
        return new Env(catalog, m);
    }

    Binding get(String name) { return bindings.get(name); }

    /** A table or tabular let of that name exists. */
    boolean isTabular(String name) {
        Binding b = bindings.get(name);
        if (b != null) return b instanceof Tabular;
        return catalog.table(name) != null;
    }
}
