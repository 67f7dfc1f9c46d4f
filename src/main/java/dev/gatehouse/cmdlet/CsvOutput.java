// Writes objects as CSV the way PowerShell's Export-Csv does: a header row, every field double-quoted.
package dev.gatehouse.cmdlet;

import java.util.List;

/**
 * Package-private CSV rendering: columns are the first object's properties (a scalar has one column,
 * {@code Value}); quotes inside a field are doubled; lists are joined with ", "; no {@code #TYPE} line
 * (PowerShell 7's default, so -NoTypeInformation changes nothing); lines end with the platform newline.
 */
final class CsvOutput {
    private CsvOutput() {}

    static String render(List<Object> objects) {
        if (objects.isEmpty()) return "";
        String nl = System.lineSeparator();
        Object first = objects.getFirst();
        boolean scalar = !ObjectView.hasProperties(first);
        List<String> columns = scalar ? List.of("Value") : ObjectView.propertyNames(first);
        StringBuilder sb = new StringBuilder();
        row(sb, columns.stream().map(c -> (Object) c).toList());
        sb.append(nl);
        for (Object o : objects) {
            row(sb, columns.stream().map(c -> scalar ? o : TextFormatter.value(o, c)).toList());
            sb.append(nl);
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, List<Object> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append('"').append(Display.csv(values.get(i)).replace("\"", "\"\"")).append('"');
        }
    }
}
