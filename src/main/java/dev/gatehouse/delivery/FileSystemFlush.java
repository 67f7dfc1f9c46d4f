// One flush for many files: syncfs(2) on Linux (through the FFM API), else an fsync per file.
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
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Map;

/**
 * Makes a set of files (or directories) durable with as few device flushes as possible.
 *
 * <p>On Linux it groups the paths by file system ({@code st_dev}) and calls {@code syncfs(2)} once per file
 * system: the kernel writes back every dirty page and inode there and then flushes the device cache once
 * (ext4 and XFS issue the cache flush in their {@code sync_fs}), and since Linux 5.8 it reports a writeback
 * error that happened on that file system since the descriptor was opened. On a disk that completes a
 * few hundred flushes a second, a delivery batch of 64 files then costs one flush instead of 64. Where
 * {@code syncfs} is missing (another OS, or the FFM call is not allowed) it falls back to one
 * {@code fsync} per path, which is what the batch would have cost anyway.
 *
 * <p>The price: {@code syncfs} also writes back other programs' dirty data on the same file system, so a
 * mail root shared with a heavy writer makes each flush slower. Give the data directory its own file
 * system when that matters (as one would for Postfix's queue).
 */
final class FileSystemFlush {
    private static final Logger log = LoggerFactory.getLogger(FileSystemFlush.class);

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000; // 02000000 on x86-64, aarch64 and most Linux ABIs

    private static final MethodHandle OPEN;
    private static final MethodHandle SYNCFS;
    private static final MethodHandle CLOSE;
    private static final StructLayout CALL_STATE;
    private static final VarHandle ERRNO;

    static {
        MethodHandle open = null, syncfs = null, close = null;
        StructLayout state = null;
        VarHandle errno = null;
        if (System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errnoOption = Linker.Option.captureCallState("errno");
                state = Linker.Option.captureStateLayout();
                errno = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                open = linker.downcallHandle(libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(2), errnoOption);
                syncfs = linker.downcallHandle(libc.find("syncfs").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errnoOption);
                close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            } catch (RuntimeException | Error e) { // no such symbol, or native access refused
                log.info("event=syncfs_unavailable fallback=fsync_per_file reason=\"{}\"", e.toString());
                open = syncfs = close = null;
            }
        }
        OPEN = open;
        SYNCFS = syncfs;
        CLOSE = close;
        CALL_STATE = state;
        ERRNO = errno;
    }

    private FileSystemFlush() {}

    /** True when one {@code syncfs} per file system replaces the per-file fsyncs. */
    static boolean grouped() { return SYNCFS != null; }

    /**
     * Returns once every file's data and metadata is on stable storage. Throws when a flush failed: then
     * none of the files may be taken as durable.
     */
    static void files(Collection<Path> files) throws IOException {
        if (SYNCFS == null) {
            for (Path f : files) fsync(f);
            return;
        }
        Set<Path> directories = new LinkedHashSet<>(); // a file lives on its directory's file system
        for (Path f : files) directories.add(f.toAbsolutePath().getParent());
        syncfsEach(directories);
    }

    /** Returns once every directory's entries (a rename into it) are on stable storage. */
    static void directories(Collection<Path> directories) throws IOException {
        if (SYNCFS == null) {
            for (Path d : directories) fsync(d);
            return;
        }
        syncfsEach(directories);
    }

    private static void syncfsEach(Collection<Path> directories) throws IOException {
        Map<Object, Path> onePerFileSystem = new LinkedHashMap<>();
        for (Path d : directories) onePerFileSystem.putIfAbsent(Files.getAttribute(d, "unix:dev"), d);
        for (Path d : onePerFileSystem.values()) syncfs(d);
    }

    static void fsync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void syncfs(Path anyPathOnIt) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(anyPathOnIt.toString()), O_RDONLY | O_CLOEXEC);
            if (fd < 0) throw new IOException("open " + anyPathOnIt + " for syncfs failed: errno " + (int) ERRNO.get(state, 0L));
            try {
                int rc = (int) SYNCFS.invokeExact(state, fd);
                if (rc != 0) throw new IOException("syncfs on the file system of " + anyPathOnIt + " failed: errno " + (int) ERRNO.get(state, 0L));
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("syncfs on the file system of " + anyPathOnIt + " failed: " + t, t);
        }
    }
}
