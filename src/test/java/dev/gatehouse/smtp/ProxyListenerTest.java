// ProxyListenerTest: the listener with a trusted balancer over real sockets: what the handler and events see, limits, shutdown.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.ProxyHeaderBytes.ascii;
import static dev.gatehouse.smtp.ProxyHeaderBytes.concat;
import static dev.gatehouse.smtp.Transcripts.HOST;
import static dev.gatehouse.smtp.Transcripts.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyListenerTest {
    static final String GREETING = "220 " + HOST + " ESMTP Gatehouse";
    static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.50", 40123);
    SmtpServer<String> server;
    final TestHandler handler = new TestHandler();
    final List<String> events = new CopyOnWriteArrayList<>();

    void start(SmtpConfig config) throws Exception {
        SmtpConfig trusted = config.withProxyProtocolFrom(List.of(new AddressBlock(InetAddress.getLoopbackAddress(), 32)));
        server = new SmtpServer<>(trusted, handler, new SmtpEvents() {
            @Override public void connectionOpened(InetAddress ip) { events.add("opened " + ip.getHostAddress()); }
            @Override public void connectionClosed(InetAddress ip) { events.add("closed " + ip.getHostAddress()); }
            @Override public void connectionRefused(InetAddress ip, String reason) { events.add("refused " + ip.getHostAddress() + " " + reason); }
        });
        server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach void stop() {
        if (server != null) server.close(Duration.ofSeconds(1));
    }

    InetSocketAddress us() { return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()); }

    @Test void theHandlerAndTheEventsSeeTheClientTheHeaderNamesWithItsPort() throws Exception {
        start(config());
        try (RawClient c = new RawClient(server.port())) {
            c.send(new String(concat(ProxyHeaderBytes.v1(CLIENT, us()), ascii("EHLO client.example\r\nMAIL FROM:<a@b.example>\r\n"
                    + "RCPT TO:<u@example.com>\r\nDATA\r\n")), java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(c.line()).isEqualTo(GREETING);
            c.send("Subject: x\r\n\r\nhi\r\n.\r\nQUIT\r\n");
            assertThat(c.rest()).contains("250 2.0.0 Ok: queued as 1", "221 2.0.0 Bye");
        }
        SessionInfo seen = handler.messages.getFirst().session();
        assertThat(seen.clientIp().getHostAddress()).isEqualTo("203.0.113.50");
        assertThat(seen.clientPort()).isEqualTo(40123);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        assertThat(events).containsExactly("opened 203.0.113.50", "closed 203.0.113.50");
    }

    @Test void aSecondHeaderFromTheBalancerIsRefusedAndChangesNothing() throws Exception {
        start(config());
        try (RawClient c = new RawClient(server.port())) {
            c.send(new String(concat(ProxyHeaderBytes.v1(CLIENT, us()), ascii("PROXY TCP4 198.51.100.7 192.0.2.25 1 25\r\nEHLO x\r\n")),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(c.rest()).containsExactly(GREETING, "554 5.7.0 Error: PROXY protocol header already received on this connection");
        }
        assertThat(handler.recipientsSeen).isEmpty();
    }

    @Test void aBadHeaderIsCountedAsARefusalAndGivesItsSlotBack() throws Exception {
        start(config().withConnectionLimits(2, 1));
        for (String bad : List.of("GET / HTTP/1.0\r\n\r\n", "PROXY TCP4 1.2.3.4\r\n", "\r\n\r\n\0\r\nQUIT\n\u0031")) {
            try (RawClient c = new RawClient(server.port())) {
                c.send(bad);
                assertThat(c.rest()).as(bad).isEmpty();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 3);
        assertThat(events).containsOnly("refused 127.0.0.1 proxy-header");
        // both total slots and the client's one slot are free again: two clients through the balancer, one after another twice
        for (int round = 0; round < 2; round++) {
            try (RawClient a = new RawClient(server.port()); RawClient b = new RawClient(server.port())) {
                a.send(new String(ProxyHeaderBytes.v1(CLIENT, us()), java.nio.charset.StandardCharsets.ISO_8859_1));
                b.send(new String(ProxyHeaderBytes.v1(new InetSocketAddress("203.0.113.51", 1), us()), java.nio.charset.StandardCharsets.ISO_8859_1));
                assertThat(a.line()).isEqualTo(GREETING);
                assertThat(b.line()).isEqualTo(GREETING);
            }
            int ended = 2 * (round + 1);   // "closed" fires after the session's slots are given back
            await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().filter(e -> e.startsWith("closed ")).count() == ended);
        }
    }

    @Test void theTotalLimitCountsBalancerConnectionsFromAccept() throws Exception {
        start(config().withConnectionLimits(2, 50));
        try (RawClient a = new RawClient(server.port()); RawClient b = new RawClient(server.port())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> {   // both accepted, their headers not yet sent
                try (RawClient third = new RawClient(server.port())) {
                    return third.rest().equals(List.of("421 4.7.0 " + HOST + " Error: too many connections"));
                }
            });
            a.send(new String(ProxyHeaderBytes.v1(CLIENT, us()), java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(a.line()).isEqualTo(GREETING);
        }
    }

    @Test void closingTheListenerDropsAConnectionStillSendingItsHeader() throws Exception {
        start(config());
        try (RawClient c = new RawClient(server.port())) {   // reads time out after 5 s, half the 10 s header deadline
            c.send("PROXY TCP4 203.0.113.50 ");
            Thread.sleep(300);   // accepted, and its header being read
            server.close(Duration.ofSeconds(1));
            assertThat(c.rest()).isEmpty();
        }
    }
}
