// The scalar types of KQL that the hunting tables and queries use.
package dev.gatehouse.kql;

/**
 * How a value of each type is held when it is boxed (literals, per-row evaluation, results):
 * {@code bool} a {@link Boolean}; {@code int} and {@code long} a {@link Long}; {@code real} a {@link Double};
 * {@code string} a {@link String}, never null (a missing string is {@code ""}); {@code datetime} a {@link Long}
 * of 100-ns ticks since 1970-01-01T00:00:00Z (UTC); {@code timespan} a {@link Long} of 100-ns ticks;
 * {@code dynamic} a Jackson {@code JsonNode}. Null is Java {@code null} for every type but string.
 */
public enum KqlType {
    BOOL("bool"), INT("int"), LONG("long"), REAL("real"), DATETIME("datetime"), TIMESPAN("timespan"),
    STRING("string"), DYNAMIC("dynamic");

    private final String kql;

    KqlType(String kql) { this.kql = kql; }

    /** The name KQL and Defender's schema use ({@code string}, {@code datetime}, ...). */
    public String kqlName() { return kql; }

    /** Defender's API schema type name ({@code String}, {@code DateTime}, {@code Int32}, ...). */
    public String apiName() {
        return switch (this) {
            case BOOL -> "Boolean";
            case INT -> "Int32";
            case LONG -> "Int64";
            case REAL -> "Double";
            case DATETIME -> "DateTime";
            case TIMESPAN -> "TimeSpan";
            case STRING -> "String";
            case DYNAMIC -> "Object";
        };
    }

    public boolean isNumeric() { return this == INT || this == LONG || this == REAL; }

    @Override public String toString() { return kql; }
}
