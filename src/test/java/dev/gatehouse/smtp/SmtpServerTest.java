// SmtpServerTest: the listener over real sockets: connection caps, timeouts, trickled input, STARTTLS injection, shutdown.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.Transcripts.HOST;
import static dev.gatehouse.smtp.Transcripts.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpServerTest {
    static final String GREETING = "220 " + HOST + " ESMTP Gatehouse";
    SmtpServer server;

    SmtpServer start(SmtpConfig config, MailHandler handler, SmtpEvents events) throws Exception {
        server = new SmtpServer(config, handler, events).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return server;
    }

    @AfterEach void stop() {
        if (server != null) server.close(Duration.ofSeconds(1));
    }

    /** The classes loaded early are the ones STARTTLS and the admin HTTP server really create (else the early load does nothing). */
    @Test void loadsEarlyTheSocketClassesTlsAndTheHttpServerCreate() throws Exception {
        assertThat(SmtpServer.loadOtherSocketClasses()).isEmpty();
        try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open();
             java.net.Socket tls = SSLContext.getDefault().getSocketFactory().createSocket()) {
            assertThat(SmtpServer.OTHER_SOCKET_CLASSES).contains(channel.socket().getClass().getName(), tls.getClass().getName());
        }
    }

    @Test void capsConnectionsPerClientAddress() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        start(config().withConnectionLimits(100, 3), new TestHandler(), new SmtpEvents() {
            @Override public void connectionRefused(InetAddress ip, String reason) { refused.incrementAndGet(); }
        });
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawClient c = new RawClient(server.port());
                clients.add(c);
                assertThat(c.line()).isEqualTo(GREETING);
            }
            try (RawClient fourth = new RawClient(server.port())) {
                assertThat(fourth.rest()).containsExactly("421 4.7.0 " + HOST + " Error: too many connections from 127.0.0.1");
            }
            try (RawClient other = new RawClient(server.port(), InetAddress.getByName("127.0.0.2"))) {
                assertThat(other.line()).isEqualTo(GREETING);
            }
            assertThat(refused).hasValue(1);
            clients.removeFirst().close();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                try (RawClient again = new RawClient(server.port())) {
                    assertThat(again.line()).isEqualTo(GREETING);
                }
            });
        } finally {
            for (RawClient c : clients) c.close();
        }
    }

    @Test void capsTotalConnections() throws Exception {
        start(config().withConnectionLimits(1, 1), new TestHandler(), null);
        try (RawClient first = new RawClient(server.port()); RawClient second = new RawClient(server.port(), InetAddress.getByName("127.0.0.3"))) {
            assertThat(first.line()).isEqualTo(GREETING);
            assertThat(second.rest()).containsExactly("421 4.7.0 " + HOST + " Error: too many connections");
        }
    }

    @Test void closesAnIdleSessionAtTheCommandTimeout() throws Exception {
        start(config().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(1)), new TestHandler(), null);
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.line()).isEqualTo(GREETING);
            long t0 = System.nanoTime();
            assertThat(c.rest()).containsExactly("421 " + HOST + " Error: timeout exceeded");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test void theCommandTimeoutIsADeadlineThatATrickleCannotExtend() throws Exception {
        start(config().withTimeouts(Duration.ofMillis(1000), Duration.ofSeconds(1)), new TestHandler(), null);
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.line()).isEqualTo(GREETING);
            c.send("EHLO x\r\n");
            assertThat(c.reply()).hasSize(7);
            try {
                for (char ch : "NOOP NOOP NOOP NOOP NOOP".toCharArray()) {   // 2.4 s of trickle, the deadline 1 s
                    c.send(String.valueOf(ch));
                    Thread.sleep(100);
                }
            } catch (java.io.IOException closedUnderUs) {
                // expected once the deadline has passed
            }
            assertThat(c.rest()).containsExactly("421 4.4.2 " + HOST + " Error: timeout exceeded");
        }
    }

    @Test void aLoneCrlfAsTheFirstInputIsAnsweredWithoutWaitingForTheCommandTimeout() throws Exception {
        // CRLF is how PROXY v2's signature begins: the server waits a moment for more, not the 300 s command timeout
        start(config(), new TestHandler(), null);
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.line()).isEqualTo(GREETING);
            long t0 = System.nanoTime();
            c.send("\r\n");
            assertThat(c.line()).isEqualTo("500 Error: command not recognized");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(SmtpInput.PREFIX_GRACE_MILLIS + 2000));
            c.send("QUIT\r\n");
            assertThat(c.rest()).containsExactly("221 Bye");
        }
    }

    @Test void aV2SignatureTrickledOverASocketWithinTheGraceIsStillRefused() throws Exception {
        start(config(), new TestHandler(), null);
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.line()).isEqualTo(GREETING);
            for (byte b : ProxyHeaderBytes.SIGNATURE) {
                c.socket.getOutputStream().write(b);
                c.socket.getOutputStream().flush();
                Thread.sleep(SmtpInput.PREFIX_GRACE_MILLIS / 5);
            }
            assertThat(c.rest()).containsExactly("554 5.7.0 Error: PROXY protocol is not accepted from this address");
        }
    }

    @Test void stalledDataHitsTheDataTimeout() throws Exception {
        TestHandler h = new TestHandler();
        start(config().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(400)), h, null);
        try (RawClient c = new RawClient(server.port())) {
            c.line();
            c.send("EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\n");
            for (int i = 0; i < 4; i++) c.reply();
            c.send("Subject: half a message\r\n");
            assertThat(c.rest()).containsExactly("421 4.4.2 " + HOST + " Error: timeout exceeded");
        }
        assertThat(h.messages).isEmpty();
    }

    @Test void oneByteWritesGiveTheSameTranscriptAsOneWrite() throws Exception {
        start(config(), new TestHandler(), null);
        String script = "EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nRCPT TO:<r@other.example>\r\nDATA\r\n"
                + "Subject: s\r\n\r\n..x\r\n.\r\nBDAT 5\r\nabcdeNOOP\r\nQUIT\r\n";
        List<String> whole;
        try (RawClient c = new RawClient(server.port())) {
            c.send(script);
            whole = c.rest();
        }
        server.close(Duration.ofSeconds(1));
        start(config(), new TestHandler(), null);
        List<String> trickled;
        try (RawClient c = new RawClient(server.port())) {
            c.socket.setTcpNoDelay(true);
            for (char ch : script.toCharArray()) c.send(String.valueOf(ch));
            trickled = c.rest();
        }
        assertThat(trickled).isEqualTo(whole);
        assertThat(whole).endsWith("250 2.0.0 Ok: queued as 1", "503 5.5.1 Error: need MAIL command", "250 2.0.0 Ok", "221 2.0.0 Bye");
    }

    @Test void startTlsInjectionIsNeverAnswered(@TempDir Path dir) throws Exception {
        TestHandler h = new TestHandler();
        start(config().withSslContext(TestTls.server(dir)), h, null);
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.line()).isEqualTo(GREETING);
            c.send("EHLO x\r\n");
            assertThat(c.reply()).endsWith("250 STARTTLS");
            c.send("STARTTLS\r\nRSET\r\n");
            assertThat(c.reply()).containsExactly("220 2.0.0 Ready to start TLS");
            c.startTls(TestTls.client(dir));
            c.socket.setSoTimeout(1000);
            assertThatThrownBy(c::line).isInstanceOf(SocketTimeoutException.class);
            c.socket.setSoTimeout(5000);
            c.send("MAIL FROM:<a@b.example>\r\n");
            assertThat(c.reply()).containsExactly("503 Error: send HELO/EHLO first");
            c.send("EHLO x\r\n");
            assertThat(c.reply()).doesNotContain("250 STARTTLS").endsWith("250 CHUNKING");
            c.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\n");
            assertThat(c.reply()).containsExactly("250 2.1.0 Ok");
            assertThat(c.reply()).containsExactly("250 2.1.5 Ok");
            assertThat(c.reply()).containsExactly("354 End data with <CR><LF>.<CR><LF>");
            c.send("Subject: tls\r\n\r\nhi\r\n.\r\nQUIT\r\n");
            assertThat(c.rest()).containsExactly("250 2.0.0 Ok: queued as 1", "221 2.0.0 Bye");
        }
        TlsInfo tls = h.messages.getFirst().session().tls();
        assertThat(tls.protocol()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(tls.peerCertificates()).hasSize(1);
        assertThat(tls.peerCertificates().getFirst().getSubjectX500Principal().getName()).isEqualTo("CN=client.test.example");
    }

    /** Opens a session, says EHLO and STARTTLS, and hands the plain client back ready for the handshake. */
    private RawClient readyForTls() throws Exception {
        RawClient c = new RawClient(server.port());
        c.line();
        c.send("EHLO x\r\n");
        c.reply();
        c.send("STARTTLS\r\n");
        assertThat(c.reply()).containsExactly("220 2.0.0 Ready to start TLS");
        return c;
    }

    @Test void onlyAeadSuitesWithForwardSecrecyAreOffered(@TempDir Path dir) throws Exception {
        start(config().withSslContext(TestTls.server(dir)), new TestHandler(), null);
        SSLContext client = TestTls.client(null);
        for (String weak : List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
                "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA")) {
            try (RawClient c = readyForTls()) {
                assertThatThrownBy(() -> c.startTls(client, new String[] {"TLSv1.2"}, new String[] {weak}))
                        .as(weak).isInstanceOf(javax.net.ssl.SSLException.class);
            }
        }
        try (RawClient c = readyForTls()) {
            javax.net.ssl.SSLSocket ssl = c.startTls(client, new String[] {"TLSv1.2"}, null);
            assertThat(ssl.getSession().getCipherSuite()).isIn(Tls.CIPHER_SUITES).startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "_CHACHA20_");
        }
        try (RawClient c = readyForTls()) {
            assertThat(c.startTls(client, new String[] {"TLSv1.3"}, null).getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        for (String old : List.of("TLSv1.1", "TLSv1")) {
            try (RawClient c = readyForTls()) {
                assertThatThrownBy(() -> c.startTls(client, new String[] {old}, null)).as(old).isInstanceOf(javax.net.ssl.SSLException.class);
            }
        }
    }

    @Test void aRenegotiationTheClientStartsIsRefused(@TempDir Path dir) throws Exception {
        assertThat(System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation")).isEqualTo("true");
        start(config().withSslContext(TestTls.server(dir)), new TestHandler(), null);
        try (RawClient c = readyForTls()) {
            javax.net.ssl.SSLSocket ssl = c.startTls(TestTls.client(null), new String[] {"TLSv1.2"}, null);
            c.send("EHLO x\r\n");
            assertThat(c.reply()).endsWith("250 CHUNKING");
            // a second handshake on a TLS 1.2 session is a renegotiation: the server answers with a fatal alert
            assertThatThrownBy(() -> {
                ssl.startHandshake();
                c.send("NOOP\r\n");
                if (c.line() == null) throw new java.io.EOFException("closed");
            }).isInstanceOf(IOException.class);
        }
    }

    @Test void anIdleTlsSessionGetsItsTimeoutReplyOverTls(@TempDir Path dir) throws Exception {
        // reads are cut by the server's watchdog (no socket timeout): the 421 must still reach a TLS client, on both versions
        // the command timeout also bounds each handshake read: long enough for a handshake on a busy machine
        start(config().withSslContext(TestTls.server(dir)).withTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(1)), new TestHandler(), null);
        for (String version : List.of("TLSv1.2", "TLSv1.3")) {
            try (RawClient c = readyForTls()) {
                c.startTls(TestTls.client(null), new String[] {version}, null);
                c.send("EHLO x\r\n");
                assertThat(c.reply()).endsWith("250 CHUNKING");
                long t0 = System.nanoTime();
                assertThat(c.rest()).as(version).containsExactly("421 4.4.2 " + HOST + " Error: timeout exceeded");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1200), Duration.ofSeconds(5));
            }
        }
    }

    @Test void aBrokenHandshakeClosesTheConnection(@TempDir Path dir) throws Exception {
        start(config().withSslContext(TestTls.server(dir)), new TestHandler(), null);
        try (RawClient c = new RawClient(server.port())) {
            c.line();
            c.send("EHLO x\r\n");
            c.reply();
            c.send("STARTTLS\r\n");
            assertThat(c.reply()).containsExactly("220 2.0.0 Ready to start TLS");
            c.send("this is not a TLS client hello\r\n\r\n\r\n\r\n");
            assertThat(c.rest()).noneMatch(l -> l.matches("\\d{3}.*"));   // at most a TLS alert, no SMTP reply
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeSessions() == 0);
    }

    @Test void reportsAPortInUseByNumber() throws Exception {
        start(config(), new TestHandler(), null);
        SmtpServer second = new SmtpServer(config(), new TestHandler());
        assertThatThrownBy(() -> second.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port())))
                .isInstanceOf(BindException.class).hasMessageContaining(String.valueOf(server.port()));
    }

    @Test void closeLetsATransactionFinishAndEndsIdleSessions() throws Exception {
        CountDownLatch inData = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestHandler delegate = new TestHandler();
        MailHandler slow = new MailHandler() {
            @Override public RcptDecision onRcptTo(SessionInfo s, MailFrom f, String r) { return delegate.onRcptTo(s, f, r); }
            @Override public SmtpReply onData(SessionInfo s, MailTransaction t, byte[] c) {
                inData.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return delegate.onData(s, t, c);
            }
        };
        start(config(), slow, null);
        try (RawClient busy = new RawClient(server.port()); RawClient idle = new RawClient(server.port())) {
            busy.line();
            idle.line();
            busy.send("EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.com>\r\nDATA\r\n");
            for (int i = 0; i < 4; i++) busy.reply();
            busy.send("hi\r\n.\r\n");
            assertThat(inData.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> server.close(Duration.ofSeconds(5)));
            assertThat(idle.rest()).isEmpty();
            release.countDown();
            // the 250 always arrives; the 421 after it may lose the race with the closer, which is harmless
            List<String> rest = busy.rest();
            assertThat(rest).first().isEqualTo("250 2.0.0 Ok: queued as 1");
            assertThat(rest).isSubsetOf("250 2.0.0 Ok: queued as 1", "421 4.3.2 " + HOST + " Service shutting down, try again later");
            closing.get(5, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> new RawClient(server.port())).isInstanceOf(java.io.IOException.class);
    }
}
