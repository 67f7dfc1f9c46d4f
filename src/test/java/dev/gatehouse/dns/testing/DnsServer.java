// Test fixture: a real authoritative DNS server (Knot) serving zones a test writes inline, for every sender-authentication test.
package dev.gatehouse.dns.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import dev.gatehouse.dns.Dns;
import dev.gatehouse.dns.DnsResolver;

/**
 * SPF, DKIM, DMARC and ARC are only as right as the DNS answers they see, and the interesting cases (long TXT
 * records split into strings, CNAME chains, NXDOMAIN against NODATA, truncation to TCP, timeouts) are exactly
 * what a hand-written mock gets wrong. So tests talk to a real server over real sockets: Knot DNS, started as
 * the current user in the foreground from a temporary directory, on 127.0.0.1 at a port no other fixture
 * holds. {@link #start} returns once Knot answers (its identity, over UDP and TCP) and every zone is loaded
 * (its SOA answers), so a broken zone body fails the test at once with Knot's log, not later as a puzzling
 * lookup result. Where the machine has no Knot the calling test is skipped, with the reason printed.
 *
 * <p>Names in {@code timeoutNames} are answered by nobody: a relay in front of Knot swallows those queries
 * and forwards all others unchanged, over UDP and TCP.
 */
public final class DnsServer implements AutoCloseable {
    /**
     * No DNS at all: a closed port on loopback, so every lookup fails at once (TEMP_FAIL) and composite
     * authentication says {@code none 302}. Gateways in tests that are not about sender authentication use it,
     * so their mail is judged the same on every machine, whatever that machine's resolver answers.
     */
    public static final java.util.List<InetSocketAddress> OFF = java.util.List.of(new InetSocketAddress("127.0.0.1", 9));

    /** {@code serve} settings with {@link #OFF} as the DNS server, unless the test chose one. */
    public static Map<String, String> withDnsOff(Map<String, String> settings) {
        Map<String, String> s = new java.util.HashMap<>(settings);
        s.putIfAbsent("dns-server", "127.0.0.1:9");
        return s;
    }

    private static final Path KNOTD = Path.of("/usr/sbin/knotd");
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);
    private static final int ATTEMPTS = 3;
    /** Knots still running: a test run that ends without closing one (a crash, a forgotten close) must not leave it behind. */
    private static final Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "knotd-reaper"));
    }

    private final Path dir;
    private final Process knot;
    private final DropRelay relay;
    private final InetSocketAddress address;

    private DnsServer(Path dir, Process knot, DropRelay relay, InetSocketAddress address) {
        this.dir = dir;
        this.knot = knot;
        this.relay = relay;
        this.address = address;
    }

    /**
     * Starts Knot (knotd) on 127.0.0.1 at a free port serving the zones: origin (a domain, or "." for a root zone
     * that can hold any name) -> zone body in RFC 1035 master-file syntax. The fixture adds $ORIGIN, $TTL (300) and
     * SOA/NS records when the body has none. Skips the calling test (org.junit.jupiter.api.Assumptions) with a
     * printed reason when /usr/sbin/knotd is missing. Returns once Knot answers.
     */
    public static DnsServer start(Map<String, String> zones) {
        return start(zones, Set.of());
    }

    /**
     * Same, and queries whose name (case-insensitive, without trailing dot) is in timeoutNames get no answer at all:
     * a small UDP+TCP relay in front of Knot drops them, so timeouts can be tested with real sockets.
     */
    public static DnsServer start(Map<String, String> zones, Set<String> timeoutNames) {
        if (!Files.isExecutable(KNOTD)) {
            String reason = "Knot DNS is not installed (" + KNOTD + " missing; Debian package 'knot'): DNS test skipped";
            System.err.println(reason);
            Assumptions.abort(reason);
        }
        if (zones.isEmpty()) throw new IllegalArgumentException("DnsServer.start: no zones given");
        try {
            Path dir = Files.createTempDirectory("gh-knot");
            try {
                return startIn(dir, zones, timeoutNames);
            } catch (IOException | RuntimeException e) {
                deleteTree(dir);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("DnsServer.start: " + e.getMessage(), e);
        }
    }

    private static DnsServer startIn(Path dir, Map<String, String> zones, Set<String> timeoutNames) throws IOException {
        String identity = "gatehouse-fixture-" + UUID.randomUUID();
        String failure = "";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = freePort();
            Path conf = ZoneFiles.write(dir, port, identity, zones);
            Path log = dir.resolve("knot.log");
            Process knot = new ProcessBuilder(KNOTD.toString(), "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            RUNNING.add(knot);
            InetSocketAddress knotAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            Optional<String> problem = awaitReady(knot, knotAddress, identity, zones.keySet(), log);
            if (problem.isEmpty()) {
                DropRelay relay = timeoutNames.isEmpty() ? null : DropRelay.start(knotAddress, timeoutNames);
                return new DnsServer(dir, knot, relay, relay == null ? knotAddress : relay.address());
            }
            stop(knot);
            failure = problem.get() + "\n--- knot.log ---\n" + Files.readString(log, StandardCharsets.UTF_8);
            if (problem.get().startsWith("zone")) break; // a broken zone stays broken on another port
        }
        throw new IllegalStateException("DnsServer.start: Knot did not come up: " + failure);
    }

    /** Empty once Knot answers with this fixture's identity over UDP and TCP and serves every zone's SOA. */
    private static Optional<String> awaitReady(Process knot, InetSocketAddress server, String identity, Set<String> origins,
                                               Path log) {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (!answersAs(server, identity, false) || !answersAs(server, identity, true)) {
            if (!knot.isAlive()) return Optional.of("knotd exited with status " + knot.exitValue());
            if (System.nanoTime() > deadline) return Optional.of("knotd did not answer on " + server + " within " + READY_WITHIN);
            pause();
        }
        // two Knots on one port (two test JVMs picked it at once; Knot binds with SO_REUSEPORT) share its queries at
        // random: every one of these must reach this fixture's, each from a new source port
        for (int i = 0; i < 8; i++) {
            if (!answersAs(server, identity, i % 2 == 1)) return Optional.of("another server answers on " + server + " too");
        }
        for (String origin : origins) {
            while (!servesSoa(server, origin)) {
                if (System.nanoTime() > deadline || !knot.isAlive() || loadFailed(log)) {
                    return Optional.of("zone '" + origin + "' did not load (is the body valid master-file syntax?)");
                }
                pause();
            }
        }
        return Optional.empty();
    }

    /** Whether Knot logged that a zone failed to load: it will not load later, so waiting on is pointless. */
    private static boolean loadFailed(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).contains("zone event 'load' failed");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answersAs(InetSocketAddress server, String identity, boolean tcp) {
        return Probe.ask(server, "id.server", Type.TXT, DClass.CH, tcp)
                .map(m -> m.getSection(Section.ANSWER).stream()
                        .anyMatch(r -> r instanceof TXTRecord txt && txt.getStrings().contains(identity)))
                .orElse(false);
    }

    private static boolean servesSoa(InetSocketAddress server, String origin) {
        Optional<Message> answer = Probe.ask(server, ZoneFiles.absolute(origin), Type.SOA, false);
        return answer.isPresent() && answer.get().getRcode() == Rcode.NOERROR
                && answer.get().getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == Type.SOA);
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("DnsServer.start: interrupted", e);
        }
    }

    /**
     * A port free for both UDP and TCP on 127.0.0.1, picked at random below the ephemeral range so it does not
     * collide with sockets other tests bind to port 0. Knot binds with SO_REUSEPORT, which a plain bind here does
     * not share, so a port a running Knot holds is seen as taken; the identity probe catches the rare race.
     */
    private static int freePort() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int i = 0; i < 100; i++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket tcp = new ServerSocket(port, 1, loopback);
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port for Knot between 20000 and 32000");
    }

    public InetSocketAddress address() {
        return address;
    }

    /** A new DnsResolver (main code) pointed at this server with a 1 s timeout and its own empty cache. */
    public Dns resolver() {
        return new DnsResolver(List.of(address), Duration.ofSeconds(1));
    }

    /** Stops Knot (and the relay) and deletes its temporary directory. */
    @Override
    public void close() {
        if (relay != null) relay.close();
        stop(knot);
        deleteTree(dir);
    }

    private static void stop(Process process) {
        RUNNING.remove(process);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is not worth failing a test for
        }
    }
}
