// CanonicalizationTest: simple and relaxed canonicalization of header fields and bodies (RFC 6376 §3.4).
package dev.gatehouse.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.junit.jupiter.api.Test;

class CanonicalizationTest {

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    private static String header(Canonicalization c, String raw) {
        return new String(c.header(b(raw)), StandardCharsets.ISO_8859_1);
    }

    /** Asserts the canonical body is exactly {@code expected}: same length, same SHA-256. */
    private static void assertBody(Canonicalization c, String body, String expected) throws Exception {
        BodySink sink = new BodySink(Long.MAX_VALUE);
        c.body(b(body), 0, body.length(), sink);
        assertThat(sink.length()).as("canonical length of %s body '%s'", c, body).isEqualTo(expected.length());
        assertThat(sink.digest()).as("canonical bytes of %s body '%s'", c, body)
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(b(expected)));
    }

    @Test
    void rfc6376Section345ExampleHeaders() {
        // RFC 6376 §3.4.5: "A: X" and "B : Y<HTAB>" folded onto "<HTAB>Z<SP><SP>"
        assertThat(header(Canonicalization.RELAXED, "A: X\r\n")).isEqualTo("a:X\r\n");
        assertThat(header(Canonicalization.RELAXED, "B : Y\t\r\n\tZ  \r\n")).isEqualTo("b:Y Z\r\n");
        assertThat(header(Canonicalization.SIMPLE, "A: X\r\n")).isEqualTo("A: X\r\n");
        assertThat(header(Canonicalization.SIMPLE, "B : Y\t\r\n\tZ  \r\n")).isEqualTo("B : Y\t\r\n\tZ  \r\n");
    }

    @Test
    void rfc6376Section345ExampleBody() throws Exception {
        String body = " C \r\nD \t E\r\n\r\n\r\n";
        assertBody(Canonicalization.RELAXED, body, " C\r\nD E\r\n");
        assertBody(Canonicalization.SIMPLE, body, " C \r\nD \t E\r\n");
    }

    @Test
    void relaxedHeaderLowerCasesOnlyTheNameAndDropsWhiteSpaceAroundTheColon() {
        assertThat(header(Canonicalization.RELAXED, "SubJect:\t  Hello   World \r\n")).isEqualTo("subject:Hello World\r\n");
        assertThat(header(Canonicalization.RELAXED, "X-Empty:\r\n")).isEqualTo("x-empty:\r\n");
        assertThat(header(Canonicalization.RELAXED, "X-Fold: a\r\n \r\n  b\r\n")).isEqualTo("x-fold:a b\r\n");
    }

    @Test
    void emptyBodies() throws Exception {
        assertBody(Canonicalization.SIMPLE, "", "\r\n");
        assertBody(Canonicalization.RELAXED, "", "");
        assertBody(Canonicalization.SIMPLE, "\r\n\r\n\r\n", "\r\n");
        assertBody(Canonicalization.RELAXED, "\r\n \r\n\t\r\n", "");
    }

    @Test
    void aBodyWithoutFinalCrlfGetsOne() throws Exception {
        assertBody(Canonicalization.SIMPLE, "abc", "abc\r\n");
        assertBody(Canonicalization.RELAXED, "abc", "abc\r\n");
        assertBody(Canonicalization.SIMPLE, "abc\r\n\r\nx", "abc\r\n\r\nx\r\n");
        assertBody(Canonicalization.SIMPLE, "a\r\n  ", "a\r\n  \r\n"); // simple: a line of spaces is not empty
        // relaxed, a last line without CRLF: its trailing white space becomes one SP, as dkimpy makes it
        assertBody(Canonicalization.RELAXED, "a \t", "a \r\n");
        assertBody(Canonicalization.RELAXED, "a\r\n  ", "a\r\n \r\n");
    }

    @Test
    void emptyLinesInsideTheBodyStayOnlyTrailingOnesGo() throws Exception {
        assertBody(Canonicalization.SIMPLE, "\r\n\r\na\r\n\r\nb\r\n\r\n", "\r\n\r\na\r\n\r\nb\r\n");
        assertBody(Canonicalization.RELAXED, "  \r\n\r\na\r\n \r\nb\r\n\r\n", "\r\n\r\na\r\n\r\nb\r\n");
    }

    @Test
    void relaxedBodyKeepsOneLeadingSpaceAndTouchesNothingElse() throws Exception {
        assertBody(Canonicalization.RELAXED, "\t\tx  y\t\tz\r\n", " x y z\r\n");
        assertBody(Canonicalization.RELAXED, "a\u00a0b\r\n", "a\u00a0b\r\n"); // NBSP is not WSP
        assertBody(Canonicalization.RELAXED, "a\rb \r\n", "a\rb\r\n");     // a bare CR is an ordinary octet
    }

    @Test
    void aBareLfIsALineEndLikeCrlf() throws Exception {
        assertBody(Canonicalization.SIMPLE, "a\nb\n\n", "a\r\nb\r\n");
        assertBody(Canonicalization.RELAXED, "a \nb\n", "a\r\nb\r\n");
    }

    @Test
    void theSinkHashesOnlyUpToTheLimitButCountsEverything() throws Exception {
        BodySink sink = new BodySink(3);
        Canonicalization.SIMPLE.body(b("abcdef\r\n"), 0, 8, sink);
        assertThat(sink.length()).isEqualTo(8);
        assertThat(sink.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(b("abc")));
    }

    @Test
    void aLargeBodyIsHashedThroughTheBufferUnchanged() throws Exception {
        String line = "x".repeat(70) + "  y\r\n";
        String body = line.repeat(3000);
        assertBody(Canonicalization.SIMPLE, body, body);
        assertBody(Canonicalization.RELAXED, body, ("x".repeat(70) + " y\r\n").repeat(3000));
    }
}
