// Grouping and join keys: values that are equal in KQL are equal as Java map keys.
package dev.gatehouse.kql;

final class Keys {
    private Keys() {}

    /** -0.0 and 0.0 group together; everything else is already a value type with equals. */
    static Object normalize(Object v) {
        if (v instanceof Double d && d == 0.0) return 0.0;
        return v;
    }
}
