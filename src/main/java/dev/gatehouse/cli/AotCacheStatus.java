// Whether this JVM started from an AOT cache, for serve's startup log (decision aot-cache).
package dev.gatehouse.cli;

import java.util.Arrays;
import java.util.Optional;

import org.slf4j.Logger;

/**
 * Says once, at startup, whether the gateway runs from the AOT cache {@code ./gatehouse} trained for its jar. The
 * launcher passes {@code -XX:AOTCache=FILE} on the java command line; the JVM maps the cache or, when the file is
 * missing, damaged or was made for another jar or other flags, prints its own {@code [aot]} lines and runs without
 * one. Sharing then is off altogether (no default CDS either), which {@code java.vm.info} shows: "sharing" is in it
 * exactly when a cache was mapped.
 */
final class AotCacheStatus {

    private AotCacheStatus() {}

    static void log(Logger log) {
        Optional<String> file = ProcessHandle.current().info().arguments()
                .flatMap(args -> Arrays.stream(args).filter(a -> a.startsWith("-XX:AOTCache=")).findFirst())
                .map(a -> a.substring("-XX:AOTCache=".length()));
        if (file.isEmpty()) {
            log.info("event=aot_cache used=false (none given: GATEHOUSE_AOT=off, or not started through ./gatehouse)");
        } else if (mapped()) {
            log.info("event=aot_cache used=true file={}", file.get());
        } else {
            log.warn("event=aot_cache used=false file={} (the JVM could not use it, see its [aot] lines above: running without;"
                    + " delete the file and the next ./gatehouse serve trains a new one)", file.get());
        }
    }

    /** True when the JVM mapped a CDS/AOT archive (with -XX:AOTCache given, only that cache can be the one). */
    static boolean mapped() {
        return System.getProperty("java.vm.info", "").contains("sharing");
    }
}
