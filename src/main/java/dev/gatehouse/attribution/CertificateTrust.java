// Judges client certificates: chain to a trusted CA (JDK trust store + --tls-client-ca), validity, names.
package dev.gatehouse.attribution;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The SMTP listener accepts any client certificate (it only proves key possession); this class decides
 * whether one counts. A certificate is trusted when PKIX validation (RFC 5280, revocation not checked) of
 * the presented chain succeeds against the JDK's default trust store plus the CA certificates of the
 * {@code --tls-client-ca} PEM files, now; that covers expiry and self-signed leaves. A connector that pins
 * the leaf's SHA-256 ({@code TlsSenderCertificateThumbprint}) needs only {@link PresentedCertificate#current}.
 *
 * <p>Verdicts are cached per leaf for a minute (weakly, so a closed session's certificate can go).
 * Thread-safe.
 */
public final class CertificateTrust {
    private static final long CACHE_MILLIS = 60_000;

    private final Set<TrustAnchor> anchors;
    private final Map<X509Certificate, Cached> cache = new WeakHashMap<>();

    private record Cached(PresentedCertificate verdict, long at) {}

    public CertificateTrust(Set<TrustAnchor> anchors) { this.anchors = Set.copyOf(anchors); }

    /** The JDK's default trust store plus every certificate in the given PEM files. */
    public static CertificateTrust load(List<Path> caFiles, boolean includeJdkTrustStore) throws IOException, GeneralSecurityException {
        Set<TrustAnchor> anchors = new HashSet<>();
        if (includeJdkTrustStore) {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) for (X509Certificate c : x.getAcceptedIssuers()) anchors.add(new TrustAnchor(c, null));
            }
        }
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (Path p : caFiles) {
            try (InputStream in = Files.newInputStream(p)) {
                Collection<? extends java.security.cert.Certificate> certs = cf.generateCertificates(in);
                if (certs.isEmpty()) throw new GeneralSecurityException(p + ": no PEM CERTIFICATE found");
                for (var c : certs) anchors.add(new TrustAnchor((X509Certificate) c, null));
            }
        }
        return new CertificateTrust(anchors);
    }

    /** Null when no certificate was presented. */
    public PresentedCertificate examine(List<X509Certificate> chain) {
        if (chain == null || chain.isEmpty()) return null;
        X509Certificate leaf = chain.getFirst();
        long now = System.currentTimeMillis();
        synchronized (cache) {
            Cached c = cache.get(leaf);
            if (c != null && now - c.at() < CACHE_MILLIS) return c.verdict();
        }
        PresentedCertificate v = judge(chain, new Date(now));
        synchronized (cache) { cache.put(leaf, new Cached(v, now)); }
        return v;
    }

    PresentedCertificate judge(List<X509Certificate> chain, Date at) {
        X509Certificate leaf = chain.getFirst();
        boolean current = true;
        try {
            leaf.checkValidity(at);
        } catch (GeneralSecurityException e) {
            current = false;
        }
        String problem = "";
        if (anchors.isEmpty()) {
            problem = "no trusted CA configured";
        } else {
            try {
                var path = CertificateFactory.getInstance("X.509").generateCertPath(withoutAnchors(chain));
                PKIXParameters params = new PKIXParameters(anchors);
                params.setRevocationEnabled(false);
                params.setDate(at);
                CertPathValidator.getInstance("PKIX").validate(path, params);
            } catch (GeneralSecurityException | RuntimeException e) {
                problem = String.valueOf(e.getMessage());
            }
        }
        return new PresentedCertificate(problem.isEmpty(), current, names(leaf), sha256(leaf), problem);
    }

    /** The path to validate: the presented chain minus any certificate that is itself a trust anchor. */
    private List<X509Certificate> withoutAnchors(List<X509Certificate> chain) {
        List<X509Certificate> out = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            if (i > 0 && anchors.stream().anyMatch(a -> c.equals(a.getTrustedCert()))) break;
            out.add(c);
        }
        return out;
    }

    /** Subject CN and dNSName SANs, lower case, without duplicates. */
    static List<String> names(X509Certificate cert) {
        Set<String> out = new LinkedHashSet<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) out.add(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT));
            }
        } catch (javax.naming.InvalidNameException ignored) {
            // no usable subject
        }
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans != null) for (List<?> san : sans) {
                if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0))) out.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
            }
        } catch (CertificateParsingException ignored) {
            // no usable SANs
        }
        return List.copyOf(out);
    }

    public static String sha256(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
