// The batch flush under local delivery: files and directories of several Maildirs, and a refusal for a missing one.
package dev.gatehouse.delivery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSystemFlushTest {

    /**
     * The flush calls succeed on real files and directories of two Maildirs (so the native calls are bound
     * right); that they are the only flushes a batch makes is counted in BatchedDeliveryFlushIT, and
     * durability across a power cut cannot be observed here.
     */
    @Test
    void flushCallsSucceedOnFilesAndDirectoriesOfSeveralMaildirs(@TempDir Path root) throws IOException {
        Path a = Maildir.write(root.resolve("a"), "first\r\n".getBytes());
        Path b = Maildir.write(root.resolve("b"), "second\r\n".getBytes());
        FileSystemFlush.files(List.of(a, b));
        Path publishedA = Maildir.publish(a);
        Path publishedB = Maildir.publish(b);
        FileSystemFlush.directories(List.of(publishedA.getParent(), publishedB.getParent()));
        assertThat(publishedA).hasParent(root.resolve("a").resolve("new")).hasContent("first\r\n");
        assertThat(publishedB).hasParent(root.resolve("b").resolve("new")).hasContent("second\r\n");
        assertThat(root.resolve("a").resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void aMissingDirectoryIsAnErrorNotASilentSuccess(@TempDir Path root) {
        Path gone = root.resolve("no-such-maildir").resolve("new");
        assertThatThrownBy(() -> FileSystemFlush.directories(List.of(gone))).isInstanceOf(IOException.class)
                .hasMessageContaining("no-such-maildir");
        assertThatThrownBy(() -> FileSystemFlush.files(List.of(gone.resolve("file")))).isInstanceOf(IOException.class)
                .hasMessageContaining("no-such-maildir");
    }

    @Test
    void onThisLinuxOneSyncfsPerFileSystemReplacesTheFsyncs() {
        boolean modernLinux = System.getProperty("os.name").toLowerCase().contains("linux")
                && FileSystemFlush.kernelAtLeast(System.getProperty("os.version"), 5, 17);
        assertThat(FileSystemFlush.grouped()).isEqualTo(modernLinux);
    }

    @Test
    void syncfsIsTrustedOnlyFromLinux517() {
        assertThat(FileSystemFlush.kernelAtLeast("6.18.44-fc-v509", 5, 17)).isTrue();
        assertThat(FileSystemFlush.kernelAtLeast("5.17.0", 5, 17)).isTrue();
        assertThat(FileSystemFlush.kernelAtLeast("5.15.0-91-generic", 5, 17)).isFalse();
        assertThat(FileSystemFlush.kernelAtLeast("4.19.0", 5, 17)).isFalse();
        assertThat(FileSystemFlush.kernelAtLeast("garbage", 5, 17)).isFalse();
    }
}
