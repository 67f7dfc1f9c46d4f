package dev.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./gatehouse serve} and its AOT cache (issue 15 item 3, decision aot-cache), through the real launcher on a
 * project directory of its own (the launcher, and the packaged jar as the build left it): the first serve of a jar
 * starts at once and trains a cache in the background, the next serve starts from it without training,
 * {@code ./gatehouse aot-cache} trains one now, a changed jar gets a cache of its own, and a damaged cache or
 * {@code GATEHOUSE_AOT=off} never keeps the gateway from starting.
 * Training is cut to 10 messages ({@code GATEHOUSE_AOT_MESSAGES}): the cache's content is not
 * what is tested here, a training run is mostly fixed cost (the JVM in training mode, writing the configuration, the
 * child JVM assembling the cache), and 10 still meets aot-train's own check (9 of 10 accepted, all delivered).
 */
class LauncherAotCacheIT {
    private static final String TRAINING_MESSAGES = "10";

    @TempDir Path tmp;
    private Path project;
    private Path jar;

    @BeforeEach
    void aProjectWithABuiltJar() throws IOException {
        project = tmp.resolve("project");
        Files.createDirectories(project.resolve("target"));
        Files.copy(Path.of(System.getProperty("user.dir"), "gatehouse"), project.resolve("gatehouse"), StandardCopyOption.COPY_ATTRIBUTES);
        jar = project.resolve("target/gatehouse-0.1.0-SNAPSHOT.jar");
        Files.copy(GatewayProcess.jar(), jar, StandardCopyOption.COPY_ATTRIBUTES);
    }

    @Test
    void theFirstServeOfAJarStartsAtOnceAndTrainsACacheTheNextStartsFromIt() throws Exception {
        Path cache = cacheFor(jar);
        try (GatewayProcess g = serve(Map.of())) {
            // the newcomer's first start is not held up: the gateway answers, the cache is trained beside it
            assertThat(g.output()).as(text(g)).anyMatch(l -> l.contains("training one in the background for the next start"))
                    .anyMatch(l -> l.contains("event=aot_cache used=false (none given"));
            assertThat(commandLine(g)).doesNotContain("-XX:AOTCache");
        }
        awaitFile(cache, Duration.ofMinutes(5));
        FileTime made = Files.getLastModifiedTime(cache);

        try (GatewayProcess g = serve(Map.of())) {
            assertThat(g.output()).as(text(g)).noneMatch(l -> l.contains("training")).anyMatch(l -> l.contains("event=aot_cache used=true file=" + cache));
            assertThat(commandLine(g)).contains("-XX:AOTCache=" + cache);
        }
        assertThat(Files.getLastModifiedTime(cache)).isEqualTo(made);
    }

    @Test
    void aotCacheTrainsANewBuildsCacheNowAndServeStartsFromIt() throws Exception {
        Path cache = cacheFor(jar);
        ProcessBuilder pb = new ProcessBuilder(project.resolve("gatehouse").toString(), "aot-cache").directory(project.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(Map.of("JAVA_HOME", System.getProperty("java.home"), "GATEHOUSE_AOT", "on",
                "GATEHOUSE_AOT_MESSAGES", TRAINING_MESSAGES, "GATEHOUSE_JAVA_OPTS", ""));
        Process p = pb.start();
        p.getOutputStream().close();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(printed).isEqualTo(cache.toString());
        assertThat(cache).isNotEmptyFile();

        // a new build: the launcher runs a new copy of the jar, which the old cache does not fit
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Path second = cacheFor(jar);
        assertThat(second).isNotEqualTo(cache);
        try (GatewayProcess g = serve(Map.of())) {
            assertThat(g.output()).as(text(g)).anyMatch(l -> l.contains("training one in the background"))
                    .anyMatch(l -> l.contains("event=aot_cache used=false (none given"));
        }
        awaitFile(second, Duration.ofMinutes(5));
    }

    /** Waits for the background training to write {@code file} and say so in its log (its last act). */
    private static void awaitFile(Path file, Duration within) throws InterruptedException, IOException {
        Path log = file.resolveSibling("aot-training.log");
        long until = System.nanoTime() + within.toNanos();
        while (!(Files.isRegularFile(file) && Files.isRegularFile(log) && Files.readString(log).contains(file + " written in"))
                && System.nanoTime() < until) {
            Thread.sleep(500);
        }
        assertThat(file).as("trained in the background within " + within).isNotEmptyFile();
        Thread.sleep(500); // the training's shell then only releases its lock and exits
    }

    @Test
    void aDamagedCacheOrAotOffStillStartsTheGatewayWithoutOne() throws Exception {
        Path cache = cacheFor(jar);
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, "not an AOT cache: a disk that lost the file's blocks", StandardCharsets.US_ASCII);
        try (GatewayProcess g = serve(Map.of())) {
            assertThat(g.output()).as(text(g)).noneMatch(l -> l.contains("training"))
                    .anyMatch(l -> l.contains("WARN") && l.contains("event=aot_cache used=false file=" + cache));
            assertThat(g.isAlive()).isTrue();
        }

        try (GatewayProcess g = serve(Map.of("GATEHOUSE_AOT", "off"))) {
            assertThat(g.output()).as(text(g)).noneMatch(l -> l.contains("training")).noneMatch(l -> l.contains("[aot]"))
                    .anyMatch(l -> l.contains("event=aot_cache used=false (none given"));
            assertThat(commandLine(g)).doesNotContain("-XX:AOTCache");
        }
    }

    /** The cache the launcher keeps for the run copy of {@code jar}: target/run/gatehouse-MTIME-SIZE.aot. */
    private Path cacheFor(Path jar) throws IOException {
        long mtime = Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS);
        return project.resolve("target/run/gatehouse-" + mtime + "-" + Files.size(jar) + ".aot");
    }

    private GatewayProcess serve(Map<String, String> extraEnv) throws Exception {
        int[] ports = GatewayProcess.freePorts(2);
        int smtp = ports[0];
        int http = ports[1];
        List<String> cmd = new java.util.ArrayList<>(List.of(project.resolve("gatehouse").toString()));
        cmd.addAll(GatewayProcess.serveArgs(tmp.resolve("data"), smtp, http, List.of()));
        Map<String, String> env = new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home"), "GATEHOUSE_AOT", "on",
                "GATEHOUSE_AOT_MESSAGES", TRAINING_MESSAGES, "GATEHOUSE_JAVA_OPTS", ""));
        env.putAll(extraEnv);
        return GatewayProcess.launchCommand(cmd, env, smtp, http, Duration.ofMinutes(2));
    }

    private static String commandLine(GatewayProcess g) throws IOException {
        return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(g.pid()), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
    }

    private static String text(GatewayProcess g) { return String.join("\n", g.output()); }
}
