// Maildir files: write into tmp, then (once the caller has flushed them) rename into new.
package dev.gatehouse.delivery;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maildir delivery as qmail defined it. The file is durable before the recipient is marked Delivered:
 * written into {@code tmp/} and flushed, atomically renamed into {@code new/}, then {@code new/} flushed so
 * the rename survives a power loss ({@link DeliveryWorker} does the flushes, one per batch). A crash in
 * between leaves at worst a stray tmp file or a duplicate, never a loss.
 */
final class Maildir {
    private static final AtomicLong SEQ = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();
    private static final String HOST = hostName();

    private Maildir() {}

    /**
     * Writes {@code content} into {@code dir/tmp/} (the Maildir is created, durably, if needed) and returns
     * the tmp file, not yet durable: the caller makes it so ({@link FileSystemFlush#files}, one flush for a
     * whole batch) before {@link #publish} renames it into {@code new/}.
     */
    static Path write(Path dir, byte[] content) throws IOException { return write(dir, uniqueName(), content); }

    /**
     * As {@link #write(Path, byte[])} under the given name: a copy's name derived from its message and recipient
     * ({@link #nameFor}) is the same on every delivery attempt, so a leftover {@code tmp/} file of an interrupted
     * attempt is overwritten, and a copy already in {@code new/} or {@code cur/} can be found ({@link #find}).
     */
    static Path write(Path dir, String name, byte[] content) throws IOException {
        if (!KNOWN.contains(dir)) {
            if (!Files.isDirectory(dir.resolve("new")) || !Files.isDirectory(dir.resolve("tmp"))) create(dir);
            remember(dir);
        }
        Path tmpFile = dir.resolve("tmp").resolve(name);
        try {
            writeFile(tmpFile, content);
        } catch (NoSuchFileException e) { // removed since we last saw it: create it again, once
            create(dir);
            writeFile(tmpFile, content);
        }
        return tmpFile;
    }

    private static void writeFile(Path tmpFile, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(tmpFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) ch.write(buf);
        } catch (IOException e) {
            Files.deleteIfExists(tmpFile);
            throw e;
        }
    }

    /**
     * Maildirs known to exist, so a delivery does not stat {@code tmp/} and {@code new/} each time. Bounded: when
     * full it starts over. One removed meanwhile shows as a {@link NoSuchFileException}, which creates it again.
     */
    private static final Set<Path> KNOWN = ConcurrentHashMap.newKeySet();
    private static final int KNOWN_MAX = 10_000;

    private static void remember(Path dir) {
        if (KNOWN.size() >= KNOWN_MAX) KNOWN.clear();
        KNOWN.add(dir);
    }

    /**
     * Creates the Maildir's {@code tmp/}, {@code new/} and {@code cur/} durably: every directory created gets its
     * entry flushed in its parent, up to the first one that already existed, before a file in it can be recorded
     * as delivered. One creator at a time, so none sees a directory whose entry another has not flushed yet.
     */
    private static synchronized void create(Path dir) throws IOException {
        Path existing = dir.getParent();
        while (existing != null && !Files.isDirectory(existing)) existing = existing.getParent();
        Files.createDirectories(dir.resolve("tmp"));
        Files.createDirectories(dir.resolve("new"));
        Files.createDirectories(dir.resolve("cur"));
        for (Path d = dir; d != null; d = d.getParent()) {
            FileSystemFlush.fsync(d);
            if (d.equals(existing)) break;
        }
        remember(dir);
    }

    /**
     * Renames a durable tmp file into its Maildir's {@code new/} (same name) and returns the new path. The
     * rename is durable only once {@code new/} is flushed. A {@code new/} removed since the write is created again.
     */
    static Path publish(Path tmpFile) throws IOException {
        Path target = tmpFile.getParent().resolveSibling("new").resolve(tmpFile.getFileName());
        try {
            Files.move(tmpFile, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            if (!Files.exists(tmpFile)) throw e; // the file itself is gone, not new/
            create(tmpFile.getParent().getParent());
            Files.move(tmpFile, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    /**
     * The name of one recipient's copy of one message, the same on every node and every attempt:
     * {@code <seconds received>.G<network message id>R<recipient row id>.gatehouse} (Maildir's time.unique.host).
     */
    static String nameFor(java.time.Instant receivedAt, String networkMessageId, long recipientRowId) {
        return receivedAt.getEpochSecond() + ".G" + networkMessageId.replace("-", "") + "R" + recipientRowId + ".gatehouse";
    }

    /**
     * The copy named {@code name} if it is already delivered: in {@code new/}, or, when {@code thorough}, in
     * {@code cur/} where a mail client moves it (with {@code :2,<flags>} appended). Looking in {@code cur/} reads
     * the whole directory, so it is done only when an earlier attempt may have delivered the copy.
     */
    static Path find(Path dir, String name, boolean thorough) throws IOException {
        Path inNew = dir.resolve("new").resolve(name);
        if (Files.exists(inNew)) return inNew;
        Path cur = dir.resolve("cur");
        if (!thorough || !Files.isDirectory(cur)) return null;
        try (var entries = Files.newDirectoryStream(cur, p -> {
            String f = p.getFileName().toString();
            return f.equals(name) || f.startsWith(name + ":") || f.startsWith(name + ",");
        })) {
            for (Path p : entries) return p;
        }
        return null;
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
