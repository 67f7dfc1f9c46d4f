// Maildir files: unique names under concurrency, nothing left in tmp/, path segments that cannot escape or collide,
// stable per-copy names, and finding a copy already delivered in new/ or cur/.
package dev.gatehouse.delivery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void differentAddressesNeverShareADirectory() {
        // the escape character itself is escaped, so a literal "%2F" can't pose as an escaped "/"
        assertThat(Maildir.segment("a%2Fb@contoso.org")).isEqualTo("a%252Fb@contoso.org").isNotEqualTo(Maildir.segment("a/b@contoso.org"));
        assertThat(Maildir.segment("..")).isEqualTo("%2E.");
        assertThat(Maildir.segment(".")).isEqualTo("%2E");
        assertThat(Maildir.segment("jos\u00e9@contoso.org")).isEqualTo("jos%C3%A9@contoso.org");
        assertThat(Maildir.segment("a b\u0000c")).isEqualTo("a%20b%00c");
        assertThat(Maildir.segment("%00")).isNotEqualTo(Maildir.segment(""));
    }

    /** Dovecot's form; a ':' would be read by mail clients as the start of the flags, a '/' would be a directory. */
    @Test
    void uniqueNamesHaveDovecotsFormWithoutColonOrSlash() {
        assertThat(Maildir.uniqueName()).matches("[0-9]+\\.M[0-9]+P[0-9]+Q[0-9]+\\.[^/:]+");
        assertThat(Maildir.uniqueName()).isNotEqualTo(Maildir.uniqueName());
    }

    @Test
    void aCopysNameIsTheSameOnEveryAttemptAndDiffersPerRecipient() {
        Instant received = Instant.parse("2026-03-01T10:15:30.250Z");
        String nmid = "8026f7a2-10c7-4894-75d5-08db7c3b05c4";
        assertThat(Maildir.nameFor(received, nmid, 7)).isEqualTo("1772360130.G8026f7a210c7489475d508db7c3b05c4R7.gatehouse")
                .isEqualTo(Maildir.nameFor(received, nmid, 7));
        assertThat(Maildir.nameFor(received, nmid, 8)).isNotEqualTo(Maildir.nameFor(received, nmid, 7));
    }

    @Test
    void aCopyIsFoundInNewAlwaysAndInCurOnlyWhenLookingThoroughly() throws IOException {
        Path box = dir.resolve("bob@contoso.com");
        String name = Maildir.nameFor(Instant.now(), "8026f7a2-10c7-4894-75d5-08db7c3b05c4", 1);
        assertThat(Maildir.find(box, name, true)).as("no Maildir yet").isNull();
        Path published = Maildir.publish(Maildir.write(box, name, "x".getBytes()));
        assertThat(Maildir.find(box, name, false)).isEqualTo(published);

        // the mail client read it: moved to cur/ with its flags
        Path read = Files.move(published, box.resolve("cur").resolve(name + ":2,S"));
        assertThat(Maildir.find(box, name, false)).isNull();
        assertThat(Maildir.find(box, name, true)).isEqualTo(read);
    }

    @Test
    void aCopyOfAnotherRecipientWithALongerNameIsNotTakenForThisOne() throws IOException {
        Path box = dir.resolve("bob@contoso.com");
        String nmid = "8026f7a2-10c7-4894-75d5-08db7c3b05c4";
        Instant at = Instant.now();
        Path other = Maildir.publish(Maildir.write(box, Maildir.nameFor(at, nmid, 1) + "x", "other".getBytes()));
        Files.move(other, box.resolve("cur").resolve(other.getFileName()));
        assertThat(Maildir.find(box, Maildir.nameFor(at, nmid, 1), true)).isNull();
    }

    /** A redelivery under the same name replaces the copy instead of adding a second one. */
    @Test
    void publishingTheSameNameAgainLeavesOneCopy() throws IOException {
        Path box = dir.resolve("bob@contoso.com");
        Maildir.publish(Maildir.write(box, "same.gatehouse", "first".getBytes()));
        Path again = Maildir.publish(Maildir.write(box, "same.gatehouse", "second".getBytes()));
        try (var files = Files.list(box.resolve("new"))) {
            assertThat(files.toList()).containsExactly(again);
        }
        assertThat(again).hasContent("second");
        assertThat(box.resolve("tmp")).isEmptyDirectory();
    }

    /** A Maildir already written to is not checked again; when it was removed meanwhile, it is created again. */
    @Test
    void aKnownMaildirRemovedBeforeTheWriteOrBeforeThePublishIsCreatedAgain() throws IOException {
        Path box = dir.resolve("tenant").resolve("erin@contoso.com");
        Maildir.publish(Maildir.write(box, "first.gatehouse", "first".getBytes()));

        deleteTree(dir.resolve("tenant"));
        Path second = Maildir.publish(Maildir.write(box, "second.gatehouse", "second".getBytes()));
        assertThat(second).hasContent("second").hasParent(box.resolve("new"));
        assertThat(box.resolve("cur")).isDirectory();

        Path tmp = Maildir.write(box, "third.gatehouse", "third".getBytes());
        deleteTree(box.resolve("new"));
        assertThat(Maildir.publish(tmp)).hasContent("third").hasParent(box.resolve("new"));
        assertThat(box.resolve("tmp")).isEmptyDirectory();

        Path gone = Maildir.write(box, "fourth.gatehouse", "fourth".getBytes());
        Files.delete(gone);
        assertThatThrownBy(() -> Maildir.publish(gone)).as("a tmp file that is gone is an error, not a new/ to create")
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    private static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Test
    void aMaildirWhosePathIsAFileOrWhoseTmpIsAFileIsAnErrorNotASilentLoss() throws IOException {
        Path file = dir.resolve("carol@contoso.com");
        Files.writeString(file, "not a directory");
        assertThatThrownBy(() -> Maildir.write(file, "x".getBytes())).isInstanceOf(IOException.class);
        assertThat(file).hasContent("not a directory");

        Path box = dir.resolve("dave@contoso.com");
        Files.createDirectories(box.resolve("new"));
        Files.writeString(box.resolve("tmp"), "not a directory");
        assertThatThrownBy(() -> Maildir.write(box, "x".getBytes())).isInstanceOf(IOException.class).hasMessageContaining("tmp");
    }
}
