// CSV as a spreadsheet opens it safely: RFC 4180 quoting, UTF-8 with a byte order mark, no formulas.
package dev.gatehouse.reports;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Cells come from mail (subjects, addresses, HELO names): a subject such as {@code =HYPERLINK(...)} would be a
 * live formula in Excel or LibreOffice. A cell that starts with {@code = + - @}, a tab or a carriage return
 * therefore gets a leading apostrophe (OWASP's advice for CSV injection); a spreadsheet shows the text, and the
 * apostrophe tells a script reader what happened. A lone {@code -} (the reports' "none") is no formula and stays as
 * it is. Every cell is quoted when it holds a comma, a quote or a line break. Public for the admin centre's CSV
 * exports (inbound report, hunting), so every CSV is made safe alike.
 */
public final class Csv {
    private Csv() {}

    public static final String BOM = "\uFEFF";

    public static void row(Writer w, List<?> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) w.write(',');
            w.write(cell(cells.get(i)));
        }
        w.write("\r\n");
    }

    public static String cell(Object value) {
        String v = value == null ? "" : value.toString();
        if (!v.isEmpty() && !v.equals("-") && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) v = "'" + v;
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) return v;
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
