// LoadTest: pipelined bursts, per-connection memory of idle sessions, and clients that stop reading replies.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.Transcripts.config;
import static dev.gatehouse.smtp.Transcripts.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadTest {

    @Test void aPipelinedBurstIsAnsweredCompletelyAndInOrder() {
        StringBuilder in = new StringBuilder("EHLO x\r\n");
        List<String> expected = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            in.append("MAIL FROM:<a@b.example>\r\n");
            expected.add("250 2.1.0 Ok");
            for (int r = 0; r < 100; r++) {
                in.append("RCPT TO:<u").append(r).append("@example.com>\r\n");
                expected.add("250 2.1.5 Ok");
            }
            in.append("DATA\r\nSubject: ").append(m).append("\r\n\r\nbody\r\n.\r\n");
            expected.add("354 End data with <CR><LF>.<CR><LF>");
            expected.add("250 2.0.0 Ok: queued as " + (m + 1));
        }
        List<String> lines = transcript(in.toString());
        assertThat(lines.subList(8, lines.size())).isEqualTo(expected);
    }

    @Test void idleSessionsCostLittleHeap() throws Exception {
        int n = 1500;
        Runtime rt = Runtime.getRuntime();
        try (SmtpServer server = new SmtpServer(config().withConnectionLimits(20_000, 20_000).withShutdownGrace(Duration.ZERO), new TestHandler())
                .start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            List<Socket> clients = new ArrayList<>();
            try {
                // warm up the code paths so class loading does not count as per-connection memory
                for (int i = 0; i < 50; i++) clients.add(connect(server.port()));
                long before = usedAfterGc(rt);
                for (int i = 0; i < n; i++) clients.add(connect(server.port()));
                await().atMost(Duration.ofSeconds(20)).until(() -> server.activeSessions() == n + 50);
                long perConnection = (usedAfterGc(rt) - before) / n;
                System.out.println("idle-connection heap bytes=" + perConnection);
                // 10,000 idle connections must fit in 512 MB: about 53 KB each, client sockets included here
                assertThat(perConnection).as("bytes per idle connection").isLessThan(512L * 1024 * 1024 / 10_000);
            } finally {
                for (Socket s : clients) s.close();
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5000);
        byte[] greeting = new byte[64];
        int got = 0;
        while (got < 2 || greeting[got - 1] != '\n') got += s.getInputStream().read(greeting, got, greeting.length - got);
        return s;
    }

    private static long usedAfterGc(Runtime rt) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test void aClientThatStopsReadingIsDisconnected() throws Exception {
        try (SmtpServer server = new SmtpServer(config().withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(1))
                .withShutdownGrace(Duration.ZERO), new TestHandler()).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setReceiveBufferSize(4096);
            byte[] ehlos = "EHLO x\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
            OutputStream out = s.getOutputStream();
            try {
                for (int i = 0; i < 40; i++) out.write(ehlos);   // 3.2 MB in, about 60 MB of replies never read
            } catch (IOException disconnected) {
                // the server gave up on us: expected
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.activeSessions() == 0);
        }
    }

}
