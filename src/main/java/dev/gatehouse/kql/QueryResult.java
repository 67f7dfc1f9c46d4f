// What a query returns: the schema, the rows (capped), and the chart hint of a final render.
package dev.gatehouse.kql;

import java.util.List;
import java.util.Map;

/**
 * @param columns       the result's columns in order
 * @param rows          one array per row, values boxed as {@link KqlType} says
 * @param truncated     true when more rows matched than the row cap let through
 * @param rowCap        the cap in force
 * @param visualization the chart kind of a final {@code render} ({@code timechart}, {@code columnchart}, ...), or null
 * @param renderProperties the {@code with (...)} properties of that render (title, xcolumn, ...), values as text
 */
public record QueryResult(List<ColumnarTable.Column> columns, List<Object[]> rows, boolean truncated, int rowCap,
                          String visualization, Map<String, String> renderProperties) {}
