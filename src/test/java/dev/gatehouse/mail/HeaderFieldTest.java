// One header field: its unfolded and decoded value, ASCII-only name comparison, and the fields Gatehouse writes itself.
package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderFieldTest {

    private static HeaderField field(String name, String latin1Raw) {
        return new HeaderField(name, latin1Raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static HeaderField parsed(String latin1Field) {
        return Message.parse((latin1Field + "\r\n").getBytes(StandardCharsets.ISO_8859_1)).fields().getFirst();
    }

    // --- value() ---------------------------------------------------------------------------------------

    @Test
    void valueUnfoldsByDroppingTheLineBreaksAndKeepingTheWhiteSpaceThatFollows() {
        assertThat(field("Subject", "Subject: a\r\n b\r\n\t c\r\n").value()).isEqualTo("a b\t c");
        assertThat(field("Subject", "Subject: a\r\n  b\n\tc\r\n").value()).isEqualTo("a  b\tc");
    }

    @Test
    void valueStripsWhiteSpaceAtBothEnds() {
        assertThat(field("Subject", "Subject:   a  b \t\r\n").value()).isEqualTo("a  b");
        assertThat(field("Subject", "Subject:\r\n   a\r\n  \r\n").value()).isEqualTo("a");
        assertThat(field("X-Empty", "X-Empty:\r\n").value()).isEmpty();
        assertThat(field("X-Empty", "X-Empty:   \r\n").value()).isEmpty();
    }

    @Test
    void valueStartsRightAfterTheColonSoAColonInTheValueIsKept() {
        assertThat(field("X-A", "X-A::b: c\r\n").value()).isEqualTo(":b: c");
    }

    @Test
    void valueDecodesValidUtf8() {
        HeaderField f = new HeaderField("Subject", "Subject: caf\u00e9 \u20ac \uD83D\uDE00\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(f.value()).isEqualTo("caf\u00e9 \u20ac \uD83D\uDE00");
    }

    @Test
    void valueFallsBackToIso88591ForBytesThatAreNotUtf8() {
        assertThat(field("Subject", "Subject: caf\u00e9\r\n").value()).isEqualTo("caf\u00e9"); // the single byte 0xE9
        assertThat(field("Subject", "Subject: \u00ff\u00fe\u0080\r\n").value()).isEqualTo("\u00ff\u00fe\u0080");
        assertThat(field("Subject", "Subject: \u00c3\r\n").value()).isEqualTo("\u00c3"); // a truncated UTF-8 sequence
    }

    @Test
    void valueKeepsNulAndDelInsideTheValue() {
        assertThat(field("Subject", "Subject: a\0b\u007fc\r\n").value()).isEqualTo("a\0b\u007fc");
    }

    @Test
    void valueIsNotRfc2047DecodedButDecodedIs() {
        HeaderField f = field("Subject", "Subject: =?utf-8?q?caf=C3=A9?= =?utf-8?q?_au_lait?=\r\n");
        assertThat(f.value()).isEqualTo("=?utf-8?q?caf=C3=A9?= =?utf-8?q?_au_lait?=");
        assertThat(f.decoded()).isEqualTo("caf\u00e9 au lait");
    }

    @Test
    void decodedHandlesBAndQEncodingsOtherCharsetsAndFoldedWords() {
        assertThat(field("Subject", "Subject: =?iso-8859-1?b?Y2Fm6Q==?=\r\n").decoded()).isEqualTo("caf\u00e9");
        assertThat(field("Subject", "Subject: =?UTF-8?B?TmV3IE1pc3NlZCBGYXgtbXNn?=\r\n").decoded()).isEqualTo("New Missed Fax-msg");
        assertThat(field("Subject", "Subject: =?utf-8?q?a?=\r\n =?utf-8?q?b?= c\r\n").decoded()).isEqualTo("ab c");
        assertThat(field("Subject", "Subject: plain =?utf-8?q?x_y?=\r\n").decoded()).isEqualTo("plain x y");
    }

    @Test
    void decodedLeavesAWordWithAnUnknownCharsetAsWritten() {
        assertThat(field("Subject", "Subject: =?x-unknown?q?a?=\r\n").decoded()).isEqualTo("=?x-unknown?q?a?=");
        assertThat(field("Subject", "Subject: no words\r\n").decoded()).isEqualTo("no words");
    }

    // --- names -------------------------------------------------------------------------------------------

    @Test
    void isComparesNamesIgnoringAsciiCase() {
        HeaderField f = parsed("Subject: x");
        assertThat(f.is("Subject")).isTrue();
        assertThat(f.is("SUBJECT")).isTrue();
        assertThat(f.is("subject")).isTrue();
        assertThat(f.is("sUbJeCt")).isTrue();
        assertThat(f.is("Subjec")).isFalse();
        assertThat(f.is("Subjects")).isFalse();
        assertThat(f.is("")).isFalse();
    }

    @Test
    void isDoesNoUnicodeCaseFoldingSoTheKelvinSignIsNotAK() {
        // String.equalsIgnoreCase would call these equal: the test would be empty without that
        assertThat("\u212Aey".equalsIgnoreCase("Key")).isTrue();
        assertThat(field("\u212Aey", "\u212Aey: x\r\n").is("Key")).isFalse();
        assertThat(field("\u212Aey", "\u212Aey: x\r\n").is("key")).isFalse();
        assertThat(field("Key", "Key: x\r\n").is("\u212Aey")).isFalse();
    }

    @Test
    void isDoesNoUnicodeCaseFoldingSoTheDotlessIIsNotAnI() {
        assertThat("X-\u0131D".equalsIgnoreCase("X-ID")).isTrue();
        assertThat(field("X-\u0131D", "X-\u0131D: x\r\n").is("X-ID")).isFalse();
        assertThat(field("X-\u0131D", "X-\u0131D: x\r\n").is("x-id")).isFalse();
        assertThat(field("X-ID", "X-ID: x\r\n").is("X-\u0131d")).isFalse();
        assertThat(field("X-\u0130D", "X-\u0130D: x\r\n").is("x-id")).isFalse(); // dotted capital I
        assertThat(field("X-M\u017F", "X-M\u017F: x\r\n").is("x-ms")).isFalse(); // long s
    }

    @Test
    void hasPrefixComparesIgnoringAsciiCaseOnly() {
        HeaderField f = parsed("X-MS-Exchange-Organization-AuthAs: Internal");
        assertThat(f.hasPrefix("x-ms-exchange-organization-")).isTrue();
        assertThat(f.hasPrefix("x-ms-exchange-organization-authas")).isTrue();
        assertThat(f.hasPrefix("")).isTrue();
        assertThat(f.hasPrefix("x-ms-exchange-organization-authasx")).isFalse();
        assertThat(f.hasPrefix("x-ms-exchange-crosstenant-")).isFalse();
        assertThat(field("X-MS-Exchange-Organ\u0131zation-AuthAs", "X-MS-Exchange-Organ\u0131zation-AuthAs: x\r\n")
                .hasPrefix("x-ms-exchange-organization-")).isFalse();
        assertThat(parsed("Content-Type: text/plain").hasPrefix("content-")).isTrue();
        assertThat(parsed("Content: x").hasPrefix("content-")).isFalse();
    }

    // --- of() ---------------------------------------------------------------------------------------------

    @Test
    void ofWritesNameColonSpaceValueCrlf() {
        HeaderField f = HeaderField.of("X-MS-Exchange-Organization-AuthAs", "Anonymous");
        assertThat(new String(f.raw(), StandardCharsets.US_ASCII)).isEqualTo("X-MS-Exchange-Organization-AuthAs: Anonymous\r\n");
        assertThat(f.name()).isEqualTo("X-MS-Exchange-Organization-AuthAs");
        assertThat(f.value()).isEqualTo("Anonymous");
        assertThat(f.length()).isEqualTo(f.raw().length).isEqualTo(46);
    }

    @Test
    void ofWritesTheValueAsUtf8AndReadsItBack() {
        HeaderField f = HeaderField.of("Subject", "caf\u00e9");
        assertThat(f.raw()).isEqualTo("Subject: caf\u00e9\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(f.value()).isEqualTo("caf\u00e9");
        assertThat(HeaderField.of("X-Empty", "").raw()).isEqualTo("X-Empty: \r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void ofAcceptsANameOf998CharactersAndEveryFtextCharacter() {
        assertThat(HeaderField.of("a".repeat(998), "v").name()).hasSize(998);
        assertThat(HeaderField.of("!#$%&'*+-./0-9;<=>?@[]^_`{|}~", "v").name()).isEqualTo("!#$%&'*+-./0-9;<=>?@[]^_`{|}~");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Sub ject", "Sub:ject", "Subject:", " Subject", "Subject\t", "R\u00e9sum\u00e9", "\u212Aey", "X-\u0131D",
            "X\0", "X\u007f", "X\r\nBcc", "X\u0085"})
    void ofRejectsANameThatIsNotFtext(String name) {
        assertThatThrownBy(() -> HeaderField.of(name, "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofRejectsANameLongerThan998Characters() {
        assertThatThrownBy(() -> HeaderField.of("a".repeat(999), "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nBcc: victim@contoso.com", "a\rb", "a\nb", "\r\n", "a\r\n b"})
    void ofRejectsAValueWithACrOrLf(String value) {
        assertThatThrownBy(() -> HeaderField.of("Subject", value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a header value is one line");
    }
}
