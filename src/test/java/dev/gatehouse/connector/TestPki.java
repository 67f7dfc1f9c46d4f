// Test certificates made with BouncyCastle: a test CA, leaf certificates it signs, expired and self-signed ones.
package dev.gatehouse.connector;

import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A private CA for tests, and client identities (key + chain) ready to present over STARTTLS. */
public final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key and the chain a client presents (leaf first). */
    public record Identity(KeyPair keys, X509Certificate[] chain) {
        X509Certificate leaf() { return chain[0]; }

        /** A client context presenting this identity and trusting any server (the gateway's cert is self-signed). */
        public SSLContext clientContext() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", keys.getPrivate(), "p".toCharArray(), chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "p".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {new X509TrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
                @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
                @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, RANDOM);
            return ctx;
        }
    }

    private final KeyPair caKeys;
    private final X509Certificate caCert;

    public TestPki(String caName) throws Exception {
        caKeys = keyPair();
        X500Name name = cn(caName);
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(365))), name, caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        caCert = sign(b, caKeys);
    }

    X509Certificate caCertificate() { return caCert; }

    /** Writes the CA certificate as PEM (what {@code --tls-client-ca} reads). */
    public Path writeCaPem(Path file) throws Exception {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(caCert);
        }
        return file;
    }

    /** A leaf signed by this CA, valid now, with CN and one dNSName SAN. */
    public Identity issue(String cn) throws Exception { return issue(cn, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90))); }

    /** A leaf signed by this CA, valid only in [notBefore, notAfter]. */
    Identity issue(String cn, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair keys = keyPair();
        var b = new JcaX509v3CertificateBuilder(new X500Name(caCert.getSubjectX500Principal().getName()), serial(),
                Date.from(notBefore), Date.from(notAfter), cn(cn), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, cn)));
        return new Identity(keys, new X509Certificate[] {sign(b, caKeys), caCert});
    }

    /** A self-signed leaf (no CA). */
    static Identity selfSigned(String cn) throws Exception {
        KeyPair keys = keyPair();
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(cn(cn), serial(), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(90))), cn(cn), keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, cn)));
        return new Identity(keys, new X509Certificate[] {sign(b, keys)});
    }

    private static X500Name cn(String cn) { return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build(); }

    private static BigInteger serial() { return new BigInteger(64, RANDOM); }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        return gen.generateKeyPair();
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }
}
