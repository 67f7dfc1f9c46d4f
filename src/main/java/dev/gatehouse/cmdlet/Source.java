// The character cursor shared by ScriptParser and ValueParser: PowerShell's character classes, blanks,
// comments and line continuations, and positioned failures.
package dev.gatehouse.cmdlet;

import java.util.Arrays;

/** Package-private cursor over the script text. Reading past the end yields {@link #EOF}. */
final class Source {
    static final int EOF = -1;

    /** Internal control flow: unwinds the recursive descent to {@link ScriptParser#parse}. */
    static final class Failure extends RuntimeException {
        final SyntaxError error;

        Failure(SyntaxError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    final String text;
    int pos;
    private final int[] lineStarts;

    Source(String text) {
        this.text = text;
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean newline = c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'));
            if (newline) {
                if (n == starts.length) starts = Arrays.copyOf(starts, n * 2);
                starts[n++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, n);
    }

    int peek() { return peek(0); }

    int peek(int ahead) {
        int i = pos + ahead;
        return i < text.length() ? text.charAt(i) : EOF;
    }

    boolean atEnd() { return pos >= text.length(); }

    Position position(int offset) {
        int idx = Arrays.binarySearch(lineStarts, offset);
        int line = idx >= 0 ? idx : -idx - 2;
        return new Position(line + 1, offset - lineStarts[line] + 1, offset);
    }

    String slice(int from) { return text.substring(from, pos); }

    /** A failure in the text as written. */
    Failure fail(int offset, String message) { return failure(offset, message, false); }

    /** A failure that is incomplete input when the cursor has reached the end of the text. */
    Failure failAtEnd(int offset, String message) { return failure(offset, message, atEnd()); }

    /** A failure caused by the text ending too early, wherever the cursor is. */
    Failure failIncomplete(int offset, String message) { return failure(offset, message, true); }

    private Failure failure(int offset, String message, boolean incomplete) {
        Position p = position(Math.min(offset, text.length()));
        return new Failure(new SyntaxError(message, p.line(), p.column(), incomplete));
    }

    // --- character classes -------------------------------------------------------------------------

    /** PowerShell accepts the en dash, em dash and horizontal bar wherever it accepts '-'. */
    static boolean isDash(int c) { return c == '-' || c == '\u2013' || c == '\u2014' || c == '\u2015'; }

    static boolean isSingleQuote(int c) {
        return c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';
    }

    static boolean isDoubleQuote(int c) { return c == '"' || c == '\u201C' || c == '\u201D' || c == '\u201E'; }

    static boolean isNewline(int c) { return c == '\n' || c == '\r'; }

    static boolean isBlank(int c) {
        return c == ' ' || c == '\t' || c == '\f' || c == 0x0B || c == 0xA0
                || (c > 0x7F && c != EOF && Character.getType(c) == Character.SPACE_SEPARATOR);
    }

    /** Ends a statement: end of text, newline or ';'. */
    static boolean endsStatement(int c) { return c == EOF || isNewline(c) || c == ';'; }

    /** Ends a bare word (PowerShell's generic token) in argument mode. */
    static boolean endsWord(int c) {
        return c == EOF || isBlank(c) || isNewline(c) || c == ';' || c == '|' || c == ',' || c == ')'
                || c == '}' || c == '>' || c == '&';
    }

    static boolean isParameterNameStart(int c) { return c != EOF && (Character.isLetter(c) || c == '_' || c == '?'); }

    static boolean isParameterNameChar(int c) { return c != EOF && (Character.isLetterOrDigit(c) || c == '_' || c == '?'); }

    static boolean isVariableNameChar(int c) { return c != EOF && (Character.isLetterOrDigit(c) || c == '_'); }

    // --- blanks and comments -----------------------------------------------------------------------

    /** Skips blanks, backtick line continuations and comments; stops before a newline. */
    void skipBlanks() {
        while (true) {
            int c = peek();
            if (isBlank(c)) {
                pos++;
            } else if (c == '`' && isNewline(peek(1))) {
                pos += (peek(1) == '\r' && peek(2) == '\n') ? 3 : 2;
            } else if (c == '<' && peek(1) == '#') {
                skipBlockComment();
            } else if (c == '#') {
                while (!atEnd() && !isNewline(peek())) pos++;
            } else {
                return;
            }
        }
    }

    /** Skips blanks, comments and newlines (inside @( ), @{ } and after '|' or ','). */
    void skipBlanksAndNewlines() {
        while (true) {
            skipBlanks();
            if (isNewline(peek())) pos++;
            else return;
        }
    }

    private void skipBlockComment() {
        int start = pos;
        int end = text.indexOf("#>", pos + 2);
        if (end < 0) throw failIncomplete(start, "Missing the end of a block comment: '<#' needs a closing '#>'.");
        pos = end + 2;
    }
}
