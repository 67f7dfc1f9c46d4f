// The header fields only Gatehouse may write: the header firewall's list, defined once.
package dev.gatehouse.mail;

import java.util.List;

/**
 * Exchange's header firewall (spec §4.1): {@code X-MS-Exchange-Organization-*}, {@code
 * X-MS-Exchange-CrossTenant-*} and {@code X-MS-Exchange-CrossPremises-*} fields, the EOP attribution
 * markers, Enhanced Filtering's original-sender fields, and the sender-authentication fields ({@code
 * Authentication-Results}, {@code Received-SPF}, the antispam report: Exchange writes them without an
 * authserv-id, so one from outside can't be told from the gateway's), are the gateway's own verdicts. Any that
 * arrive from outside are removed before anything reads
 * the message, and none is ever copied into a report (NDR, notification) that leaves the organization.
 * Names are compared ignoring ASCII case only; {@link HeaderSection} guarantees a name is ASCII.
 */
public final class ProtectedHeaders {
    private ProtectedHeaders() {}

    /** Lower-cased prefixes of the protected names. */
    public static final List<String> PREFIXES = List.of(
            "x-ms-exchange-organization-", "x-ms-exchange-crosstenant-", "x-ms-exchange-crosspremises-",
            "x-eopattributedmessage", "x-eoptenantattributedmessage", "x-crosspremisesheaders",
            "x-ms-exchange-skiplistedinternetsender", "x-ms-exchange-externaloriginalinternetsender",
            // sender authentication's verdicts (spec §4.2): a sender's own "compauth=pass" must not reach a rule or a mail client
            "authentication-results", "received-spf", "x-forefront-antispam-report", "x-microsoft-antispam");

    /** The prefix of the organization's internal stamps, removed from mail that leaves through the relay. */
    public static final String ORGANIZATION_PREFIX = "x-ms-exchange-organization-";

    /** The prefix of the on-premises fields a hybrid connector may promote (spec §3.1). */
    public static final String CROSS_PREMISES_PREFIX = "x-ms-exchange-crosspremises-";

    public static boolean isProtected(HeaderField f) { return isProtected(f.name()); }

    public static boolean isProtected(String name) {
        for (String p : PREFIXES) if (Text.startsWithIgnoreAsciiCase(name, p)) return true;
        return false;
    }
}
