// DnsResolver against a real Knot server: record types, negative answers, CNAMEs, timeouts, caching, TCP, concurrency.
package dev.gatehouse.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatehouse.dns.Lookup.Result;
import dev.gatehouse.dns.testing.DnsServer;

class DnsResolverTest {
    private static final String ZONE = """
            example.com.            TXT   "v=spf1 ip4:192.0.2.0/24 " "include:_spf.example.net " "-all"
            example.com.            A     192.0.2.10
            example.com.            AAAA  2001:db8::10
            example.com.            MX    10 mx1.example.com.
            example.com.            MX    20 mx2.example.com.
            mx1.example.com.        A     192.0.2.25
            only-a.example.com.     A     192.0.2.11
            alias.example.com.      CNAME target.example.com.
            target.example.com.     TXT   "v=DMARC1; p=reject"
            hop1.example.com.       CNAME hop2.example.com.
            hop2.example.com.       CNAME alias.example.com.
            loop1.example.com.      CNAME loop2.example.com.
            loop2.example.com.      CNAME loop1.example.com.
            dangling.example.com.   CNAME missing.example.com.
            latin.example.com.      TXT   "caf\\233"
            10.2.0.192.in-addr.arpa. PTR  mail.example.com.
            0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. PTR mail6.example.com.
            slow.example.com.       TXT   "never seen"
            """;

    private static final List<String> THOUSAND_STRINGS = IntStream.range(0, 1000).mapToObj(i -> "part-" + i + ";").toList();

    private static DnsServer server;

    @BeforeAll
    static void start() {
        String big = THOUSAND_STRINGS.stream().map(s -> '"' + s + '"').collect(Collectors.joining(" ", "big.example.com. TXT ( ", " )\n"));
        server = DnsServer.start(Map.of(".", ZONE + big), Set.of("slow.example.com"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void txtStringsOfOneRecordAreJoinedWithNothingBetween() {
        Lookup<String> txt = server.resolver().txt("example.com");
        assertThat(txt.result()).isEqualTo(Result.FOUND);
        assertThat(txt.records()).containsExactly("v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all");
    }

    @Test
    void txtOctetsAboveAsciiSurviveAsIso88591() {
        assertThat(server.resolver().txt("latin.example.com").records()).containsExactly("caf\u00e9");
    }

    @Test
    void aThousandStringRecordTooBigForUdpArrivesOverTcp() {
        Lookup<String> txt = server.resolver().txt("big.example.com");
        assertThat(txt.records()).containsExactly(String.join("", THOUSAND_STRINGS));
    }

    @Test
    void addressesAndMailExchangers() throws Exception {
        Dns dns = server.resolver();
        assertThat(dns.a("EXAMPLE.com.").records()).containsExactly(InetAddress.getByName("192.0.2.10"));
        assertThat(dns.aaaa("example.com").records()).containsExactly(InetAddress.getByName("2001:db8::10"));
        assertThat(dns.mx("example.com").records())
                .containsExactlyInAnyOrder(new Dns.Mx(10, "mx1.example.com"), new Dns.Mx(20, "mx2.example.com"));
    }

    /** The authentication stage answers a repeat client's PTR on its own thread only when the cache holds it. */
    @Test
    void aCachedReverseNameIsKnownWithoutAskingAndAnUnaskedOneIsNot() throws Exception {
        Dns dns = server.resolver();
        InetAddress client = InetAddress.getByName("192.0.2.10");
        assertThat(dns.cachedPtr(client)).isNull();
        assertThat(dns.ptr(client).records()).containsExactly("mail.example.com");
        assertThat(dns.cachedPtr(client).records()).containsExactly("mail.example.com");
        InetAddress unknown = InetAddress.getByName("192.0.2.99");
        assertThat(dns.cachedPtr(unknown)).isNull();
        assertThat(dns.ptr(unknown).result()).isEqualTo(Result.NX_DOMAIN);
        assertThat(dns.cachedPtr(unknown).result()).isEqualTo(Result.NX_DOMAIN); // a negative answer is known too
        assertThat(dns.cachedPtr(InetAddress.getByName("2001:db8::10"))).isNull();
    }

    @Test
    void reverseNamesForIpv4AndIpv6() throws Exception {
        Dns dns = server.resolver();
        assertThat(dns.ptr(InetAddress.getByName("192.0.2.10")).records()).containsExactly("mail.example.com");
        assertThat(dns.ptr(InetAddress.getByName("2001:db8::10")).records()).containsExactly("mail6.example.com");
        assertThat(dns.ptr(InetAddress.getByName("192.0.2.99")).result()).isEqualTo(Result.NX_DOMAIN);
    }

    @Test
    void aMissingNameIsNxDomainAndAMissingTypeIsNoData() {
        Dns dns = server.resolver();
        assertThat(dns.txt("nowhere.example.com").result()).isEqualTo(Result.NX_DOMAIN);
        assertThat(dns.txt("only-a.example.com").result()).isEqualTo(Result.NO_DATA);
        assertThat(dns.mx("only-a.example.com").isVoid()).isTrue();
    }

    @Test
    void cnameChainsAreFollowed() {
        Dns dns = server.resolver();
        assertThat(dns.txt("alias.example.com").records()).containsExactly("v=DMARC1; p=reject");
        assertThat(dns.txt("hop1.example.com").records()).containsExactly("v=DMARC1; p=reject");
        assertThat(dns.txt("dangling.example.com").result()).isEqualTo(Result.NX_DOMAIN);
    }

    @Test
    void aCnameLoopIsATemporaryFailure() {
        assertThat(server.resolver().txt("loop1.example.com").result()).isEqualTo(Result.TEMP_FAIL);
    }

    @Test
    void aServerThatNeverAnswersIsATemporaryFailureWithinTheTimeout() {
        long start = System.nanoTime();
        Lookup<String> txt = server.resolver().txt("slow.example.com");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(txt.result()).isEqualTo(Result.TEMP_FAIL);
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aServerThatIsNotThereIsATemporaryFailure() throws Exception {
        Dns dns = new DnsResolver(List.of(closedPort()), Duration.ofSeconds(1));
        assertThat(dns.txt("example.com").result()).isEqualTo(Result.TEMP_FAIL);
    }

    @Test
    void theNextServerIsAskedWhenTheFirstIsNotThere() throws Exception {
        Dns dns = new DnsResolver(List.of(closedPort(), server.address()), Duration.ofSeconds(2));
        assertThat(dns.a("example.com").result()).isEqualTo(Result.FOUND);
    }

    @Test
    void invalidNamesAreNxDomainWithoutAQuery() throws Exception {
        // the resolver points at a closed port: any query would come back TEMP_FAIL, so NX_DOMAIN means none was sent
        Dns dns = new DnsResolver(List.of(closedPort()), Duration.ofSeconds(1));
        String longLabel = "a".repeat(64) + ".example.com";
        String longName = ("a".repeat(63) + ".").repeat(4) + "com"; // 259 octets
        for (String bad : List.of(longLabel, longName, "a..example.com", "", ".", ".example.com")) {
            assertThat(dns.txt(bad).result()).as(bad).isEqualTo(Result.NX_DOMAIN);
        }
        assertThat(dns.txt("a".repeat(63) + ".example.com").result()).isEqualTo(Result.TEMP_FAIL);
    }

    @Test
    void fiftyConcurrentIdenticalQuestionsAllGetTheAnswer() throws Exception {
        Dns dns = server.resolver();
        List<Future<Lookup<String>>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) answers.add(threads.submit(() -> dns.txt("alias.example.com")));
        }
        for (Future<Lookup<String>> answer : answers) {
            assertThat(answer.get().records()).containsExactly("v=DMARC1; p=reject");
        }
    }

    /** A UDP port nothing listens on (it was free a moment ago). */
    static InetSocketAddress closedPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }
    }
}
