// A tenant's organization settings as the running gateway reads them: typed, each key defined once.
package dev.gatehouse.directory;

/**
 * The typed view of {@link OrganizationConfig} that the pipeline reads (from the directory's in-memory
 * snapshot) and that {@code Get-/Set-OrganizationConfig} show and change. A setting is added here once:
 * its key, its default, and how it is read.
 *
 * @param rejectDirectSend           refuse anonymous mail whose MAIL FROM domain is accepted (550 5.7.68)
 * @param rejectDirectSendHeaderFrom beyond Exchange: the same test on the header From
 */
public record OrganizationSettings(boolean rejectDirectSend, boolean rejectDirectSendHeaderFrom) {
    public static final String REJECT_DIRECT_SEND = "RejectDirectSend";
    public static final String REJECT_DIRECT_SEND_HEADER_FROM = "RejectDirectSendHeaderFrom";

    public static final OrganizationSettings DEFAULTS = new OrganizationSettings(false, false);

    public static OrganizationSettings of(OrganizationConfig c) {
        return new OrganizationSettings(c.getBoolean(REJECT_DIRECT_SEND, false), c.getBoolean(REJECT_DIRECT_SEND_HEADER_FROM, false));
    }
}
