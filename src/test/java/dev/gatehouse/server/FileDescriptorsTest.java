// The SMTP connection cap under the open-file limit: what is left after the descriptors in use and the reserve.
package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FileDescriptorsTest {

    @Test
    void theConfiguredCapStandsWhenTheLimitLeavesRoomForIt() {
        assertThat(FileDescriptors.connectionCap(1000, 65_536, 150)).isEqualTo(1000);
        assertThat(FileDescriptors.connectionCap(1000, 1000 + 150 + FileDescriptors.RESERVE, 150)).as("exactly enough").isEqualTo(1000);
    }

    @Test
    void aLowLimitCapsConnectionsAtWhatIsLeftAfterOpenDescriptorsAndTheReserve() {
        assertThat(FileDescriptors.RESERVE).isEqualTo(200);
        assertThat(FileDescriptors.connectionCap(20_000, 1024, 100)).isEqualTo(1024 - 100 - 200);
        assertThat(FileDescriptors.connectionCap(20_000, 512, 60)).isEqualTo(252);
        assertThat(FileDescriptors.connectionCap(1000, 1000 + 150 + FileDescriptors.RESERVE - 1, 150)).as("one short").isEqualTo(999);
    }

    @Test
    void evenAnExhaustedLimitLeavesOneConnection() {
        assertThat(FileDescriptors.connectionCap(100, 250, 50)).isEqualTo(1);
        assertThat(FileDescriptors.connectionCap(100, 256, 300)).isEqualTo(1);
        assertThat(FileDescriptors.connectionCap(100, 0, 0)).isEqualTo(1);
    }

    @Test
    void anUnknownOrUnlimitedLimitKeepsTheConfiguredCapWithoutOverflow() {
        assertThat(FileDescriptors.connectionCap(20_000, -1, 10_000)).isEqualTo(20_000);
        assertThat(FileDescriptors.connectionCap(20_000, Long.MAX_VALUE, 100)).isEqualTo(20_000);
        assertThat(FileDescriptors.connectionCap(Integer.MAX_VALUE, Long.MAX_VALUE, 0)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void openNowCountsThisProcesssDescriptors() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux only");
        int before = FileDescriptors.openNow();
        assertThat(before).isPositive();
        Path tmp = Files.createTempFile("fd-test", ".bin");
        List<java.io.InputStream> held = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) held.add(Files.newInputStream(tmp));
            assertThat(FileDescriptors.openNow()).isGreaterThanOrEqualTo(before + 20 - 5); // other threads may close a few meanwhile
        } finally {
            for (java.io.InputStream in : held) in.close();
            Files.delete(tmp);
        }
    }

    @Test
    void theSoftLimitIsRaisedToTheHardLimit() throws Exception {
        Path limits = Path.of("/proc/self/limits");
        assumeTrue(Files.isReadable(limits), "Linux only");
        long raised = FileDescriptors.raiseSoftLimit();
        String line = Files.readAllLines(limits).stream().filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
        String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
        long soft = fields[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(fields[0]);
        long hard = fields[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(fields[1]);
        assertThat(soft).as("after raising, the soft limit is the hard one").isEqualTo(hard);
        assertThat(raised).isEqualTo(soft);
        assertThat(FileDescriptors.raiseSoftLimit()).as("a second call changes nothing").isEqualTo(raised);
    }
}
