// No other local user may read the data directory: loose modes are tightened, symlinks are not followed, new files are 0600.
package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileModesTest {

    @TempDir Path tmp;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file modes");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static Path withMode(Path p, String mode) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void aMissingDataDirectoryIsCreatedForTheOwnerOnly() throws Exception {
        Path data = tmp.resolve("a/b/data");
        assertThat(FileModes.tighten(data)).isZero();
        assertThat(Files.isDirectory(data)).isTrue();
        assertThat(mode(data)).isEqualTo("rwx------");
    }

    @Test
    void looseModesAreTightenedEverywhereAndCounted() throws Exception {
        Path data = withMode(Files.createDirectory(tmp.resolve("data")), "rwxr-xr-x");
        Path db = withMode(Files.writeString(data.resolve("gatehouse.db"), "db"), "rw-rw-r--");
        Path mail = withMode(Files.createDirectories(data.resolve("mail/t1/new")), "rwxrwxrwx");
        Path msg = withMode(Files.writeString(mail.resolve("1.msg"), "secret"), "rw-r--r--");
        Path tight = withMode(Files.writeString(data.resolve("already.key"), "k"), "rw-------");
        withMode(data.resolve("mail"), "rwxr-x---");
        withMode(data.resolve("mail/t1"), "rwx------");

        assertThat(FileModes.tighten(data)).as("data, gatehouse.db, mail, mail/t1/new, 1.msg").isEqualTo(5);
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(db)).isEqualTo("rw-------");
        assertThat(mode(mail)).isEqualTo("rwx------");
        assertThat(mode(msg)).isEqualTo("rw-------");
        assertThat(mode(tight)).isEqualTo("rw-------");
        assertThat(FileModes.tighten(data)).as("nothing left to fix").isZero();
    }

    @Test
    void theOwnerKeepsAndGetsWhatTheGatewayNeeds() throws Exception {
        Path data = withMode(Files.createDirectory(tmp.resolve("data")), "r-xr-xr-x");
        Path script = withMode(Files.writeString(data.resolve("hook.sh"), "#!/bin/sh\n"), "rwxr-xr-x");
        Path readOnly = withMode(Files.writeString(data.resolve("ro.txt"), "x"), "r--r--r--");
        FileModes.tighten(data);
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(script)).as("the owner's execute bit stays").isEqualTo("rwx------");
        assertThat(mode(readOnly)).isEqualTo("rw-------");
    }

    @Test
    void aSymbolicLinkIsNotFollowedOutOfTheDataDirectory() throws Exception {
        Path outside = withMode(Files.writeString(tmp.resolve("shared.txt"), "not ours"), "rw-r--r--");
        Path outsideDir = withMode(Files.createDirectory(tmp.resolve("shared")), "rwxr-xr-x");
        Path data = Files.createDirectory(tmp.resolve("data"));
        withMode(data, "rwx------");
        Files.createSymbolicLink(data.resolve("link.txt"), outside);
        Files.createSymbolicLink(data.resolve("linkdir"), outsideDir);
        assertThat(FileModes.tighten(data)).isZero();
        assertThat(mode(outside)).isEqualTo("rw-r--r--");
        assertThat(mode(outsideDir)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void theDataDirectoryIsTightenedAtOnceAndItsMailRootInTheBackground() throws Exception {
        Path data = withMode(Files.createDirectory(tmp.resolve("data")), "rwxr-xr-x");
        Path db = withMode(Files.writeString(data.resolve("gatehouse.db"), "db"), "rw-r--r--");
        Path certs = withMode(Files.createDirectory(data.resolve("certs")), "rwxr-xr-x");
        Path mailRoot = withMode(Files.createDirectory(data.resolve("mail")), "rwxr-xr-x");
        Path msg = withMode(Files.writeString(mailRoot.resolve("1.msg"), "m"), "rw-r--r--");
        FileModes.tightenDataDirectory(data, mailRoot);
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(db)).isEqualTo("rw-------");
        assertThat(mode(certs)).isEqualTo("rwx------");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(mode(mailRoot)).isEqualTo("rwx------");
            assertThat(mode(msg)).isEqualTo("rw-------");
        });
    }

    @Test
    void aDataDirectoryThatDoesNotExistYetIsCreatedWithoutAMailRoot() throws Exception {
        Path data = tmp.resolve("fresh");
        FileModes.tightenDataDirectory(data, data.resolve("mail"));
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(Files.exists(data.resolve("mail"))).isFalse();
    }

    /** libc umask(2): sets the mask and returns the previous one. */
    private static int umask(int mask) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle h = linker.downcallHandle(linker.defaultLookup().find("umask").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        return (int) h.invokeExact(mask);
    }

    @Test
    void afterRestrictingTheUmaskEverythingCreatedIsTheOwnersOnly() throws Throwable {
        int previous = umask(0022);
        try {
            assertThat(FileModes.restrictUmask()).isTrue();
            Path file = Files.writeString(tmp.resolve("new.txt"), "x");
            Path dir = Files.createDirectory(tmp.resolve("newdir"));
            assertThat(mode(file)).isEqualTo("rw-------");
            assertThat(mode(dir)).isEqualTo("rwx------");
            assertThat(umask(0077)).as("the mask the gateway set").isEqualTo(0077);
        } finally {
            umask(previous); // this test JVM runs other tests too
        }
    }
}
