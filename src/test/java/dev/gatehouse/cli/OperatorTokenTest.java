// The operator token file against real in-process gateways: created once, owner-only, registered with every store it starts on.
package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.store.TestDatabase;

class OperatorTokenTest {

    static AdminHarness gateway;
    static AdminHarness otherGateway;

    @TempDir Path tmp;

    @BeforeAll
    static void start() throws IOException {
        gateway = new AdminHarness(TestDatabase.Kind.SQLITE);
        otherGateway = new AdminHarness(TestDatabase.Kind.SQLITE);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
        if (otherGateway != null) otherGateway.close();
    }

    /** The admin API's answer to a request with this bearer token: 200 with a token it knows, 401 without. */
    private static int status(AdminHarness g, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(g.base + "/adminapi/v1/Commands")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    @Test
    void theFirstStartWritesAnOwnerOnlyTokenFileWhoseTokenActsAsOperator() throws Exception {
        Path file = tmp.resolve("data").resolve("operator.token");
        String note = OperatorToken.ensure(file, gateway.gateway);
        assertThat(note).isEqualTo("operator token written to " + file + " (mode 600); use it as the bearer token of the admin API and shell");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text).matches("ghop_[A-Za-z0-9_-]{43}\n"); // 256 random bits, URL-safe Base64
        String token = OperatorToken.read(file);
        assertThat(status(gateway, token)).isEqualTo(200);
        assertThat(status(gateway, token.substring(0, token.length() - 1))).isEqualTo(401);
        assertThat(Cli.run("shell", "--url", gateway.base, "--token-file", file.toString(), "-c", "Get-Tenant").code()).isZero();
    }

    @Test
    void laterStartsKeepTheFileAndRegisterItsTokenWithTheStoreTheyOpen() throws Exception {
        Path file = tmp.resolve("operator.token");
        OperatorToken.ensure(file, gateway.gateway);
        String text = Files.readString(file);
        String token = text.strip();
        assertThat(OperatorToken.ensure(file, gateway.gateway)).as("nothing new to say").isNull();
        assertThat(Files.readString(file)).isEqualTo(text);

        // another node, or a store rebuilt since: the token in the file works there once that node has started with it
        assertThat(status(otherGateway, token)).isEqualTo(401);
        assertThat(OperatorToken.ensure(file, otherGateway.gateway)).isNull();
        assertThat(status(otherGateway, token)).isEqualTo(200);
        assertThat(Files.readString(file)).isEqualTo(text);
    }

    @Test
    void aTokenFileEditedByHandIsReadWithoutItsLineEndingOrSpaces() throws Exception {
        Path file = Files.writeString(tmp.resolve("operator.token"), "  ghop_handwrittenTokenForTheOps_Team_0123456789\r\n\r\n");
        assertThat(OperatorToken.read(file)).isEqualTo("ghop_handwrittenTokenForTheOps_Team_0123456789");
        OperatorToken.ensure(file, gateway.gateway);
        assertThat(status(gateway, "ghop_handwrittenTokenForTheOps_Team_0123456789")).isEqualTo(200);
    }

    /** An emptied token file would register a token nobody can send: the operator would be locked out without a word. */
    @Test
    void anEmptyTokenFileIsRefusedNamingIt() throws IOException {
        Path file = Files.writeString(tmp.resolve("operator.token"), " \n");
        assertThatThrownBy(() -> OperatorToken.ensure(file, gateway.gateway)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("empty");
    }

    @Test
    void aTokenFileThatIsADirectoryIsAnError() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("operator.token"));
        assertThatThrownBy(() -> OperatorToken.ensure(dir, gateway.gateway)).isInstanceOf(IOException.class);
    }
}
