package dev.gatehouse.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** PKIX judgement of client chains without sockets: trusted, expired, self-signed, other CA; names and pins. */
class CertificateTrustTest {

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate cert(String subject, String issuer, KeyPair subjectKeys, KeyPair signer, boolean ca,
                                        Instant from, Instant to, String san) throws Exception {
        var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(System.nanoTime()), Date.from(from), Date.from(to),
                new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (san != null) b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, san)));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    @Test
    void judgesChainsAndReadsNames() throws Exception {
        Instant now = Instant.now();
        KeyPair caKeys = keys();
        X509Certificate ca = cert("CN=Test CA", "CN=Test CA", caKeys, caKeys, true, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(9)), null);
        CertificateTrust trust = new CertificateTrust(Set.of(new TrustAnchor(ca, null)));
        KeyPair leafKeys = keys();
        X509Certificate good = cert("CN=Mail.Contoso.com", "CN=Test CA", leafKeys, caKeys, false, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(5)), "smtp.contoso.com");
        X509Certificate expired = cert("CN=mail.contoso.com", "CN=Test CA", leafKeys, caKeys, false, now.minus(Duration.ofDays(9)),
                now.minus(Duration.ofDays(1)), null);
        X509Certificate self = cert("CN=mail.contoso.com", "CN=mail.contoso.com", leafKeys, leafKeys, false, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(5)), null);

        PresentedCertificate g = trust.examine(List.of(good, ca));
        assertThat(g.trusted()).isTrue();
        assertThat(g.current()).isTrue();
        assertThat(g.names()).containsExactly("mail.contoso.com", "smtp.contoso.com");
        assertThat(g.sha256()).hasSize(64).isEqualTo(CertificateTrust.sha256(good));
        assertThat(trust.examine(List.of(good)).trusted()).as("leaf without the CA in the chain").isTrue();
        PresentedCertificate e = trust.examine(List.of(expired, ca));
        assertThat(e.trusted()).isFalse();
        assertThat(e.current()).isFalse();
        PresentedCertificate s = trust.examine(List.of(self));
        assertThat(s.trusted()).isFalse();
        assertThat(s.current()).isTrue();
        assertThat(new CertificateTrust(Set.of()).examine(List.of(good, ca)).trusted()).isFalse();
        assertThat(trust.examine(List.of())).isNull();
    }
}
