// BdatReader: collects the counted chunks of one BDAT (RFC 3030) message and checks their line endings.
package dev.gatehouse.smtp;

import java.io.IOException;

/**
 * BDAT content is counted octets, no dot-stuffing and no end marker, so a chunk can never be mistaken for
 * commands. Line endings are still checked across chunk boundaries: a CR ending one chunk and an LF
 * starting the next form a CRLF. A bare CR or LF is treated as in DATA (550 at LAST in rejecting mode,
 * CRLF in normalising mode), because the content is later forwarded over DATA where a bare LF is the
 * raw material of smuggling. If the last line lacks its CRLF one is appended, so the handler always
 * gets CRLF-terminated lines.
 */
final class BdatReader {
    private final MessageBuffer out;
    private boolean prevCr;

    BdatReader(MessageBuffer out) { this.out = out; }

    /** Reads exactly {@code n} octets of one chunk. */
    void readChunk(SmtpInput in, long n) throws IOException {
        for (long i = 0; i < n; i++) accept(in.readOrFail());
    }

    private void accept(int b) {
        if (prevCr && b != '\n') {
            out.bareLineEnding();
            if (out.normalising()) out.write('\n');
        } else if (b == '\n' && !prevCr) {
            out.bareLineEnding();
            if (out.normalising()) out.write('\r');
        }
        out.write(b);
        prevCr = b == '\r';
    }

    /** Completes the content after the LAST chunk. */
    MessageBuffer finish() {
        if (prevCr) {
            out.bareLineEnding();
            if (out.normalising()) out.write('\n');
            prevCr = false;
        }
        if (out.total() > 0 && !out.endsWithCrlf() && !out.tooBig() && out.refusal() == null) out.writeCrlf();
        return out;
    }
}
