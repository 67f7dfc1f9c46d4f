package dev.gatehouse.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import org.junit.jupiter.api.Test;

class SmtpClientDeadlineTest {

    @Test
    void aNextHopThatNeverAnswersIsCutAtTheTransactionDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread accepting = Thread.startVirtualThread(() -> {
                try (Socket s = silent.accept()) {
                    Thread.sleep(30_000); // accepts, then says nothing: a tarpit
                } catch (IOException | InterruptedException ignored) {
                    // test over
                }
            });
            SmtpClient client = new SmtpClient("mx.test", 5_000, 60_000, 500);
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.send("127.0.0.1", silent.getLocalPort(), "a@b.example", List.of("c@d.example"),
                    "Subject: x\r\n\r\nx\r\n".getBytes())).isInstanceOf(IOException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the cut").isBetween(400L, 10_000L);
            accepting.interrupt();
        }
    }
}
