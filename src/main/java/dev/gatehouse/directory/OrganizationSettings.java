// A tenant's organization settings as the running gateway reads them: typed, each key defined once.
package dev.gatehouse.directory;

/**
 * The typed view of {@link OrganizationConfig} that the pipeline reads (from the directory's in-memory
 * snapshot) and that {@code Get-/Set-OrganizationConfig} show and change. A setting is added here once:
 * its key, its default, and how it is read.
 *
 * @param rejectDirectSend           refuse anonymous mail whose MAIL FROM domain is accepted (550 5.7.68)
 * @param rejectDirectSendHeaderFrom beyond Exchange: the same test on the header From
 * @param antiPhish                  the default anti-phishing policy (Get-/Set-AntiPhishPolicy)
 * @param arcTrustedSealers          the ARC sealers whose chain may override a DMARC failure (Get-/Set-ArcConfig),
 *                                   lower-case domains
 */
public record OrganizationSettings(boolean rejectDirectSend, boolean rejectDirectSendHeaderFrom, AntiPhishSettings antiPhish,
                                   java.util.List<String> arcTrustedSealers) {
    public static final String REJECT_DIRECT_SEND = "RejectDirectSend";
    public static final String REJECT_DIRECT_SEND_HEADER_FROM = "RejectDirectSendHeaderFrom";

    public static final String ARC_TRUSTED_SEALERS = "ArcTrustedSealers";

    public static final OrganizationSettings DEFAULTS = new OrganizationSettings(false, false, AntiPhishSettings.DEFAULTS, java.util.List.of());

    public OrganizationSettings { arcTrustedSealers = java.util.List.copyOf(arcTrustedSealers); }

    /** The Direct Send switches with the default anti-phishing policy and no trusted ARC sealers. */
    public OrganizationSettings(boolean rejectDirectSend, boolean rejectDirectSendHeaderFrom) {
        this(rejectDirectSend, rejectDirectSendHeaderFrom, AntiPhishSettings.DEFAULTS, java.util.List.of());
    }

    public static OrganizationSettings of(OrganizationConfig c) {
        return new OrganizationSettings(c.getBoolean(REJECT_DIRECT_SEND, false), c.getBoolean(REJECT_DIRECT_SEND_HEADER_FROM, false),
                AntiPhishSettings.of(c), sealers(c.get(ARC_TRUSTED_SEALERS)));
    }

    /** The stored comma-separated list as lower-case domains. */
    static java.util.List<String> sealers(String stored) {
        if (stored == null || stored.isBlank()) return java.util.List.of();
        return java.util.Arrays.stream(stored.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(java.util.Locale.ROOT)).distinct().toList();
    }
}
