// Tls: builds the server SSLContext for STARTTLS from PEM files, and writes a self-signed certificate for first runs.
package dev.gatehouse.smtp;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS material for the SMTP listener. The context's trust manager accepts any client certificate chain
 * without judging it: the listener only collects the chain (RFC 8446 still proves the client holds the
 * key), and attribution decides later whether the certificate is trusted and which tenant it names.
 */
public final class Tls {
    private Tls() {}

    /**
     * The cipher suites STARTTLS offers: TLS 1.3's (all AEAD), and for TLS 1.2 only ECDHE key exchange with
     * AES-GCM or ChaCha20-Poly1305 (forward secrecy, no CBC, no RSA key transport), strongest first.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    /** The protocols STARTTLS offers. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    static {
        refuseClientRenegotiation();
    }

    /**
     * Makes the JDK's TLS server refuse a renegotiation the client starts (TLS 1.2; 1.3 has none): each one
     * costs the server a full handshake, a cheap way to burn its CPU. JSSE reads this property once, when the
     * first server handshake loads its classes, so it is set before any handshake (this class is loaded
     * before the listener's SSLContext exists) and again by the launcher.
     */
    public static void refuseClientRenegotiation() {
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
    }

    private static final char[] STORE_PASSWORD = "gatehouse".toCharArray();

    /** A server context from a PEM certificate chain (leaf first) and a PEM private key (PKCS#8 or traditional). */
    public static SSLContext serverContext(Path certPem, Path keyPem) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = readCertificates(certPem);
        PrivateKey key = readPrivateKey(keyPem);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("smtp", key, STORE_PASSWORD, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, STORE_PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {new AnyClientCertificate()}, new SecureRandom());
        return ctx;
    }

    /** Writes a self-signed EC P-256 certificate (10 years, SAN dNSName = hostname) and its PKCS#8 key (mode 600). */
    public static void generateSelfSigned(String hostname, Path certPem, Path keyPem) throws IOException, GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = gen.generateKeyPair();
        var name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
        X509Certificate cert;
        try {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign certificate for " + hostname, e);
        }
        writePem(certPem, cert);
        Files.deleteIfExists(keyPem);
        Files.createFile(keyPem);
        try {
            Files.setPosixFilePermissions(keyPem, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: rely on the directory's ACL
        }
        writePem(keyPem, new JcaPKCS8Generator(pair.getPrivate(), null));
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(object);
        }
    }

    static List<X509Certificate> readCertificates(Path certPem) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(certPem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) chain.add(new JcaX509CertificateConverter().getCertificate(h));
            }
        }
        if (chain.isEmpty()) throw new CertificateException(certPem + ": no PEM CERTIFICATE found");
        return chain;
    }

    static PrivateKey readPrivateKey(Path keyPem) throws IOException, GeneralSecurityException {
        try (Reader r = Files.newBufferedReader(keyPem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
                if (o instanceof PEMKeyPair kp) return converter.getKeyPair(kp).getPrivate();
            }
        }
        throw new GeneralSecurityException(keyPem + ": no unencrypted PEM private key found");
    }

    /** Accepts every client chain (kept for attribution); never used to judge servers. */
    private static final class AnyClientCertificate extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException { refuse(); }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException { refuse(); }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException { refuse(); }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }

        private static void refuse() throws CertificateException {
            throw new CertificateException("server certificates are not checked by the SMTP listener's trust manager");
        }
    }
}
