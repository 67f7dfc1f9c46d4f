// The columns of the Inbound messages report's details table and its CSV export: the admin centre's headings, values and order.
package dev.gatehouse.web.pages.reports;

import java.util.Comparator;

import dev.gatehouse.trace.InboundMessagesReport.Row;

/**
 * "Connector report details", as Exchange's admin centre heads them (spec §10), one per property of
 * {@link Row}; the constant's name is the property's, which is also the {@code sort} parameter. Text columns sort
 * A to Z first, the date and the counts newest or largest first.
 */
enum InboundColumn {
    Date("Date", false), ConnectorDirectionAndName("Connector direction and name", false), ConnectorType("Connector type", false),
    ForcedTls("Forced TLS?", false), NoTls("No TLS", true), Tls10("TLS 1.0", true), Tls11("TLS 1.1", true), Tls12("TLS 1.2", true),
    Tls13("TLS 1.3", true), Volume("Volume", true);

    final String heading;
    final boolean count;

    InboundColumn(String heading, boolean count) {
        this.heading = heading;
        this.count = count;
    }

    /** The value a CSV cell holds: the date as an ISO 8601 instant (UTC), the rest as the report gives them. */
    Object value(Row r) {
        return switch (this) {
            case Date -> r.Date();
            case ConnectorDirectionAndName -> r.ConnectorDirectionAndName();
            case ConnectorType -> r.ConnectorType();
            case ForcedTls -> r.ForcedTls();
            case NoTls -> r.NoTls();
            case Tls10 -> r.Tls10();
            case Tls11 -> r.Tls11();
            case Tls12 -> r.Tls12();
            case Tls13 -> r.Tls13();
            case Volume -> r.Volume();
        };
    }

    /** Which way a first click sorts: names A to Z, dates and counts from the newest or largest. */
    boolean descendingFirst() { return this == Date || count; }

    /** The order by this column, then by date and connector (oldest first, A to Z) so that equal values keep their place. */
    Comparator<Row> order(boolean descending) {
        Comparator<Row> by = switch (this) {
            case Date -> Comparator.comparing(Row::Date);
            case ConnectorDirectionAndName, ConnectorType, ForcedTls ->
                    Comparator.comparing(r -> (String) value(r), String.CASE_INSENSITIVE_ORDER);
            default -> Comparator.comparingLong(r -> (Long) value(r));
        };
        return (descending ? by.reversed() : by).thenComparing(Row::Date)
                .thenComparing(Row::ConnectorDirectionAndName, String.CASE_INSENSITIVE_ORDER);
    }

    /** The column named by {@code sort}, or null. */
    static InboundColumn named(String sort) {
        for (InboundColumn c : values()) if (c.name().equalsIgnoreCase(sort)) return c;
        return null;
    }
}
