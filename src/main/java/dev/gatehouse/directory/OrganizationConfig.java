// A tenant's organization settings (Get-OrganizationConfig), as key/value pairs.
package dev.gatehouse.directory;

import java.util.Map;
import java.util.TreeMap;

/** Keys are compared case-insensitively (RejectDirectSend == rejectdirectsend). */
public record OrganizationConfig(long tenantId, Map<String, String> values) {
    public OrganizationConfig {
        TreeMap<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(values);
        values = java.util.Collections.unmodifiableMap(m);
    }

    public String get(String key) { return values.get(key); }

    public boolean getBoolean(String key, boolean defaultValue) {
        String v = values.get(key);
        return v == null ? defaultValue : Boolean.parseBoolean(v.strip().replace("$", ""));
    }
}
