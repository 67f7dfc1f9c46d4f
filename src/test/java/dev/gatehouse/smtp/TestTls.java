// TestTls: test-only TLS contexts: a server context from a freshly generated self-signed cert, and trust-all clients.
package dev.gatehouse.smtp;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

final class TestTls {
    private TestTls() {}

    static SSLContext server(Path dir) throws Exception {
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        Tls.generateSelfSigned("mx.test.example", cert, key);
        return Tls.serverContext(cert, key);
    }

    /** A client that trusts any server and, when dir is given, presents a self-signed client certificate. */
    static SSLContext client(Path dir) throws Exception {
        KeyManager[] keys = null;
        if (dir != null) {
            Path cert = dir.resolve("client.pem");
            Path key = dir.resolve("client.key");
            Tls.generateSelfSigned("client.test.example", cert, key);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("c", Tls.readPrivateKey(key), "p".toCharArray(), Tls.readCertificates(cert).toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "p".toCharArray());
            keys = kmf.getKeyManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
            @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, new SecureRandom());
        return ctx;
    }
}
