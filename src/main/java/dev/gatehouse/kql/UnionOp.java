// union: rows of several tables, columns matched by name; a column missing from one input is empty there.
package dev.gatehouse.kql;

import dev.gatehouse.kql.ColumnarTable.Column;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kind=outer} (the default) keeps every column of every input; {@code kind=inner} only those all inputs have.
 * Two inputs with one column name and different types give two columns, the later one named {@code Name_type}, as
 * Kusto does. {@code withsource=C} adds a first column with the name of each row's table.
 */
final class UnionOp {
    private UnionOp() {}

    static Rel of(List<Rel> inputs, List<String> names, String kind, String withSource, Pos pos, Ctx ctx) {
        boolean inner = "inner".equalsIgnoreCase(kind);
        if (kind != null && !inner && !"outer".equalsIgnoreCase(kind)) throw new KqlException("unknown union kind '" + kind + "' (inner, outer)", pos);
        Map<String, KqlType> cols = new LinkedHashMap<>();
        List<List<String>> inputNames = new ArrayList<>();
        for (Rel r : inputs) {
            List<String> mine = new ArrayList<>();
            for (Column c : r.schema.columns()) {
                String name = c.name();
                KqlType have = cols.get(name);
                if (have != null && have != c.type()) name = name + "_" + c.type().kqlName();
                cols.putIfAbsent(name, c.type());
                mine.add(name);
            }
            inputNames.add(mine);
        }
        if (inner) cols.keySet().removeIf(n -> inputNames.stream().anyMatch(l -> !l.contains(n)));
        List<Column> out = new ArrayList<>();
        if (withSource != null) out.add(new Column(withSource, KqlType.STRING));
        cols.forEach((n, t) -> out.add(new Column(n, t)));
        Schema schema = new Schema(out);
        List<int[]> placement = new ArrayList<>();
        List<Rel> ins = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            Rel r = inputs.get(k);
            Rel in = r;
            if (withSource != null) {
                // the source name as the input's last column, then placed first
                List<Column> c = new ArrayList<>(r.schema.columns());
                c.add(new Column("\u0000source", KqlType.STRING));
                CExpr[] outs = new CExpr[c.size()];
                for (int i = 0; i < r.schema.size(); i++) outs[i] = new CExpr.Column(i, r.schema.name(i), r.schema.type(i), pos);
                outs[c.size() - 1] = new CExpr.Const(KqlType.STRING, names.get(k), pos);
                in = new Rel.Map(r, new Schema(c), outs);
            }
            int[] place = new int[schema.size()];
            List<String> mine = inputNames.get(k);
            for (int c = 0; c < schema.size(); c++) {
                String n = schema.name(c);
                place[c] = withSource != null && c == 0 ? r.schema.size() : mine.indexOf(n);
            }
            placement.add(place);
            ins.add(in);
        }
        return new Rel.Union(schema, ins, placement);
    }
}
