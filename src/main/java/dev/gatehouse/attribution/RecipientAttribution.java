package dev.gatehouse.attribution;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.gatehouse.connector.ConnectorDirectory;
import dev.gatehouse.connector.ConnectorSnapshot;
import dev.gatehouse.connector.ConnectorType;
import dev.gatehouse.connector.DomainPattern;
import dev.gatehouse.connector.InboundConnector;
import dev.gatehouse.connector.Ipv4Block;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.RecipientResolution;
import dev.gatehouse.mail.AuthAs;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.pipeline.Attribution;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.pipeline.Route;
import dev.gatehouse.smtp.MailFrom;
import dev.gatehouse.smtp.SessionInfo;
import dev.gatehouse.smtp.SmtpReply;

/**
 * Decides, for one RCPT TO, which tenant and which inbound connector the recipient's copy belongs to, or
 * refuses it with Exchange Online's reply. The algorithm is spec §1.2 / §3.2:
 * <ol>
 * <li><b>Originating</b>: a trusted client certificate whose name or SAN matches the
 * {@code TlsSenderCertificateName} of an OnPremises connector of any tenant (the name, or a wildcard's base,
 * must be an accepted domain of that tenant; the most precise match wins and must name exactly one
 * tenant); else the connecting IP in an OnPremises connector of exactly one tenant that accepts the MAIL
 * FROM domain. Originating mail to that tenant's recipients is Internal (hybrid) and may relay to
 * recipients no tenant accepts; nothing else may relay ({@code 550 5.7.64}).</li>
 * <li><b>Incoming</b>: the recipient domain's tenant, then its Partner connectors by certificate or IP
 * (certificate first, then the longest prefix, then the name). A Partner connector that restricts
 * ({@code RestrictDomainsTo*}) and covers the MAIL FROM domain refuses everyone else ({@code 550 5.7.51});
 * a {@code RequireTls} connector refuses plaintext ({@code 530 5.7.0}, RFC 3207's reply). Otherwise the default connector,
 * where {@code RejectDirectSend} refuses a MAIL FROM domain the tenant accepts ({@code 550 5.7.68}).</li>
 * </ol>
 * An unknown address in an Authoritative domain is refused last ({@code 550 5.4.1}, DBEB), so an
 * unauthorised source learns nothing about which addresses exist. Each recipient is decided on its own.
 */
public final class RecipientAttribution {

    public static final SmtpReply RELAY_DENIED = SmtpReply.of(550, "5.7.64", "TenantAttribution; Relay Access Denied");
    public static final SmtpReply UNKNOWN_RECIPIENT = SmtpReply.of(550, "5.4.1", "Recipient address rejected: Access denied");
    public static final SmtpReply PARTNER_LOCKDOWN = SmtpReply.of(550, "5.7.51", "TenantInboundAttribution; There is a partner connector"
            + " configured that matched the message's recipient domain. The connector had either the RestrictDomainsToIPAddresses"
            + " or RestrictDomainsToCertificate set");
    public static final SmtpReply DIRECT_SEND = SmtpReply.of(550, "5.7.68",
            "TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources");
    public static final SmtpReply REQUIRE_TLS = SmtpReply.of(530, "5.7.0",
            "Must issue a STARTTLS command first: an inbound connector of this organization requires TLS (RequireTls)");

    private final Directory directory;
    private final ConnectorDirectory connectors;
    private final CertificateTrust trust;

    /** Recipient resolution only: no connectors, no certificates (tests of the directory alone). */
    public RecipientAttribution(Directory directory) { this(directory, null, null); }

    public RecipientAttribution(Directory directory, ConnectorDirectory connectors, CertificateTrust trust) {
        this.directory = directory;
        this.connectors = connectors;
        this.trust = trust;
    }

    /** The verdict on one RCPT TO: where the recipient goes, or why it is refused. */
    public sealed interface Decision {
        record Accepted(Route route) implements Decision {}

        /**
         * @param tenantId  the tenant whose recipient was refused; null when no tenant owns the domain
         * @param connector the connector that refused (a restricting partner connector, RequireTls), else null
         */
        record Refused(RefusalReason reason, SmtpReply reply, Long tenantId, String connector) implements Decision {}
    }

    public Decision decide(SessionInfo session, MailFrom from, String recipient) {
        ConnectorSnapshot snap = connectors == null ? null : connectors.current();
        PresentedCertificate cert = trust == null || session.tls() == null ? null : trust.examine(session.tls().peerCertificates());
        RecipientResolution resolution = directory.resolveRecipient(recipient);
        if (snap != null) {
            Match originating = originating(snap, session, cert, from);
            if (originating != null) {
                InboundConnector c = originating.connector();
                if (c.RequireTls() && !session.isTls()) return refused(RefusalReason.REQUIRE_TLS, REQUIRE_TLS, c.tenantId(), c.Name());
                boolean internal = c.CloudServicesMailEnabled() || c.TreatMessagesAsInternal();
                Attribution a = new Attribution(c.Name(), originating.by(), Directionality.Originating, internal ? AuthAs.Internal : AuthAs.Anonymous,
                        c.CloudServicesMailEnabled() ? "10" : null, "HybridOnPrem", false, false);
                switch (resolution) {
                    case RecipientResolution.NoTenant n -> {
                        return new Decision.Accepted(new Route(c.tenantId(), directory.tenantGuid(c.tenantId()), recipient, null, a.relayed()));
                    }
                    case RecipientResolution.UnknownRecipient u when u.tenantId() == c.tenantId() -> {
                        return refused(RefusalReason.UNKNOWN_RECIPIENT, UNKNOWN_RECIPIENT, u.tenantId(), null);
                    }
                    case RecipientResolution.Accepted acc when acc.tenantId() == c.tenantId() -> {
                        return new Decision.Accepted(new Route(acc.tenantId(), acc.tenantGuid(), acc.canonicalAddress(), acc.mailboxId(), a));
                    }
                    default -> { } // a recipient of another tenant: that tenant sees the message as Incoming
                }
            }
        }
        return switch (resolution) {
            case RecipientResolution.NoTenant n -> refused(RefusalReason.RELAY_DENIED, RELAY_DENIED, null, null);
            case RecipientResolution.UnknownRecipient u -> {
                Incoming in = snap == null ? null : incoming(snap, session, cert, from, u.tenantId(), domainOf(recipient));
                yield in != null && in.refused() != null ? in.refused() : refused(RefusalReason.UNKNOWN_RECIPIENT, UNKNOWN_RECIPIENT, u.tenantId(), null);
            }
            case RecipientResolution.Accepted a -> {
                if (snap == null) yield new Decision.Accepted(new Route(a.tenantId(), a.tenantGuid(), a.canonicalAddress(), a.mailboxId()));
                Incoming in = incoming(snap, session, cert, from, a.tenantId(), a.domainName());
                if (in.refused() != null) yield in.refused();
                yield new Decision.Accepted(new Route(a.tenantId(), a.tenantGuid(), a.canonicalAddress(), a.mailboxId(), in.attribution()));
            }
        };
    }

    private record Match(InboundConnector connector, String by, int precision) {}

    /** The OnPremises connector the message originates from, or null (spec §1.2 step 2). */
    private Match originating(ConnectorSnapshot snap, SessionInfo session, PresentedCertificate cert, MailFrom from) {
        if (cert != null) {
            List<Match> byCert = new ArrayList<>();
            for (InboundConnector c : snap.enabled()) {
                if (c.ConnectorType() != ConnectorType.OnPremises) continue;
                int p = certificatePrecision(c, cert);
                if (p < 0) continue;
                String name = c.TlsSenderCertificateName();
                if (name != null && !directory.isAcceptedDomain(c.tenantId(), name.startsWith("*.") ? name.substring(2) : name)) continue;
                byCert.add(new Match(c, "Certificate", p));
            }
            Match best = onlyTenant(byCert);
            if (best != null) return best;
        }
        if (from.isNullSender()) return null;
        List<Match> byIp = new ArrayList<>();
        for (InboundConnector c : snap.enabled()) {
            if (c.ConnectorType() != ConnectorType.OnPremises) continue;
            int p = ipPrefix(c, session.clientIp());
            if (p >= 0 && directory.isAcceptedDomain(c.tenantId(), from.domain())) byIp.add(new Match(c, "IP", p));
        }
        return onlyTenant(byIp);
    }

    /** The most precise match, if it names exactly one tenant; else null. */
    private static Match onlyTenant(List<Match> matches) {
        if (matches.isEmpty()) return null;
        matches.sort(ORDER);
        Match best = matches.getFirst();
        for (Match m : matches) {
            if (m.precision() == best.precision() && m.connector().tenantId() != best.connector().tenantId()) return null;
        }
        return best;
    }

    private static final Comparator<Match> ORDER = Comparator.comparing((Match m) -> !m.by().equals("Certificate"))
            .thenComparing(Match::precision, Comparator.reverseOrder())
            .thenComparing(m -> m.connector().Name().toLowerCase(java.util.Locale.ROOT));

    /** Either an attribution or a refusal. */
    private record Incoming(Attribution attribution, Decision.Refused refused) {}

    /** Incoming to the tenant: a Partner connector by certificate or IP, a refusal, or the default connector. */
    private Incoming incoming(ConnectorSnapshot snap, SessionInfo session, PresentedCertificate cert, MailFrom from,
                              long tenantId, String recipientDomain) {
        String p1 = from.domain();
        List<Match> matches = new ArrayList<>();
        List<InboundConnector> scoped = new ArrayList<>();
        for (InboundConnector c : snap.of(tenantId)) {
            if (c.ConnectorType() != ConnectorType.Partner || !c.coversRecipientDomain(recipientDomain) || !c.coversSenderDomain(p1)) continue;
            scoped.add(c);
            int p = cert == null ? -1 : certificatePrecision(c, cert);
            if (p >= 0) {
                matches.add(new Match(c, "Certificate", p));
                continue;
            }
            p = ipPrefix(c, session.clientIp());
            if (p >= 0) matches.add(new Match(c, "IP", p));
        }
        if (!matches.isEmpty()) {
            matches.sort(ORDER);
            Match m = matches.getFirst();
            if (m.connector().RequireTls() && !session.isTls()) {
                return new Incoming(null, refused(RefusalReason.REQUIRE_TLS, REQUIRE_TLS, tenantId, m.connector().Name()));
            }
            return new Incoming(new Attribution(m.connector().Name(), m.by(), Directionality.Incoming, AuthAs.Anonymous, null, "Internet",
                    false, false), null);
        }
        for (InboundConnector c : scoped) {
            if (c.RestrictDomainsToIPAddresses() || c.RestrictDomainsToCertificate()) {
                return new Incoming(null, c.RequireTls() && !session.isTls()
                        ? refused(RefusalReason.REQUIRE_TLS, REQUIRE_TLS, tenantId, c.Name())
                        : refused(RefusalReason.PARTNER_LOCKDOWN, PARTNER_LOCKDOWN, tenantId, c.Name()));
            }
        }
        boolean directSend = !from.isNullSender() && directory.isAcceptedDomain(tenantId, p1);
        if (directSend && directory.settings(tenantId).rejectDirectSend()) {
            return new Incoming(null, refused(RefusalReason.REJECT_DIRECT_SEND, DIRECT_SEND, tenantId, null));
        }
        return new Incoming(Attribution.defaultConnector(directSend), null);
    }

    /**
     * How precisely the certificate matches the connector, or -1. A pinned thumbprint needs only a current
     * leaf (and the name too, when one is configured); a name needs a trusted chain.
     */
    static int certificatePrecision(InboundConnector c, PresentedCertificate cert) {
        String pattern = c.TlsSenderCertificateName();
        if (c.TlsSenderCertificateThumbprint() != null) {
            if (!cert.current() || !c.TlsSenderCertificateThumbprint().equals(cert.sha256())) return -1;
            if (pattern == null) return 100_000;
            return nameMatches(pattern, cert) ? 100_000 + DomainPattern.precision(pattern) : -1;
        }
        if (pattern == null || !cert.trusted()) return -1;
        return nameMatches(pattern, cert) ? DomainPattern.precision(pattern) : -1;
    }

    private static boolean nameMatches(String pattern, PresentedCertificate cert) {
        for (String n : cert.names()) if (DomainPattern.matches(pattern, n)) return true;
        return false;
    }

    /** The longest matching prefix length, or -1. */
    static int ipPrefix(InboundConnector c, InetAddress ip) {
        int best = -1;
        for (String s : c.SenderIPAddresses()) {
            Ipv4Block b = Ipv4Block.parse(s);
            if (b.contains(ip) && b.prefix() > best) best = b.prefix();
        }
        return best;
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }

    private static Decision.Refused refused(RefusalReason reason, SmtpReply reply, Long tenantId, String connector) {
        return new Decision.Refused(reason, reply, tenantId, connector);
    }
}
