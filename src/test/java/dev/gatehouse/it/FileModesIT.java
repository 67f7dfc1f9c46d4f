package dev.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 6, through the packaged jar: nothing in the data directory is readable by another local user.
 * A data directory left with loose modes by an older version is tightened at start with a warning, and
 * everything the gateway writes afterwards (store, Maildirs, messages) is 0700/0600.
 */
class FileModesIT {

    @TempDir Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void looseModesFromAnOlderVersionAreTightenedAndEverythingWrittenIsTheOwnersOnly() throws Exception {
        Path data = tmp.resolve("data");
        GatewayProcess.Exit e = GatewayProcess.run(List.of("provision", "--data-dir", data.toString(), "--tenant", "contoso",
                "--domain", "contoso.com", "--mailbox", "alice@contoso.com"), Map.of(), Duration.ofSeconds(60));
        assertThat(e.code()).as(e.text()).isZero();
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("gatehouse.db"))).isEqualTo("rw-------");
        // what an older version left behind: world-readable directory, store and a delivered message
        Path oldMessage = data.resolve("mail/old-tenant/bob@contoso.com/new/1.old");
        Files.createDirectories(oldMessage.getParent());
        Files.writeString(oldMessage, "Subject: old\r\n\r\nsecret\r\n");
        for (Path p : List.of(data, data.resolve("mail"), data.resolve("mail/old-tenant"), oldMessage.getParent())) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(oldMessage, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(data.resolve("gatehouse.db"), PosixFilePermissions.fromString("rw-rw-r--"));

        try (GatewayProcess gw = GatewayProcess.start(data, List.of())) {
            assertThat(gw.output()).anyMatch(l -> l.contains("event=file_modes_tightened"));
            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(data.resolve("gatehouse.db"))).isEqualTo("rw-------");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(mode(oldMessage)).isEqualTo("rw-------");
                assertThat(mode(oldMessage.getParent())).isEqualTo("rwx------");
            });
            try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", gw.smtpPort)) {
                c.reply();
                c.cmd("EHLO modes.example");
                assertThat(c.sendMessage("x@example.org", List.of("alice@contoso.com"), "Subject: private\r\n\r\nfor alice only\r\n"))
                        .startsWith("250");
            }
            Path mail = data.resolve("mail");
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                try (Stream<Path> s = Files.walk(mail)) {
                    // a message without From fails composite authentication and is filed under Junk Email (.Junk/new/)
                    return s.anyMatch(p -> p.toString().contains("alice@contoso.com/") && p.getParent().getFileName().toString().equals("new")
                            && Files.isRegularFile(p));
                }
            });
            try (Stream<Path> s = Files.walk(data)) {
                for (Path p : s.toList()) {
                    if (Files.isSymbolicLink(p)) continue;
                    assertThat(mode(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
                }
            }
        }
    }
}
