// One token of KQL query text, as the lexer hands it to the parser.
package dev.gatehouse.kql;

/**
 * A token with its raw text, its place in the text ({@code start}/{@code end} are UTF-16 offsets, end exclusive;
 * {@code pos} is the 1-based line:col of {@code start}) and, for literals, its value.
 *
 * <p>Keywords are not a kind of their own: KQL's keywords are contextual (a column may be called {@code kind} or
 * {@code title}), so words arrive as {@link Kind#IDENT} and the parser looks at their text. Operators spelled with
 * a {@code !} or a {@code ~} ({@code !has}, {@code in~}, {@code !between}) arrive as one {@link Kind#PUNCT}.
 *
 * @param value the decoded string for {@link Kind#STRING}; the boxed value (as {@link KqlType} says) for
 *              {@link Kind#LITERAL}; the {@link KqlException} for {@link Kind#ERROR}; null otherwise
 * @param type  the literal's type for {@link Kind#STRING} and {@link Kind#LITERAL}; null otherwise
 */
public record KqlToken(Kind kind, String text, Object value, KqlType type, int start, int end, Pos pos) {
    public enum Kind {
        /** A name or keyword: {@code where}, {@code EmailEvents}, {@code 5_Min_Count}, {@code $left}. */
        IDENT,
        /** A string literal in any of its forms; {@code value} is the decoded text. */
        STRING,
        /** A number, timespan, bool or typed literal ({@code datetime(...)}, {@code long(null)}, ...). */
        LITERAL,
        /** Punctuation and symbolic operators: {@code ( ) [ ] , ; | = == .. =~ !has in~ ...}. */
        PUNCT,
        /** The end of the text. */
        EOF,
        /**
         * Text the lexer could not read; always the last token. The parser reports it when it gets there, so that an
         * earlier syntax error is reported first.
         */
        ERROR
    }

    /** True for a punctuation token spelled {@code p}. */
    public boolean isPunct(String p) { return kind == Kind.PUNCT && text.equals(p); }

    /** True for a word spelled {@code w} (case-sensitive, like KQL's keywords). */
    public boolean isWord(String w) { return kind == Kind.IDENT && text.equals(w); }

    /** How an error message names this token. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of query";
            case ERROR -> "unreadable text";
            default -> "'" + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + "'";
        };
    }
}
