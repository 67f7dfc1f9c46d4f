// DataReaderTest: the DATA reader, which copies a line's ordinary octets in bulk, reads every content exactly as the
// octet-by-octet state machine does, wherever the reads split it, in both bare-line-ending modes and at the size cap.
package dev.gatehouse.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DataReaderTest {

    /** What one read got: the buffer's octets and counters, and how far into the input the reader went. */
    private record Outcome(String kept, long total, boolean bare, boolean tooBig, int consumed) {}

    /**
     * The reference: RFC 5321's reading of DATA octet by octet, as DataReader was before it copied runs in bulk. Only
     * CRLF.CRLF ends the content; a bare CR or LF is noted and, when normalising, becomes CRLF (after a kept dot).
     */
    private static Outcome reference(byte[] wire, long cap, boolean rejectBare) {
        MessageBuffer out = new MessageBuffer(cap, rejectBare);
        int state = 0; // 0 line start, 1 dot, 2 dot CR, 3 mid, 4 CR
        int i = 0;
        while (true) {
            int b = wire[i++] & 0xff;
            switch (state) {
                case 0 -> state = b == '.' ? 1 : mid(b, out);
                case 1 -> {
                    if (b == '\r') state = 2;
                    else if (b == '\n') { bare(out, true); state = 3; }
                    else state = mid(b, out);
                }
                case 2 -> {
                    if (b == '\n') return outcome(out, i);
                    bare(out, true);
                    state = mid(b, out);
                }
                case 3 -> state = mid(b, out);
                default -> {
                    if (b == '\n') { out.writeCrlf(); state = 0; }
                    else { bare(out, false); state = mid(b, out); }
                }
            }
        }
    }

    private static int mid(int b, MessageBuffer out) {
        if (b == '\r') return 4;
        if (b == '\n') { bare(out, false); return 3; }
        out.write(b);
        return 3;
    }

    private static void bare(MessageBuffer out, boolean afterDot) {
        out.bareLineEnding();
        if (out.normalising()) {
            if (afterDot) out.write('.');
            out.writeCrlf();
        }
    }

    private static Outcome outcome(MessageBuffer out, int consumed) {
        return new Outcome(new String(out.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1), out.total(),
                out.sawBareLineEnding(), out.tooBig(), consumed);
    }

    /** DataReader over a stream that hands out at most {@code chunk(random)} octets per read. */
    private static Outcome read(byte[] wire, long cap, boolean rejectBare, Random chunks) throws IOException {
        InputStream in = new FilterInputStream(new ByteArrayInputStream(wire)) {
            @Override public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + chunks.nextInt(chunks.nextBoolean() ? 7 : 6000)));
            }
        };
        SmtpInput input = new SmtpInput(new MemoryTransport(in, null), () -> {});
        MessageBuffer out = new MessageBuffer(cap, rejectBare);
        DataReader.read(input, out);
        int rest = 0;   // what the session reads next: the buffered octets, then the stream's
        while (input.read() >= 0) rest++;
        return outcome(out, wire.length - rest);
    }

    /** Content made of what matters to the reader: CR, LF, dots at line starts, long plain runs, and the end marker. */
    private static byte[] content(Random r) {
        StringBuilder sb = new StringBuilder();
        String[] pieces = {"\r\n", "\r", "\n", ".", "..", "\r\n.", "\r\n..\r\n", "\r.\r", "\n.\n", "\r\n.\r\r\n", "\0", "\u00ff",
                           "x", "plain text of a line ", "a".repeat(5000)};
        int n = r.nextInt(60);
        for (int i = 0; i < n; i++) sb.append(pieces[r.nextInt(pieces.length)]);
        sb.append("\r\n.\r\nQUIT\r\n");   // the end marker, then what the session reads next
        return sb.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test void readsEveryContentAsTheOctetByOctetMachineDoesWhereverTheReadsSplitIt() throws IOException {
        Random r = new Random(20261206);
        for (int round = 0; round < 3000; round++) {
            byte[] wire = content(r);
            long cap = r.nextBoolean() ? 1 << 20 : r.nextInt(wire.length + 2);
            boolean rejectBare = r.nextBoolean();
            Outcome expected = reference(wire, cap, rejectBare);
            assertThat(read(wire, cap, rejectBare, new Random(round)))
                    .as("round %d, cap %d, rejectBare %s: %s", round, cap, rejectBare, Arrays.toString(Arrays.copyOf(wire, Math.min(80, wire.length))))
                    .isEqualTo(expected);
        }
    }

    @Test void aBulkWriteStoresAndCountsWhatOctetByOctetWritesWould() {
        Random r = new Random(7);
        for (int round = 0; round < 2000; round++) {
            long cap = r.nextInt(20_000);
            boolean rejectBare = r.nextBoolean();
            MessageBuffer bulk = new MessageBuffer(cap, rejectBare);
            MessageBuffer single = new MessageBuffer(cap, rejectBare);
            for (int step = r.nextInt(12); step >= 0; step--) {
                if (r.nextInt(5) == 0) {
                    bulk.bareLineEnding();
                    single.bareLineEnding();
                }
                byte[] run = new byte[r.nextInt(9000)];
                r.nextBytes(run);
                int off = run.length == 0 ? 0 : r.nextInt(run.length);
                bulk.write(run, off, run.length - off);
                for (int i = off; i < run.length; i++) single.write(run[i] & 0xff);
            }
            assertThat(bulk.toByteArray()).isEqualTo(single.toByteArray());
            assertThat(bulk.total()).isEqualTo(single.total());
            assertThat(bulk.tooBig()).isEqualTo(single.tooBig());
            assertThat(bulk.refusal()).isEqualTo(single.refusal());
        }
    }
}
