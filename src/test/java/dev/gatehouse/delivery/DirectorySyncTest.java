package dev.gatehouse.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySyncTest {

    @TempDir Path dir;

    @Test
    void manyConcurrentDeliveriesIntoOneMaildirAllLandAndAllReturn() throws Exception {
        Path box = dir.resolve("alice@contoso.com");
        List<Future<Path>> files = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                byte[] content = ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes();
                files.add(pool.submit(() -> Maildir.deliver(box, content)));
            }
        }
        for (Future<Path> f : files) assertThat(f.get()).exists().hasParent(box.resolve("new"));
        try (var listing = Files.list(box.resolve("new"))) {
            assertThat(listing.count()).isEqualTo(200);
        }
        try (var tmp = Files.list(box.resolve("tmp"))) {
            assertThat(tmp.count()).isZero();
        }
    }

    @Test
    void aFailingFsyncIsReportedToTheCaller() {
        DirectorySync sync = new DirectorySync();
        assertThatThrownBy(() -> sync.sync(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void anExistingDirectorySyncs() throws IOException {
        new DirectorySync().sync(dir);
    }
}
