package dev.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's first steps (issue 10, item 10): two launcher commands started at once on a fresh clone
 * share one build; every subcommand answers --help; the shell says why it can't reach a gateway that isn't
 * running.
 */
class FirstStepsIT {

    @TempDir Path tmp;

    @Test
    void everySubcommandAnswersHelpWithItsOptions() throws Exception {
        for (var c : List.of(List.of("serve", "--help"), List.of("shell", "-h"), List.of("provision", "--help"), List.of("version", "-h"))) {
            GatewayProcess.Exit e = GatewayProcess.run(c, Map.of(), Duration.ofSeconds(60));
            assertThat(e.code()).as("%s: %s", c, e.text()).isZero();
            assertThat(e.text()).as("%s", c).contains("Usage: gatehouse " + c.getFirst()).doesNotContain("Unknown option");
        }
        assertThat(GatewayProcess.run(List.of("serve", "--help"), Map.of(), Duration.ofSeconds(60)).text())
                .contains("--data-timeout", "--http-request-timeout", "--hostname");
    }

    @Test
    void theShellSaysWhyItCannotReachAGatewayThatIsNotRunning() throws Exception {
        int closed = GatewayProcess.freePort();
        GatewayProcess.Exit e = GatewayProcess.run(List.of("shell", "--url", "http://127.0.0.1:" + closed, "--token", "x", "-c",
                "Get-AcceptedDomain"), Map.of(), Duration.ofSeconds(60));
        assertThat(e.code()).isNotZero();
        assertThat(e.text()).contains("cannot reach the gateway at http://127.0.0.1:" + closed, "connection refused", "gatehouse serve")
                .doesNotContain(": null");
    }

    @Test
    void twoLauncherCommandsOnAFreshCloneShareOneBuild() throws Exception {
        Path project = Path.of(System.getProperty("user.dir"));
        Path clone = tmp.resolve("clone");
        for (String p : List.of("pom.xml", "mvnw", "gatehouse")) copy(project.resolve(p), clone.resolve(p));
        for (String d : List.of(".mvn", "src/main")) copyTree(project.resolve(d), clone.resolve(d));
        List<Process> both = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ProcessBuilder pb = new ProcessBuilder(clone.resolve("gatehouse").toString(), "version").redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("out" + i + ".txt").toFile());
            pb.environment().put("MAVEN_OPTS", "-Dmaven.repo.local=" + System.getProperty("user.home") + "/.m2/repository");
            both.add(pb.start());
        }
        for (int i = 0; i < 2; i++) {
            assertThat(both.get(i).waitFor(10, TimeUnit.MINUTES)).isTrue();
            String out = Files.readString(tmp.resolve("out" + i + ".txt"), StandardCharsets.UTF_8);
            assertThat(both.get(i).exitValue()).as(out).isZero();
            assertThat(out).contains("gatehouse 0.1.0-SNAPSHOT").doesNotContain("Could not replace original artifact", "Unable to access jarfile");
        }
        String all = Files.readString(tmp.resolve("out0.txt")) + Files.readString(tmp.resolve("out1.txt"));
        assertThat(all.split("building ", -1)).as("one build for both:\n" + all).hasSize(2);
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else copy(p, t);
            }
        }
    }
}
