// DataReader: reads DATA content up to the one true end marker CRLF.CRLF, undoing dot-stuffing, SMTP-smuggling proof.
package dev.gatehouse.smtp;

import java.io.IOException;

/**
 * The DATA content state machine. Only {@code <CR><LF>.<CR><LF>} ends the content (the first CRLF may be
 * the one of the DATA command line, so {@code .<CR><LF>} right after 354 ends an empty message). Every
 * other near miss of SMTP smuggling ({@code \n.\n}, {@code \r.\r}, {@code \r\n.\r\r\n}, ...) is content.
 *
 * <p>A bare CR (not followed by LF) or bare LF (not preceded by CR) is noted; in rejecting mode the
 * session answers 550 after the real end, in normalising mode it is replaced by CRLF. A line that starts
 * after a normalised line ending is not a new line for dot-unstuffing or for the end marker: only a real
 * CRLF starts a line. NUL octets are content and kept as they are (opaque bytes).
 */
final class DataReader {
    private DataReader() {}

    private enum State { LINE_START, DOT, DOT_CR, MID, CR }

    /** Reads to the end marker into {@code out}; end of stream before it is an EOFException. */
    static void read(SmtpInput in, MessageBuffer out) throws IOException {
        State s = State.LINE_START;
        while (true) {
            if (s == State.MID) in.copyToLineEnd(out);   // the rest of a line's ordinary octets, in one copy
            int b = in.readOrFail();
            switch (s) {
                case LINE_START -> s = b == '.' ? State.DOT : mid(b, out);
                case DOT -> {
                    if (b == '\r') s = State.DOT_CR;
                    else if (b == '\n') { bare(out, true); s = State.MID; }
                    else s = mid(b, out);          // the stuffed dot is dropped
                }
                case DOT_CR -> {
                    if (b == '\n') return;
                    bare(out, true);
                    s = mid(b, out);
                }
                case MID -> s = mid(b, out);
                case CR -> {
                    if (b == '\n') { out.writeCrlf(); s = State.LINE_START; }
                    else { bare(out, false); s = mid(b, out); }
                }
            }
        }
    }

    private static State mid(int b, MessageBuffer out) {
        if (b == '\r') return State.CR;
        if (b == '\n') { bare(out, false); return State.MID; }
        out.write(b);
        return State.MID;
    }

    /** A bare CR or LF ended a line; in normalising mode it becomes CRLF (after the kept dot, if any). */
    private static void bare(MessageBuffer out, boolean afterDot) {
        out.bareLineEnding();
        if (out.normalising()) {
            if (afterDot) out.write('.');
            out.writeCrlf();
        }
    }
}
