// One flush for many files: syncfs(2) where it is known to be honest, else an fsync per file.
package dev.gatehouse.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Makes a set of files (or directories) durable with as few device flushes as possible.
 *
 * <p>Paths are grouped by file system ({@code st_dev}). On a file system where {@code syncfs(2)} is known
 * to report failure honestly, one {@code syncfs} covers the group: the kernel writes back every dirty page
 * and inode there, then flushes the device cache once. That needs Linux 5.17 or later (5.8 began
 * returning writeback errors from {@code syncfs}; 5.17 stopped dropping the file system's own sync
 * errors) and a local file system whose {@code sync_fs} flushes the device: ext3/ext4, XFS, btrfs, f2fs
 * (and tmpfs, which has nothing to flush). Everywhere else (older kernels, FUSE, NFS, 9p, other systems)
 * each path gets its own {@code fsync}, the safe and slower way. A {@code syncfs} that the platform refuses
 * at run time (ENOSYS, EPERM, EINVAL, EOPNOTSUPP: a seccomp filter, gVisor) switches this process to
 * fsyncs for good, after doing this flush that way.
 *
 * <p>{@code syncfs} is found through {@code dlsym(RTLD_DEFAULT)}, as a C program would find it, so an
 * interposed one ({@code LD_PRELOAD}, e.g. the benchmark's slow-disk emulation) is the one called. The
 * call runs on a platform thread of its own: a virtual thread inside a native call would hold its carrier
 * (and with it a share of the SMTP sessions) for as long as the flush takes.
 *
 * <p>The price: {@code syncfs} also writes back other programs' dirty data on the same file system, so a
 * mail root that shares its file system with a heavy writer makes each flush slower. Give the data
 * directory its own file system when that matters (as one would for Postfix's queue).
 */
final class FileSystemFlush {
    private static final Logger log = LoggerFactory.getLogger(FileSystemFlush.class);

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000; // 02000000 on x86-64, aarch64 and most Linux ABIs
    private static final Set<Integer> REFUSED = Set.of(1 /* EPERM */, 22 /* EINVAL */, 38 /* ENOSYS */, 95 /* EOPNOTSUPP */);
    private static final Set<String> HONEST_SYNCFS = Set.of("ext3", "ext4", "xfs", "btrfs", "f2fs", "tmpfs");

    private static final MethodHandle OPEN;
    private static final MethodHandle SYNCFS;
    private static final MethodHandle CLOSE;
    private static final StructLayout CALL_STATE;
    private static final VarHandle ERRNO;
    private static final ExecutorService FLUSHER;

    /** False once syncfs is unavailable or refused: every flush is then an fsync per path. */
    private static volatile boolean grouped;
    private static final Map<Object, Boolean> honestByDevice = new ConcurrentHashMap<>();

    static {
        MethodHandle open = null, syncfs = null, close = null;
        StructLayout state = null;
        VarHandle errno = null;
        String why = null;
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            why = "not Linux";
        } else if (!kernelAtLeast(System.getProperty("os.version", ""), 5, 17)) {
            why = "Linux " + System.getProperty("os.version") + " is older than 5.17, whose syncfs may hide write errors";
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                MethodHandle dlsym = linker.downcallHandle(linker.defaultLookup().find("dlsym").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
                Linker.Option errnoOption = Linker.Option.captureCallState("errno");
                state = Linker.Option.captureStateLayout();
                errno = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                open = linker.downcallHandle(symbol(dlsym, "open"),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(2), errnoOption);
                syncfs = linker.downcallHandle(symbol(dlsym, "syncfs"),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errnoOption);
                close = linker.downcallHandle(symbol(dlsym, "close"),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            } catch (Throwable e) { // no such symbol, or native access refused
                why = e.toString();
                open = syncfs = close = null;
            }
        }
        if (why != null) log.info("event=syncfs_unavailable fallback=fsync_per_file reason=\"{}\"", why);
        OPEN = open;
        SYNCFS = syncfs;
        CLOSE = close;
        CALL_STATE = state;
        ERRNO = errno;
        grouped = syncfs != null;
        FLUSHER = syncfs == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-syncfs");
            t.setDaemon(true);
            return t;
        });
    }

    private FileSystemFlush() {}

    private static MemorySegment symbol(MethodHandle dlsym, String name) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = (MemorySegment) dlsym.invokeExact(MemorySegment.NULL /* RTLD_DEFAULT */, arena.allocateFrom(name));
            if (address.equals(MemorySegment.NULL)) throw new IllegalStateException("no symbol " + name);
            return address;
        }
    }

    /** {@code 6.18.44-foo} → true for 5.17. */
    static boolean kernelAtLeast(String version, int major, int minor) {
        String[] parts = version.split("[^0-9]+", 3);
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    /** True while one {@code syncfs} per file system may replace the per-file fsyncs. */
    static boolean grouped() { return grouped; }

    /** Tests of the fallback: flush with an fsync per path from now on ({@code false}), or go back. */
    static void groupedForTests(boolean on) { grouped = on && SYNCFS != null; }

    /**
     * Returns once every file's data and metadata is on stable storage. Throws when a flush failed: then
     * none of the files may be taken as durable.
     */
    static void files(Collection<Path> files) throws IOException {
        Map<Path, List<Path>> byDirectory = new LinkedHashMap<>(); // a file lives on its directory's file system
        for (Path f : files) byDirectory.computeIfAbsent(f.toAbsolutePath().getParent(), d -> new ArrayList<>()).add(f);
        flush(byDirectory);
    }

    /** Returns once every directory's entries (a rename into it) are on stable storage. */
    static void directories(Collection<Path> directories) throws IOException {
        Map<Path, List<Path>> self = new LinkedHashMap<>();
        for (Path d : directories) self.put(d, List.of(d));
        flush(self);
    }

    /** @param byDirectory the paths to make durable, keyed by the directory that holds them */
    private static void flush(Map<Path, List<Path>> byDirectory) throws IOException {
        Map<Object, Path> syncfsTargets = new LinkedHashMap<>();
        List<Path> oneByOne = new ArrayList<>();
        for (Map.Entry<Path, List<Path>> e : byDirectory.entrySet()) {
            if (grouped) {
                Object device = Files.getAttribute(e.getKey(), "unix:dev");
                if (honestByDevice.computeIfAbsent(device, dev -> honest(e.getKey()))) {
                    syncfsTargets.putIfAbsent(device, e.getKey());
                    continue;
                }
            }
            oneByOne.addAll(e.getValue());
        }
        for (Path d : syncfsTargets.values()) {
            if (!syncfs(d)) { // refused by the platform: this flush, and all later ones, one fsync at a time
                for (List<Path> paths : byDirectory.values()) for (Path p : paths) fsync(p);
                return;
            }
        }
        for (Path p : oneByOne) fsync(p);
    }

    private static boolean honest(Path directory) {
        try {
            String type = Files.getFileStore(directory).type();
            boolean ok = HONEST_SYNCFS.contains(type);
            log.info("event=flush_mode file_system={} type={} mode={}", directory, type, ok ? "syncfs_per_batch" : "fsync_per_file");
            return ok;
        } catch (IOException e) {
            return false;
        }
    }

    static void fsync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** @return false when the platform refuses syncfs (grouping is then off for good); throws on a real failure */
    private static boolean syncfs(Path anyPathOnIt) throws IOException {
        int errno;
        try {
            errno = Thread.currentThread().isVirtual() ? FLUSHER.submit(() -> callSyncfs(anyPathOnIt)).get() : callSyncfs(anyPathOnIt);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("syncfs on " + anyPathOnIt + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing " + anyPathOnIt, e);
        }
        if (errno == 0) return true;
        if (REFUSED.contains(errno)) {
            grouped = false;
            log.warn("event=syncfs_refused errno={} fallback=fsync_per_file", errno);
            return false;
        }
        throw new IOException("syncfs on the file system of " + anyPathOnIt + " failed: errno " + errno);
    }

    /** @return 0, or the errno of the failed call */
    private static int callSyncfs(Path anyPathOnIt) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(anyPathOnIt.toString()), O_RDONLY | O_CLOEXEC);
            if (fd < 0) throw new IOException("open " + anyPathOnIt + " for syncfs failed: errno " + (int) ERRNO.get(state, 0L));
            try {
                int rc = (int) SYNCFS.invokeExact(state, fd);
                return rc == 0 ? 0 : (int) ERRNO.get(state, 0L);
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("syncfs on the file system of " + anyPathOnIt + " failed: " + t, t);
        }
    }
}
