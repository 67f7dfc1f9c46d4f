// The process's open-file limit: raised as far as allowed, and the SMTP connection cap kept under it.
package dev.gatehouse.server;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every SMTP connection is a file descriptor, and so is every store connection, Maildir file being written,
 * directory being flushed and admin API connection. If connections alone may use up the process's limit, a
 * flood of idle clients takes delivery, the store and {@code /healthz} down with them ({@code Too many open
 * files}). So at start the soft limit is raised to the hard limit ({@code setrlimit}), and the SMTP connection
 * cap is kept at what is left once the descriptors already open and a reserve for everything else are set
 * aside ({@link #connectionCap}); past the cap new clients get {@code 421 4.7.0} and everything else keeps
 * working.
 */
public final class FileDescriptors {
    private static final Logger log = LoggerFactory.getLogger(FileDescriptors.class);
    private static final int RLIMIT_NOFILE = 7; // Linux

    /** Descriptors kept for the store, delivery, relay, the admin API and the JVM itself, beyond those open at start. */
    public static final int RESERVE = 200;

    private FileDescriptors() {}

    /** The soft open-file limit after raising it to the hard limit, or -1 when it can't be read (not Linux). */
    public static long raiseSoftLimit() {
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MethodHandle get = linker.downcallHandle(linker.defaultLookup().find("getrlimit").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MethodHandle set = linker.downcallHandle(linker.defaultLookup().find("setrlimit").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MemorySegment limit = arena.allocate(16, 8); // struct rlimit { rlim_t cur, max; } with 64-bit rlim_t
            if ((int) get.invokeExact(RLIMIT_NOFILE, limit) != 0) return -1;
            long soft = limit.get(ValueLayout.JAVA_LONG, 0);
            long hard = limit.get(ValueLayout.JAVA_LONG, 8);
            if (hard != soft && Long.compareUnsigned(hard, soft) > 0) {
                limit.set(ValueLayout.JAVA_LONG, 0, hard);
                if ((int) set.invokeExact(RLIMIT_NOFILE, limit) == 0) {
                    log.info("event=open_file_limit_raised from={} to={}", soft, unsigned(hard));
                    soft = hard;
                }
            }
            return soft < 0 ? Long.MAX_VALUE : soft; // RLIM_INFINITY is all ones
        } catch (Throwable e) {
            log.warn("event=open_file_limit_unknown error=\"{}\"", e.toString());
            return -1;
        }
    }

    private static String unsigned(long v) { return v < 0 ? "unlimited" : String.valueOf(v); }

    /** Descriptors this process has open now ({@code /proc/self/fd}), or 0 when that can't be read. */
    public static int openNow() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * The SMTP connection cap that fits under {@code softLimit}: the configured cap, or what is left after the
     * descriptors open now and {@link #RESERVE}, whichever is smaller (at least 1). Unknown limit: the configured cap.
     */
    public static int connectionCap(int configured, long softLimit, int openNow) {
        if (softLimit < 0) return configured;
        long room = softLimit - openNow - RESERVE;
        return (int) Math.max(1, Math.min(configured, room));
    }
}
