// The attribution verdict for one accepted recipient: connector, direction, authentication, Direct Send.
package dev.gatehouse.attribution;

/**
 * What spec §1.3 asks the gateway to keep per message (here per recipient, since one transaction can
 * reach several tenants, each with its own connectors).
 *
 * @param connector      the inbound connector's name; "" for the tenant's default connector ("no connector")
 * @param matchedBy      {@code Certificate}, {@code IP}, or "" for the default connector
 * @param directionality {@code Incoming} or {@code Originating}
 * @param authAs         {@code Anonymous} or {@code Internal}
 * @param authMechanism  {@code 10} for a hybrid (CloudServicesMailEnabled) OnPremises connector, else null
 * @param fromEntity     {@code Internet} or {@code HybridOnPrem} (X-MS-Exchange-CrossTenant-FromEntityHeader)
 * @param directSend     Incoming through the default connector with a MAIL FROM domain the tenant accepts:
 *                       what RejectDirectSend would refuse (the Direct Send readiness report counts these)
 * @param relay          an Originating message to a recipient no tenant accepts (outbound relay)
 */
public record Attribution(String connector, String matchedBy, String directionality, String authAs, String authMechanism,
                          String fromEntity, boolean directSend, boolean relay) {

    static Attribution defaultConnector(boolean directSend) {
        return new Attribution("", "", "Incoming", "Anonymous", null, "Internet", directSend, false);
    }

    /** The tenant's own stamp fields (spec §4.1), CRLF-terminated, for that tenant's copy of the message. */
    public String stampHeaders(String tenantGuid, String authSource) {
        StringBuilder sb = new StringBuilder();
        sb.append("X-EOPAttributedMessage: 0\r\n");
        sb.append("X-EOPTenantAttributedMessage: ").append(tenantGuid).append(":0\r\n");
        sb.append("X-MS-Exchange-Organization-MessageDirectionality: ").append(directionality).append("\r\n");
        sb.append("X-MS-Exchange-Organization-AuthSource: ").append(authSource).append("\r\n");
        sb.append("X-MS-Exchange-Organization-AuthAs: ").append(authAs).append("\r\n");
        if (authMechanism != null) sb.append("X-MS-Exchange-Organization-AuthMechanism: ").append(authMechanism).append("\r\n");
        sb.append("X-MS-Exchange-CrossTenant-Id: ").append(tenantGuid).append("\r\n");
        sb.append("X-MS-Exchange-CrossTenant-AuthSource: ").append(authSource).append("\r\n");
        sb.append("X-MS-Exchange-CrossTenant-AuthAs: ").append(authAs).append("\r\n");
        sb.append("X-MS-Exchange-CrossTenant-FromEntityHeader: ").append(fromEntity).append("\r\n");
        return sb.toString();
    }

    /** A hybrid OnPremises connector (CloudServicesMailEnabled): its cross-premises headers are promoted. */
    public boolean promotesCrossPremisesHeaders() { return "10".equals(authMechanism); }

    /**
     * The stamp for a message that arrived with {@code X-MS-Exchange-CrossPremises-*} fields (given as
     * name suffix → value, e.g. {@code AuthSource → ORSMSX603.amr.corp.example}). Only through a hybrid
     * connector (CloudServicesMailEnabled, spec §3.1) are they promoted: each becomes the
     * {@code X-MS-Exchange-Organization-} field of the same suffix, replacing the gateway's own value (so
     * AuthSource names the on-premises server, as in Exchange), and the copy is marked
     * {@code X-CrossPremisesHeadersPromoted}/{@code -Filtered}. Anywhere else they were already removed by the
     * header firewall and are ignored here. The network message id is never taken from outside.
     */
    public String stampHeaders(String tenantGuid, String authSource, java.util.List<java.util.Map.Entry<String, String>> crossPremises) {
        String own = stampHeaders(tenantGuid, authSource);
        if (!promotesCrossPremisesHeaders()) return own;
        java.util.Map<String, String> promoted = new java.util.LinkedHashMap<>();
        for (var e : crossPremises) {
            String suffix = e.getKey();
            if (suffix.equalsIgnoreCase("Network-Message-Id") || !suffix.matches("[A-Za-z0-9-]{1,64}")) continue;
            String name = "X-MS-Exchange-Organization-" + suffix;
            promoted.put(name.toLowerCase(java.util.Locale.ROOT), name + ": " + printable(e.getValue()));
        }
        StringBuilder sb = new StringBuilder();
        for (String line : own.split("\r\n")) {
            String key = line.substring(0, line.indexOf(':')).toLowerCase(java.util.Locale.ROOT);
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
