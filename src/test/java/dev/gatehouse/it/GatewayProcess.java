package dev.gatehouse.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    public static Path jar() {
        String j = System.getProperty("gatehouse.jar");
        if (j == null || !Files.isRegularFile(Path.of(j))) {
            throw new IllegalStateException("gatehouse.jar not built (run through ./mvnw verify): " + j);
        }
        return Path.of(j);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) { return s.getLocalPort(); }
    }

    /** Starts {@code serve} with the given extra arguments and waits for its ready line. */
    public static GatewayProcess start(Path dataDir, List<String> extraArgs) throws Exception {
        return start(dataDir, freePort(), freePort(), extraArgs);
    }

    public static GatewayProcess start(Path dataDir, int smtpPort, int httpPort, List<String> extraArgs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-jar", jar().toString(),
                "serve", "--data-dir", dataDir.toString(), "--smtp-bind", "127.0.0.1", "--smtp-port", String.valueOf(smtpPort),
                "--http-port", String.valueOf(httpPort), "--hostname", "mx.gatehouse.test"));
        cmd.addAll(extraArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
            }
        });
        if (!ready.await(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("gateway did not become ready; output:\n" + String.join("\n", g.output));
        }
        return g;
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
