// Who may read the store and the mail: the gateway's user only (data directory 0700, files 0600).
package dev.gatehouse.server;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds every tenant's mail and the whole store: no other local user may read any of it.
 * Every process of the launcher sets its umask to {@code 077} first ({@link #restrictUmask}), so everything
 * it creates (the SQLite file and its WAL, Maildir directories and messages, the generated TLS key, exported
 * files) is {@code 0700}/{@code 0600} whoever writes it, native code included. A data directory written by an
 * older version with looser modes is tightened at start ({@link #tighten}), with a warning that says how many
 * entries were fixed.
 */
public final class FileModes {
    private static final Logger log = LoggerFactory.getLogger(FileModes.class);

    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private FileModes() {}

    /** Sets this process's umask to 077 (libc {@code umask}); returns false where that can't be done (not POSIX). */
    public static boolean restrictUmask() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle umask = linker.downcallHandle(linker.defaultLookup().find("umask").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int previous = (int) umask.invokeExact(0077);
            log.debug("event=umask_set previous={}", Integer.toOctalString(previous));
            return true;
        } catch (Throwable e) {
            log.warn("event=umask_not_set error=\"{}\"", e.toString());
            return false;
        }
    }

    /**
     * Creates {@code dir} as 0700 if needed and removes group and other permissions from it and from everything
     * under it (symbolic links are not followed); logs a warning when anything was looser. Returns how many
     * entries were changed.
     */
    public static int tighten(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, DIRECTORY);
            return 0;
        }
        AtomicInteger changed = new AtomicInteger();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                fix(d, DIRECTORY, changed);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) fix(f, FILE, changed);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFileFailed(Path f, IOException e) {
                log.warn("event=file_mode_unreadable path=\"{}\" error=\"{}\"", f, e.toString());
                return FileVisitResult.CONTINUE;
            }
        });
        if (changed.get() > 0) {
            log.warn("event=file_modes_tightened data_dir={} changed={} (group and other permissions removed: a data directory"
                    + " written by an older version let any local user read the store and the mail)", dir, changed.get());
        }
        return changed.get();
    }

    private static void fix(Path p, Set<PosixFilePermission> target, AtomicInteger changed) throws IOException {
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        if (now.stream().noneMatch(OTHERS::contains)) return;
        Set<PosixFilePermission> tightened = EnumSet.noneOf(PosixFilePermission.class);
        tightened.addAll(now);
        tightened.removeAll(OTHERS);
        tightened.addAll(target); // the owner keeps (and gets) what the gateway needs
        Files.setPosixFilePermissions(p, tightened);
        changed.incrementAndGet();
    }

    /**
     * {@link #tighten} of the data directory without its Maildirs, now, and of the Maildirs on a background
     * thread (a large mail store takes a while to walk; what the gateway writes meanwhile is already 0600).
     */
    public static void tightenDataDirectory(Path dataDir, Path mailRoot) throws IOException {
        if (!Files.exists(dataDir, LinkOption.NOFOLLOW_LINKS)) {
            tighten(dataDir);
            return;
        }
        AtomicInteger changed = new AtomicInteger();
        fix(dataDir, DIRECTORY, changed);
        try (var entries = Files.list(dataDir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (p.equals(mailRoot)) continue;
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) changed.addAndGet(tighten(p));
                else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) fix(p, FILE, changed);
            }
        }
        if (changed.get() > 0) log.warn("event=file_modes_tightened path={} changed={} (group and other permissions removed)", dataDir, changed.get());
        if (Files.isDirectory(mailRoot, LinkOption.NOFOLLOW_LINKS)) {
            Thread.ofPlatform().name("gatehouse-file-modes").daemon().start(() -> {
                try {
                    tighten(mailRoot);
                } catch (IOException | RuntimeException e) {
                    log.warn("event=file_modes_not_tightened path={} error=\"{}\"", mailRoot, e.toString());
                }
            });
        }
    }
}
