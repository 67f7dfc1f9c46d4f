// Public entry to the CSV form of output objects (Export-Csv's), for callers outside the cmdlet runner.
package dev.gatehouse.cmdlet;

import java.util.List;

/** The same CSV that {@code Export-Csv} writes: a header row of the first object's properties, every field quoted. */
public final class CsvValues {

    private CsvValues() {}

    public static String render(List<Object> objects) { return CsvOutput.render(objects); }
}
