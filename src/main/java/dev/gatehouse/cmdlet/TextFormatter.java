// Renders objects as PowerShell-style tables and lists, and chooses the default view for a pipeline's output.
package dev.gatehouse.cmdlet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Package-private text formatting. Tables: one column per property of the first object, width from the
 * content, values longer than the cap truncated with {@code ...}, numeric columns right-aligned (header and
 * dashes too, as PowerShell aligns a column's header like its values), header underlined with dashes as long
 * as the header. Lists: {@code Name : value}, names padded to the longest, objects
 * separated by a blank line. Default view: a list for one object, a table for several (property names
 * from the first object), scalars one per line.
 */
final class TextFormatter {
    static final int COLUMN_CAP = 40;
    static final int AUTOSIZE_CAP = 200;

    private TextFormatter() {}

    /** The properties named by {@code patterns} (wildcards * and ?) in {@code sample}'s order; null = all. */
    static List<String> select(Object sample, List<String> patterns) {
        List<String> names = ObjectView.propertyNames(sample);
        if (patterns == null || patterns.isEmpty()) return names;
        List<String> out = new ArrayList<>();
        for (String pattern : patterns) {
            if (pattern.contains("*") || pattern.contains("?")) {
                Pattern p = wildcard(pattern);
                for (String n : names) if (p.matcher(n).matches() && !out.contains(n)) out.add(n);
            } else {
                String canonical = names.stream().filter(n -> n.equalsIgnoreCase(pattern)).findFirst().orElse(pattern);
                if (!out.contains(canonical)) out.add(canonical);
            }
        }
        return out;
    }

    static Pattern wildcard(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    static Object value(Object o, String property) {
        return ObjectView.property(o, property).map(ObjectView.Property::value).orElse(null);
    }

    static String table(List<Object> objects, List<String> patterns, boolean autoSize) {
        if (objects.isEmpty()) return "";
        Object first = objects.getFirst();
        if (!ObjectView.hasProperties(first) && (patterns == null || patterns.isEmpty())) return scalars(objects);
        List<String> columns = select(first, patterns);
        int cap = autoSize ? AUTOSIZE_CAP : COLUMN_CAP;
        List<List<String>> rows = new ArrayList<>();
        int[] width = new int[columns.size()];
        boolean[] numeric = new boolean[columns.size()];
        java.util.Arrays.fill(numeric, true);
        for (int i = 0; i < columns.size(); i++) width[i] = Math.min(columns.get(i).length(), cap);
        for (Object o : objects) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                Object v = value(o, columns.get(i));
                if (v != null && !(v instanceof Number)) numeric[i] = false;
                String cell = Display.format(v).replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
                row.add(cell);
                width[i] = Math.min(Math.max(width[i], cell.length()), cap);
            }
            rows.add(row);
        }
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>();
        List<String> rule = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            header.add(fit(columns.get(i), width[i]));
            rule.add("-".repeat(Math.min(columns.get(i).length(), width[i])));
        }
        line(sb, header, width, numeric);
        line(sb, rule, width, numeric);
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) cells.add(fit(row.get(i), width[i]));
            line(sb, cells, width, numeric);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width, boolean[] right) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) l.append(' ');
            String c = cells.get(i);
            String pad = " ".repeat(Math.max(0, width[i] - c.length()));
            l.append(right[i] ? pad + c : c + pad);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    private static String fit(String s, int width) {
        if (s.length() <= width) return s;
        if (width <= 3) return s.substring(0, width);
        return s.substring(0, width - 3) + "...";
    }

    static String list(List<Object> objects, List<String> patterns) {
        StringBuilder sb = new StringBuilder();
        for (Object o : objects) {
            if (!sb.isEmpty()) sb.append('\n');
            if (!ObjectView.hasProperties(o) && (patterns == null || patterns.isEmpty())) {
                sb.append(Display.format(o)).append('\n');
                continue;
            }
            List<String> names = select(o, patterns);
            int pad = names.stream().mapToInt(String::length).max().orElse(0);
            for (String n : names) {
                String v = Display.format(value(o, n));
                String indent = "\n" + " ".repeat(pad + 3);
                sb.append(n).append(" ".repeat(pad - n.length())).append(" : ")
                        .append(v.replace("\r\n", "\n").replace("\n", indent)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String scalars(List<Object> objects) {
        StringBuilder sb = new StringBuilder();
        for (Object o : objects) {
            String s = Display.format(o);
            sb.append(s);
            if (!s.endsWith("\n")) sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * The default view of a pipeline's output: runs of already formatted text and scalars are printed as they
     * are; each run of objects of one class is a list if it has one object, a table otherwise.
     */
    static String defaultOutput(List<Object> objects) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < objects.size()) {
            Object o = objects.get(i);
            int j = i + 1;
            if (ObjectView.hasProperties(o)) {
                while (j < objects.size() && sameShape(o, objects.get(j))) j++;
                List<Object> run = objects.subList(i, j);
                if (!sb.isEmpty() && !sb.toString().endsWith("\n\n")) sb.append('\n');
                sb.append(run.size() == 1 ? list(run, null) : table(run, null, false));
            } else {
                sb.append(scalars(List.of(o)));
            }
            i = j;
        }
        return sb.toString();
    }

    private static boolean sameShape(Object a, Object b) {
        if (!ObjectView.hasProperties(b)) return false;
        if (a.getClass().isRecord()) return a.getClass() == b.getClass();
        return ObjectView.propertyNames(a).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()
                .equals(ObjectView.propertyNames(b).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
    }

    /** Objects reduced to the selected properties (Select-Object -Property). */
    static Object pick(Object o, List<String> patterns) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        for (String n : select(o, patterns)) out.put(n, value(o, n));
        return out;
    }
}
