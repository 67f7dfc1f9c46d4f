// The attribution verdict for one accepted recipient: connector, direction, authentication, Direct Send.
package dev.gatehouse.pipeline;

import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;

/**
 * What spec §1.3 asks the gateway to keep per message (here per recipient, since one transaction can
 * reach several tenants, each with its own connectors). Decided by attribution at RCPT TO; read by the
 * later stages (stamps, the header-From check, rules) and stored with the recipient.
 *
 * @param connector      the inbound connector's name; "" for the tenant's default connector ("no connector")
 * @param matchedBy      {@code Certificate}, {@code IP}, or "" for the default connector
 * @param authMechanism  {@code 10} for a hybrid (CloudServicesMailEnabled) OnPremises connector, else null
 * @param fromEntity     {@code Internet} or {@code HybridOnPrem} (X-MS-Exchange-CrossTenant-FromEntityHeader)
 * @param directSend     Incoming through the default connector with a MAIL FROM domain the tenant accepts:
 *                       what RejectDirectSend would refuse (the Direct Send readiness report counts these)
 * @param relay          an Originating message to a recipient no tenant accepts (outbound relay)
 */
public record Attribution(String connector, String matchedBy, Directionality directionality, AuthAs authAs, String authMechanism,
                          String fromEntity, boolean directSend, boolean relay) {

    /** The tenant's invisible default connector: anonymous Internet mail. */
    public static Attribution defaultConnector(boolean directSend) {
        return new Attribution("", "", Directionality.Incoming, AuthAs.Anonymous, null, "Internet", directSend, false);
    }

    /** Anonymous mail through the default connector ("no connector"): what Direct Send checks look at. */
    public boolean anonymousDefault() { return connector.isEmpty() && directionality == Directionality.Incoming; }

    /** A hybrid OnPremises connector (CloudServicesMailEnabled): its cross-premises headers are promoted. */
    public boolean promotesCrossPremisesHeaders() { return "10".equals(authMechanism); }

    /** The same attribution for a recipient no tenant accepts, relayed outbound. */
    public Attribution relayed() {
        return new Attribution(connector, matchedBy, directionality, authAs, authMechanism, fromEntity, false, true);
    }
}
