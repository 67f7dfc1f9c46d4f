// ConnectionEventsTest: the listener's connection events over real sockets: every opened session is closed once,
// refusals name the cap that caused them, and refused or finished connections leave no slot taken.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.Transcripts.HOST;
import static dev.gatehouse.smtp.Transcripts.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionEventsTest {
    static final String GREETING = "220 " + HOST + " ESMTP Gatehouse";

    /** Every event as text, in arrival order: "open 127.0.0.1", "close 127.0.0.1", "refused 127.0.0.1 per-ip-limit". */
    final List<String> events = new CopyOnWriteArrayList<>();
    final SmtpEvents recorder = new SmtpEvents() {
        @Override public void connectionOpened(InetAddress ip) { events.add("open " + ip.getHostAddress()); }
        @Override public void connectionClosed(InetAddress ip) { events.add("close " + ip.getHostAddress()); }
        @Override public void connectionRefused(InetAddress ip, String reason) { events.add("refused " + ip.getHostAddress() + " " + reason); }
    };
    SmtpServer<String> server;
    final List<RawClient> clients = new ArrayList<>();

    @AfterEach void stop() throws Exception {
        for (RawClient c : clients) c.close();
        if (server != null) server.close(Duration.ofSeconds(1));
    }

    private void start(int total, int perIp) throws Exception {
        server = new SmtpServer<>(config().withConnectionLimits(total, perIp), new TestHandler(), recorder)
                .start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private RawClient connect(String from) throws Exception {
        RawClient c = new RawClient(server.port(), InetAddress.getByName(from));
        clients.add(c);
        return c;
    }

    private long count(String event) { return events.stream().filter(event::equals).count(); }

    @Test void refusalsNameTheCapThatWasHitAndOpenNoSession() throws Exception {
        start(3, 2);
        assertThat(connect("127.0.0.1").line()).isEqualTo(GREETING);
        assertThat(connect("127.0.0.1").line()).isEqualTo(GREETING);
        assertThat(connect("127.0.0.1").rest()).containsExactly("421 4.7.0 " + HOST + " Error: too many connections from 127.0.0.1");
        assertThat(connect("127.0.0.2").line()).isEqualTo(GREETING);
        assertThat(connect("127.0.0.3").rest()).containsExactly("421 4.7.0 " + HOST + " Error: too many connections");
        assertThat(events).containsExactlyInAnyOrder("open 127.0.0.1", "open 127.0.0.1", "refused 127.0.0.1 per-ip-limit", "open 127.0.0.2",
                "refused 127.0.0.3 total-limit");
        assertThat(server.activeSessions()).isEqualTo(3);
    }

    @Test void everySessionThatOpensClosesOnceHoweverItEnds() throws Exception {
        start(100, 100);
        RawClient quits = connect("127.0.0.1");
        RawClient hangsUp = connect("127.0.0.1");
        RawClient breaksRules = connect("127.0.0.2");
        for (RawClient c : List.of(quits, hangsUp, breaksRules)) assertThat(c.line()).isEqualTo(GREETING);
        quits.send("QUIT\r\n");
        assertThat(quits.rest()).containsExactly("221 Bye");
        hangsUp.close();
        breaksRules.send("GET / HTTP/1.1\r\n");
        assertThat(breaksRules.rest()).containsExactly("221 Error: I can break rules, too. Goodbye.");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeSessions() == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> count("close 127.0.0.1") == 2 && count("close 127.0.0.2") == 1);
        assertThat(count("open 127.0.0.1")).isEqualTo(2);
        assertThat(count("open 127.0.0.2")).isEqualTo(1);
        assertThat(events).hasSize(6);
    }

    @Test void slotsFreedByEndedAndRefusedConnectionsCanBeUsedAgain() throws Exception {
        start(2, 1);
        RawClient first = connect("127.0.0.1");
        assertThat(first.line()).isEqualTo(GREETING);
        for (int i = 0; i < 5; i++) assertThat(connect("127.0.0.1").rest()).singleElement().asString().startsWith("421 4.7.0");
        RawClient second = connect("127.0.0.2");
        assertThat(second.line()).isEqualTo(GREETING);
        second.send("QUIT\r\n");
        assertThat(second.rest()).containsExactly("221 Bye");
        first.send("QUIT\r\n");
        assertThat(first.rest()).containsExactly("221 Bye");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeSessions() == 0 && count("close 127.0.0.1") == 1
                && count("close 127.0.0.2") == 1);
        // both caps are back to zero: two new clients, one per address, get in at once
        assertThat(connect("127.0.0.1").line()).isEqualTo(GREETING);
        assertThat(connect("127.0.0.3").line()).isEqualTo(GREETING);
        assertThat(count("refused 127.0.0.1 per-ip-limit")).isEqualTo(5);
    }
}
