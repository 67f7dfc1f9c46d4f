package dev.gatehouse.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real gateway as a separate JVM from the packaged jar (the one {@code ./gatehouse} runs), so
 * tests can kill it with SIGKILL and restart it. The jar path comes from the {@code gatehouse.jar}
 * system property that Maven sets for integration tests.
 */
public final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    public final int smtpPort;
    public final int httpPort;

    private GatewayProcess(Process p, int smtpPort, int httpPort) {
        this.process = p;
        this.smtpPort = smtpPort;
        this.httpPort = httpPort;
    }

    /** Exit status and everything the process printed (stdout and stderr merged). */
    public record Exit(int code, List<String> output) {
        public String text() { return String.join("\n", output); }
    }

    public static Path jar() {
        String j = System.getProperty("gatehouse.jar");
        if (j == null || !Files.isRegularFile(Path.of(j))) {
            throw new IllegalStateException("gatehouse.jar not built (run through ./mvnw verify): " + j);
        }
        return Path.of(j);
    }

    public static int freePort() throws IOException {
        return dev.gatehouse.admin.AdminHarness.freePort();
    }

    /** {@code n} different free ports (two {@link #freePort()} calls may return the same one). */
    public static int[] freePorts(int n) throws IOException {
        return dev.gatehouse.admin.AdminHarness.freePorts(n);
    }

    /** {@code java ... -jar gatehouse.jar} followed by {@code args}. */
    public static List<String> javaCommand(List<String> args) {
        List<String> cmd = new ArrayList<>(jvm());
        cmd.addAll(sharedArchive());
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(args);
        return cmd;
    }

    private static List<String> jvm() {
        return List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED", "-Xmx512m");
    }

    private static List<String> archiveOptions;

    /**
     * The JVM options that map a class-data archive of this jar's gateway start (JDK dynamic CDS): the forty-odd
     * gateway JVMs of the suite then find the jar's classes already parsed instead of loading them each. Made once per
     * jar, by a gateway started and stopped here before any test's, so no two JVMs ever write it at once; a jar
     * that the archive does not fit (another class path) just starts without it. The JVM's CDS lines are kept
     * off the output, which tests read. No archive (the dump failed): no options, and the suite runs as before.
     */
    private static synchronized List<String> sharedArchive() {
        if (archiveOptions == null) {
            Path archive = dumpArchive();
            archiveOptions = archive == null ? List.of()
                    : List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:aot=off");
        }
        return archiveOptions;
    }

    private static Path dumpArchive() {
        Path data = null;
        try {
            Path jar = jar();
            Path dir = Files.createDirectories(jar.resolveSibling("it-cds"));
            Path archive = dir.resolve("gatehouse-" + Files.getLastModifiedTime(jar).toMillis() + "-" + Files.size(jar) + ".jsa");
            if (Files.isRegularFile(archive)) return archive;
            try (var old = Files.list(dir)) { // archives of earlier builds of the jar (35 MB each) go
                for (Path p : old.toList()) Files.deleteIfExists(p);
            }
            Path tmp = dir.resolve(archive.getFileName() + ".tmp");
            data = Files.createTempDirectory("gatehouse-cds");
            int[] ports = dev.gatehouse.admin.AdminHarness.freePorts(2);
            int smtp = ports[0];
            int http = ports[1];
            List<String> cmd = new ArrayList<>(jvm());
            cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + tmp, "-Xlog:cds=off", "-Xlog:aot=off", "-jar", jar.toString()));
            cmd.addAll(serveArgs(data, smtp, http, List.of()));
            GatewayProcess g = start(cmd, Map.of(), smtp, http);
            // SIGTERM: the JVM writes the archive on its way out (exit status 143, or 0 if the gateway exits itself)
            if (g.terminate(Duration.ofSeconds(60)) == -1 || !Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
                System.err.println("it: no class-data archive (the dump run did not end cleanly); gateways start without one");
                return null;
            }
            return Files.move(tmp, archive, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
            System.err.println("it: no class-data archive (" + e + "); gateways start without one");
            return null;
        } finally {
            if (data != null) dev.gatehouse.store.TestDatabase.deleteTree(data);
        }
    }

    /**
     * The standard {@code serve} arguments for a data dir and two ports, followed by {@code extraArgs}. Unless
     * those name a DNS server, the gateway asks none that answers ({@code DnsServer.OFF}): sender authentication
     * then says temperror for every message, the same on every machine, whatever its resolver knows.
     */
    public static List<String> serveArgs(Path dataDir, int smtpPort, int httpPort, List<String> extraArgs) {
        List<String> a = new ArrayList<>(List.of("serve", "--data-dir", dataDir.toString(), "--smtp-bind", "127.0.0.1",
                "--smtp-port", String.valueOf(smtpPort), "--http-port", String.valueOf(httpPort), "--hostname", "mx.gatehouse.test"));
        if (extraArgs.stream().noneMatch(x -> x.startsWith("--dns-server"))) a.addAll(List.of("--dns-server", "127.0.0.1:9"));
        a.addAll(extraArgs);
        return a;
    }

    /** Starts {@code serve} with the given extra arguments and waits for its ready line. */
    public static GatewayProcess start(Path dataDir, List<String> extraArgs) throws Exception {
        int[] ports = dev.gatehouse.admin.AdminHarness.freePorts(2);
        return start(dataDir, ports[0], ports[1], extraArgs);
    }

    public static GatewayProcess start(Path dataDir, int smtpPort, int httpPort, List<String> extraArgs) throws Exception {
        return launch(serveArgs(dataDir, smtpPort, httpPort, extraArgs), Map.of(), smtpPort, httpPort);
    }

    /**
     * Starts the jar with exactly {@code args} (and {@code env} added to the environment) and waits for
     * the ready line; fails at once, with the output, if the process exits first.
     */
    public static GatewayProcess launch(List<String> args, Map<String, String> env, int smtpPort, int httpPort) throws Exception {
        return start(javaCommand(args), env, smtpPort, httpPort);
    }

    /** Starts exactly {@code command} (e.g. a shell that lowers a limit, then execs {@link #javaCommand}) and waits for ready. */
    public static GatewayProcess launchCommand(List<String> command, int smtpPort, int httpPort) throws Exception {
        return start(command, Map.of(), smtpPort, httpPort);
    }

    /** Starts exactly {@code command} with {@code env} added, and waits up to {@code readyWithin} for the ready line. */
    public static GatewayProcess launchCommand(List<String> command, Map<String, String> env, int smtpPort, int httpPort,
            Duration readyWithin) throws Exception {
        return start(command, env, smtpPort, httpPort, readyWithin);
    }

    private static GatewayProcess start(List<String> command, Map<String, String> env, int smtpPort, int httpPort)
            throws Exception {
        return start(command, env, smtpPort, httpPort, Duration.ofSeconds(60));
    }

    private static GatewayProcess start(List<String> command, Map<String, String> env, int smtpPort, int httpPort,
            Duration readyWithin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        GatewayProcess g = new GatewayProcess(p, smtpPort, httpPort);
        CountDownLatch ready = new CountDownLatch(1);
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    g.output.add(line);
                    if (line.contains("gatehouse ready")) ready.countDown();
                }
            } catch (IOException ignored) {
                // process died; output so far is kept
            } finally {
                ready.countDown(); // EOF: the process is gone; the check below tells which
            }
        });
        if (!ready.await(readyWithin.toMillis(), TimeUnit.MILLISECONDS) || g.output.stream().noneMatch(l -> l.contains("gatehouse ready"))) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("gateway did not become ready; output:\n" + String.join("\n", g.output));
        }
        return g;
    }

    /** Runs the jar with {@code args}, expecting it to stop on its own (e.g. a startup error). */
    public static Exit run(List<String> args, Map<String, String> env, Duration timeout) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(javaCommand(args)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> out = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) out.add(line);
            } catch (IOException ignored) {
                // gone
            }
        });
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            reader.join(5000);
            throw new AssertionError("process did not exit within " + timeout + "; output:\n" + String.join("\n", out));
        }
        reader.join(5000);
        return new Exit(p.exitValue(), List.copyOf(out));
    }

    public List<String> output() { return List.copyOf(output); }

    public long pid() { return process.pid(); }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait for a clean exit. */
    public int terminate(Duration wait) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            return -1;
        }
        return process.exitValue();
    }

    public boolean isAlive() { return process.isAlive(); }

    @Override public void close() throws InterruptedException {
        if (process.isAlive()) terminate(Duration.ofSeconds(20));
    }
}
