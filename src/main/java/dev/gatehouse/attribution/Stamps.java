// A tenant's own stamp fields (spec §4.1): what its copy of a message says about how the message arrived.
package dev.gatehouse.attribution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.gatehouse.pipeline.Attribution;

/**
 * The {@code X-EOP*}, {@code X-MS-Exchange-Organization-*} and {@code X-MS-Exchange-CrossTenant-*} fields
 * of one tenant's copy, written from its {@link Attribution}. They are inserted below the gateway's trace
 * fields when the copy is delivered ({@code mail.TenantCopy}); the header firewall removed any field of these
 * names that came from outside, so each appears exactly once, with the gateway's value.
 */
public final class Stamps {
    private Stamps() {}

    /** The tenant's own stamp fields, CRLF-terminated. */
    public static String of(Attribution a, String tenantGuid, String authSource) {
        StringBuilder sb = new StringBuilder();
        sb.append("X-EOPAttributedMessage: 0\r\n");
        sb.append("X-EOPTenantAttributedMessage: ").append(tenantGuid).append(":0\r\n");
        sb.append("X-MS-Exchange-Organization-MessageDirectionality: ").append(a.directionality()).append("\r\n");
        sb.append("X-MS-Exchange-Organization-AuthSource: ").append(authSource).append("\r\n");
        sb.append("X-MS-Exchange-Organization-AuthAs: ").append(a.authAs()).append("\r\n");
        if (a.authMechanism() != null) sb.append("X-MS-Exchange-Organization-AuthMechanism: ").append(a.authMechanism()).append("\r\n");
        sb.append("X-MS-Exchange-CrossTenant-Id: ").append(tenantGuid).append("\r\n");
        sb.append("X-MS-Exchange-CrossTenant-AuthSource: ").append(authSource).append("\r\n");
        sb.append("X-MS-Exchange-CrossTenant-AuthAs: ").append(a.authAs()).append("\r\n");
        sb.append("X-MS-Exchange-CrossTenant-FromEntityHeader: ").append(a.fromEntity()).append("\r\n");
        return sb.toString();
    }

    /**
     * The stamp for a message that arrived with {@code X-MS-Exchange-CrossPremises-*} fields (given as
     * name suffix → value, e.g. {@code AuthSource → ORSMSX603.amr.corp.example}). Only through a hybrid
     * connector (CloudServicesMailEnabled, spec §3.1) are they promoted: each becomes the
     * {@code X-MS-Exchange-Organization-} field of the same suffix, replacing the gateway's own value (so
     * AuthSource names the on-premises server, as in Exchange), and the copy is marked
     * {@code X-CrossPremisesHeadersPromoted}/{@code -Filtered}. Anywhere else they were already removed by the
     * header firewall and are ignored here. The network message id is never taken from outside.
     */
    public static String of(Attribution a, String tenantGuid, String authSource, List<Map.Entry<String, String>> crossPremises) {
        String own = of(a, tenantGuid, authSource);
        if (!a.promotesCrossPremisesHeaders()) return own;
        Map<String, String> promoted = new LinkedHashMap<>();
        for (var e : crossPremises) {
            String suffix = e.getKey();
            if (suffix.equalsIgnoreCase("Network-Message-Id") || !suffix.matches("[A-Za-z0-9-]{1,64}")) continue;
            String name = "X-MS-Exchange-Organization-" + suffix;
            promoted.put(name.toLowerCase(Locale.ROOT), name + ": " + printable(e.getValue()));
        }
        StringBuilder sb = new StringBuilder();
        for (String line : own.split("\r\n")) {
            String key = line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT);
            String p = promoted.remove(key);
            sb.append(p != null ? p : line).append("\r\n");
        }
        for (String p : promoted.values()) sb.append(p).append("\r\n");
        sb.append("X-CrossPremisesHeadersPromoted: ").append(authSource).append("\r\n");
        sb.append("X-CrossPremisesHeadersFiltered: ").append(authSource).append("\r\n");
        return sb.toString();
    }

    /** Printable characters only, at most 998: a promoted value can't start a new header line. */
    private static String printable(String v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length() && sb.length() < 998; i++) {
            char c = v.charAt(i);
            if (c >= 0x20 && c != 0x7f) sb.append(c);
        }
        return sb.toString().strip();
    }
}
