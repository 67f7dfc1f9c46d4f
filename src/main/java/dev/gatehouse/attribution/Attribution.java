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
}
