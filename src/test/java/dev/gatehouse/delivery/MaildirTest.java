// Maildir files: unique names under concurrency, nothing left in tmp/, and path segments that cannot escape.
package dev.gatehouse.delivery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class MaildirTest {

    @TempDir Path dir;

    @Test
    void manyConcurrentDeliveriesIntoOneMaildirAllLandWithTheirOwnBytes() throws Exception {
        Path box = dir.resolve("alice@contoso.com");
        List<Future<Path>> files = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                byte[] content = ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes();
                files.add(pool.submit(() -> Maildir.publish(Maildir.write(box, content))));
            }
        }
        List<String> subjects = new ArrayList<>();
        for (Future<Path> f : files) {
            assertThat(f.get()).exists().hasParent(box.resolve("new"));
            subjects.add(Files.readString(f.get()).lines().findFirst().orElseThrow());
        }
        assertThat(subjects).doesNotHaveDuplicates().hasSize(200);
        assertThat(box.resolve("tmp")).isEmptyDirectory();
        assertThat(box.resolve("cur")).isDirectory();
    }

    @Test
    void segmentsCannotEscapeTheirParent() {
        assertThat(Maildir.segment("bob/../x@contoso.org")).isEqualTo("bob%2F..%2Fx@contoso.org");
        assertThat(Maildir.segment(".hidden@contoso.org")).isEqualTo("%2Ehidden@contoso.org");
        assertThat(Maildir.segment("")).isEqualTo("%00");
    }
}
