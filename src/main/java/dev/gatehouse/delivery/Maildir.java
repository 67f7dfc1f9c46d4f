// Writes one message into a Maildir durably: tmp, fsync, rename into new, fsync the directory.
package dev.gatehouse.delivery;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maildir delivery as qmail defined it. The file is durable before the recipient is marked Delivered:
 * content fsynced in {@code tmp/}, atomically renamed into {@code new/}, then {@code new/} itself fsynced so
 * the rename survives a power loss. A crash in between leaves at worst a stray tmp file or a duplicate,
 * never a loss.
 */
final class Maildir {
    private static final AtomicLong SEQ = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();
    private static final String HOST = hostName();
    private static final DirectorySync NEW_DIRS = new DirectorySync();

    private Maildir() {}

    /** Delivers into the Maildir at {@code dir} (created if needed) and returns the file in {@code new/}. */
    static Path deliver(Path dir, byte[] content) throws IOException {
        Path tmpFile = write(dir, content, true);
        Path target = publish(tmpFile);
        NEW_DIRS.sync(target.getParent()); // shared with deliveries renaming into the same new/ at the same time
        return target;
    }

    /**
     * Writes {@code content} into {@code dir/tmp/} (the Maildir is created, durably, if needed) and returns
     * the tmp file. With {@code force} the file is fsynced; without, the caller must make it durable (a
     * batch flush, {@link FileSystemFlush}) before {@link #publish} renames it into {@code new/}.
     */
    static Path write(Path dir, byte[] content, boolean force) throws IOException {
        Path tmp = dir.resolve("tmp");
        Path neu = dir.resolve("new");
        if (!Files.isDirectory(neu) || !Files.isDirectory(tmp)) {
            Files.createDirectories(tmp);
            Files.createDirectories(neu);
            Files.createDirectories(dir.resolve("cur"));
            fsyncDirectory(dir);
            fsyncDirectory(dir.getParent());
        }
        Path tmpFile = tmp.resolve(uniqueName());
        try (FileChannel ch = FileChannel.open(tmpFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) ch.write(buf);
            if (force) ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmpFile);
            throw e;
        }
        return tmpFile;
    }

    /**
     * Renames a durable tmp file into its Maildir's {@code new/} (same name) and returns the new path. The
     * rename is durable only once {@code new/} is flushed.
     */
    static Path publish(Path tmpFile) throws IOException {
        Path target = tmpFile.getParent().resolveSibling("new").resolve(tmpFile.getFileName());
        Files.move(tmpFile, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    static void fsyncDirectory(Path dir) throws IOException {
        DirectorySync.force(dir);
    }

    /** {@code <seconds>.M<micros>P<pid>Q<seq>.<host>}, as Dovecot names them. */
    static String uniqueName() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() + ".M" + (now.getNano() / 1000) + "P" + PID + "Q" + SEQ.incrementAndGet() + "." + HOST;
    }

    /** A path segment that cannot escape its parent: only [A-Za-z0-9@._+=-], others %XX, no leading dot. */
    static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "@._+=-".indexOf(c) >= 0;
            if (plain && !(c == '.' && out.isEmpty())) out.append(c);
            else out.append('%').append(String.format("%02X", b & 0xff));
        }
        return out.isEmpty() ? "%00" : out.toString();
    }

    private static String hostName() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        String host = name.contains("@") ? name.substring(name.indexOf('@') + 1) : "localhost";
        return host.replace("/", "\\057").replace(":", "\\072");
    }
}
