// The seed article's steps 1-2 against the packaged jar: serve --tls-client-ca, admin REST, real SMTP clients.
package dev.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.connector.SmtpTestClient;
import dev.gatehouse.connector.TestPki;

class ConnectorJarIT {
    @TempDir Path dir;

    @Test
    void connectorAndRejectDirectSendChangeWhatASenderGets() throws Exception {
        TestPki pki = new TestPki("Hybrid Test CA");
        Path ca = pki.writeCaPem(dir.resolve("ca.pem"));
        Path data = dir.resolve("data");
        try (GatewayProcess g = GatewayProcess.start(data, List.of("--tls-client-ca", ca.toString()))) {
            String token = Files.readString(data.resolve("operator.token")).strip();
            script(g, token, null, "New-Tenant Contoso");
            script(g, token, "Contoso", "New-AcceptedDomain contoso.com -DomainName contoso.com; New-Mailbox bob -PrimarySmtpAddress bob@contoso.com;"
                    + " New-InboundConnector Hybrid -ConnectorType OnPremises -SenderDomains * -TlsSenderCertificateName *.contoso.com"
                    + " -CloudServicesMailEnabled $true; Set-OrganizationConfig -RejectDirectSend $true");

            try (SmtpTestClient c = new SmtpTestClient("127.0.0.50", g.smtpPort)) {
                SmtpTestClient.expect(c.cmd("MAIL FROM:<alice@contoso.com>"), "250");
                assertThat(c.cmd("RCPT TO:<bob@contoso.com>")).isEqualTo("550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources");
            }
            try (SmtpTestClient c = new SmtpTestClient("127.0.0.50", g.smtpPort).startTls(pki.issue("mail.contoso.com").clientContext())) {
                SmtpTestClient.expect(c.cmd("MAIL FROM:<alice@contoso.com>"), "250");
                assertThat(c.cmd("RCPT TO:<bob@contoso.com>")).startsWith("250");
                assertThat(c.data("From: <alice@contoso.com>\r\n")).startsWith("250");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> delivered(data).contains("X-MS-Exchange-Organization-AuthAs: Internal"));
            assertThat(g.output()).anyMatch(l -> l.contains("reason=reject_direct_send"));
        }
    }

    private static String delivered(Path data) throws Exception {
        Path mail = data.resolve("mail");
        if (!Files.isDirectory(mail)) return "";
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(mail)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> p.getParent().getFileName().toString().equals("new")).toList()) {
                sb.append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    private static void script(GatewayProcess g, String token, String tenant, String script) throws Exception {
        String path = tenant == null ? "/adminapi/v1/RunScript" : "/adminapi/v1/" + tenant + "/RunScript";
        String body = new ObjectMapper().writeValueAsString(java.util.Map.of("Script", script));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.httpPort + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).as(script).doesNotContain("\"Errors\":[{");
    }
}
