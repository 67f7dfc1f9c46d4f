// Unit tests of Source: line and column positions over LF, CRLF and lone CR, PowerShell's character classes
// (typographic dashes and quotes, Unicode blanks), comments, line continuations and positioned failures.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class SourceTest {

    @Test void positionsOverEveryLineEnding() {
        Source s = new Source("ab\ncd\r\nef\rgh");
        assertThat(s.position(0)).isEqualTo(new Position(1, 1, 0));
        assertThat(s.position(2)).isEqualTo(new Position(1, 3, 2));
        assertThat(s.position(3)).isEqualTo(new Position(2, 1, 3));
        assertThat(s.position(5)).isEqualTo(new Position(2, 3, 5));
        assertThat(s.position(6)).isEqualTo(new Position(2, 4, 6));
        assertThat(s.position(7)).isEqualTo(new Position(3, 1, 7));
        assertThat(s.position(10)).isEqualTo(new Position(4, 1, 10));
        assertThat(s.position(12)).isEqualTo(new Position(4, 3, 12));
    }

    @Test void manyLinesGrowTheLineTable() {
        String text = "x\n".repeat(1000) + "last";
        Source s = new Source(text);
        assertThat(s.position(text.length() - 1)).isEqualTo(new Position(1001, 4, text.length() - 1));
        assertThat(s.position(2 * 500)).isEqualTo(new Position(501, 1, 1000));
    }

    @Test void trailingNewlinesStartEmptyLines() {
        Source s = new Source("a\r\n\r\n");
        assertThat(s.position(5)).isEqualTo(new Position(3, 1, 5));
        assertThat(new Source("a\r").position(2)).isEqualTo(new Position(2, 1, 2));
        assertThat(new Source("").position(0)).isEqualTo(new Position(1, 1, 0));
    }

    @Test void columnsCountUtf16Units() {
        Source s = new Source("\uD83D\uDE00x");
        assertThat(s.position(2).column()).isEqualTo(3);
        assertThat(new Position(3, 7, 40)).hasToString("line 3, column 7");
    }

    @Test void peekPastTheEndIsEof() {
        Source s = new Source("ab");
        assertThat(s.peek()).isEqualTo('a');
        assertThat(s.peek(1)).isEqualTo('b');
        assertThat(s.peek(2)).isEqualTo(Source.EOF);
        s.pos = 2;
        assertThat(s.atEnd()).isTrue();
        assertThat(s.peek()).isEqualTo(Source.EOF);
        assertThat(s.slice(0)).isEqualTo("ab");
    }

    // --- character classes -----------------------------------------------------------------------------

    @Test void dashesAndQuotesIncludeTheTypographicOnes() {
        assertThat("-\u2013\u2014\u2015".chars()).allMatch(Source::isDash);
        assertThat("\u2010\u2011\u2012\u2212_".chars()).noneMatch(Source::isDash);
        assertThat("'\u2018\u2019\u201A\u201B".chars()).allMatch(Source::isSingleQuote);
        assertThat("\"\u201C\u201D\u201E".chars()).allMatch(Source::isDoubleQuote);
        assertThat("`\u00B4\u2032\u201F\u00AB".chars()).noneMatch(c -> Source.isSingleQuote(c) || Source.isDoubleQuote(c));
        assertThat(Source.isSingleQuote(Source.EOF)).isFalse();
        assertThat(Source.isDash(Source.EOF)).isFalse();
    }

    @Test void blanksIncludeUnicodeSpacesButNotNewlinesOrZeroWidthCharacters() {
        assertThat(" \t\f\u000B\u00A0\u2002\u2003\u2009\u202F\u3000".chars()).allMatch(Source::isBlank);
        assertThat("\n\r\u200B\u2028\u2029\uFEFFa".chars()).noneMatch(Source::isBlank);
        assertThat(Source.isBlank(Source.EOF)).isFalse();
        assertThat("\n\r".chars()).allMatch(Source::isNewline);
        assertThat(Source.isNewline('\u2028')).isFalse();
    }

    @Test void statementAndWordEnds() {
        assertThat(Source.endsStatement(Source.EOF)).isTrue();
        assertThat("\n\r;".chars()).allMatch(Source::endsStatement);
        assertThat("|,) }&>".chars()).noneMatch(Source::endsStatement);
        assertThat(" \t\n\r;|,)}>&\u00A0".chars()).allMatch(Source::endsWord);
        assertThat(Source.endsWord(Source.EOF)).isTrue();
        assertThat("a1.-/:=@#{('\"`$<*".chars()).noneMatch(Source::endsWord);
    }

    @Test void parameterAndVariableNameCharacters() {
        assertThat("aZ_?\u00E9\u0416".chars()).allMatch(Source::isParameterNameStart);
        assertThat("1-:.$".chars()).noneMatch(Source::isParameterNameStart);
        assertThat("aZ9_?\u00E9".chars()).allMatch(Source::isParameterNameChar);
        assertThat("-:.$ ".chars()).noneMatch(Source::isParameterNameChar);
        assertThat("aZ9_\u00E9".chars()).allMatch(Source::isVariableNameChar);
        assertThat("?-:.$ {".chars()).noneMatch(Source::isVariableNameChar);
        assertThat(Source.isParameterNameStart(Source.EOF)).isFalse();
        assertThat(Source.isVariableNameChar(Source.EOF)).isFalse();
    }

    // --- blanks, comments, continuations ---------------------------------------------------------------------

    @Test void skipBlanksStopsBeforeANewline() {
        Source s = new Source(" \t# comment\nnext");
        s.skipBlanks();
        assertThat(s.peek()).isEqualTo('\n');
        s.skipBlanksAndNewlines();
        assertThat(s.peek()).isEqualTo('n');
    }

    @Test void aBacktickBeforeANewlineContinuesTheLine() {
        for (String text : new String[] {"`\nx", "`\r\nx", "`\rx", " `\n  `\r\n x"}) {
            Source s = new Source(text);
            s.skipBlanks();
            assertThat(s.peek()).as(text).isEqualTo('x');
        }
        Source notAContinuation = new Source("` x");
        notAContinuation.skipBlanks();
        assertThat(notAContinuation.pos).isZero();
    }

    @Test void blockCommentsMaySpanLines() {
        Source s = new Source("<# one\ntwo #> <##> x");
        s.skipBlanks();
        assertThat(s.peek()).isEqualTo('x');
        assertThat(s.position(s.pos)).isEqualTo(new Position(2, 13, 19));
        Source hashInside = new Source("<# a # b #>y");
        hashInside.skipBlanks();
        assertThat(hashInside.peek()).isEqualTo('y');
    }

    @Test void anUnclosedBlockCommentIsIncompleteInput() {
        Source s = new Source("x <# never closed");
        s.pos = 1;
        Source.Failure f = catchThrowableOfType(Source.Failure.class, s::skipBlanks);
        assertThat(f.error).isEqualTo(new SyntaxError("Missing the end of a block comment: '<#' needs a closing '#>'.",
                1, 3, true));
        assertThat(f).hasMessage(f.error.message());
    }

    @Test void aLineCommentRunsToTheEndOfTheText() {
        Source s = new Source("# only a comment");
        s.skipBlanksAndNewlines();
        assertThat(s.atEnd()).isTrue();
    }

    // --- failures ---------------------------------------------------------------------------------------------

    @Test void failuresAreIncompleteOnlyWhenTheTextEndedTooEarly() {
        Source s = new Source("ab\ncd");
        assertThat(s.fail(4, "m").error).isEqualTo(new SyntaxError("m", 2, 2, false));
        assertThat(s.failAtEnd(4, "m").error.incomplete()).isFalse();
        s.pos = 5;
        assertThat(s.failAtEnd(4, "m").error.incomplete()).isTrue();
        s.pos = 0;
        assertThat(s.failIncomplete(1, "m").error).isEqualTo(new SyntaxError("m", 1, 2, true));
    }

    @Test void aFailurePastTheEndPointsJustAfterTheLastCharacter() {
        Source s = new Source("ab\ncd");
        assertThat(s.fail(99, "m").error).extracting(SyntaxError::line, SyntaxError::column).containsExactly(2, 3);
        Source.Failure f = s.fail(0, "m");
        assertThat(f.getStackTrace()).isEmpty();
        assertThat(f.getCause()).isNull();
    }
}
