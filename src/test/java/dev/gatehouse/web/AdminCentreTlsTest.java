// AdminCentreTlsTest: with --http-tls the HTTP port speaks only HTTPS, with the gateway's certificate, and the
// admin centre's session cookie is marked Secure (besides HttpOnly and SameSite=Strict).
package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.store.TestDatabase;

class AdminCentreTlsTest {
    static AdminHarness h;
    static SSLContext trustsTheGateway;

    @BeforeAll static void start() throws Exception {
        h = new AdminHarness(TestDatabase.Kind.SQLITE, Map.of("http-tls", "true"));
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(h.db.dir().resolve("data").resolve("tls-selfsigned.crt"))) {
            ks.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trustsTheGateway = SSLContext.getInstance("TLS");
        trustsTheGateway.init(null, tmf.getTrustManagers(), null);
    }

    @AfterAll static void stop() {
        if (h != null) h.close();
    }

    private static HttpsURLConnection https(String path) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) URI.create(h.base + path).toURL().openConnection();
        c.setSSLSocketFactory(trustsTheGateway.getSocketFactory());
        c.setHostnameVerifier((host, session) -> true); // the self-signed certificate names mx.gatehouse.test, we dial 127.0.0.1
        c.setInstanceFollowRedirects(false);
        return c;
    }

    @Test void signingInOverHttpsSetsASecureHttpOnlyStrictCookie() throws Exception {
        assertThat(h.base).startsWith("https://");
        HttpsURLConnection c = https("/signin");
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        c.getOutputStream().write(("token=" + java.net.URLEncoder.encode(h.operatorToken, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        assertThat(c.getResponseCode()).isEqualTo(303);
        List<String> cookies = c.getHeaderFields().get("Set-Cookie");
        assertThat(cookies).anySatisfy(v -> assertThat(v).startsWith("gatehouse_session=").contains("Secure").contains("HttpOnly")
                .containsIgnoringCase("SameSite=Strict"));
        HttpsURLConnection health = https("/healthz");
        assertThat(health.getResponseCode()).as("the APIs are on the same HTTPS port").isEqualTo(200);
    }

    @Test void plainHttpOnTheTlsPortGetsNoPage() throws Exception {
        HttpURLConnection plain = (HttpURLConnection) URI.create(h.base.replace("https://", "http://") + "/signin").toURL().openConnection();
        plain.setConnectTimeout(5_000);
        plain.setReadTimeout(5_000);
        assertThatThrownBy(() -> {
            int code = plain.getResponseCode();
            if (code != 400) throw new IOException("answered " + code);
            throw new IOException("refused with 400");
        }).isInstanceOf(IOException.class);
    }
}
