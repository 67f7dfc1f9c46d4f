package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** How header bytes and encoded words become the texts readers show (each case is a reader's real behaviour). */
class TextTest {

    @Test
    void bytesThatAreNotAllUtf8AreReadBothWays() {
        byte[] b = "\u00ff <ceo@bücher.example>".getBytes(StandardCharsets.UTF_8);
        b[0] = (byte) 0xff; // a lone byte that is no UTF-8, before a valid UTF-8 "ü"
        List<String> r = Text.readings(b, 0, b.length);
        assertThat(r).hasSize(2);
        assertThat(r.get(0)).contains("bÃ¼cher.example"); // ISO-8859-1: every byte kept
        assertThat(r.get(1)).contains("bücher.example");  // what a UTF-8 reader shows
        assertThat(Text.readings("plain".getBytes(StandardCharsets.US_ASCII), 0, 5)).containsExactly("plain");
    }

    @Test
    void anEncodedWordNotBetweenWhiteSpaceIsDecodedLeniently() {
        assertThat(Text.decodeWords("=? =?utf-8?b?c2VjcmV0?=")).doesNotContain("secret");
        assertThat(Text.decodeWordsLeniently("=? =?utf-8?b?c2VjcmV0?=", false)).isEqualTo("=? secret");
        assertThat(Text.decodeWordsLeniently("x=?utf-8?q?secret?=y", false)).isEqualTo("xsecrety");
    }

    @Test
    void aLanguageTagAfterTheCharsetIsAllowed() {
        assertThat(Text.decodeWordsLeniently("=?utf-8*en?b?c2VjcmV0?=", false)).isEqualTo("secret");
        assertThat(Text.decodeWordsByToken("=?utf-8*en?b?c2VjcmV0?=", false)).isEqualTo("secret");
    }

    @Test
    void aRawFfInBase64IsSkippedOrAZeroDigitAsAngusTakesIt() {
        String w = "=?iso-8859-1?b?\u00ffCBzZWNyZXQ=?=";
        assertThat(Text.decodeWordsLeniently(w, true)).isEqualTo("\u0000 secret");
        assertThat(Text.decodeWordsLeniently("=?iso-8859-1?b?c2V\u00ffjcmV0?=", false)).isEqualTo("secret");
        assertThat(Text.decodeWordsLeniently("=?iso-8859-1?b?c2V!jcmV0?=", true)).isEqualTo("secret");
    }

    @Test
    void angusCutsEachCharacterOfAWordToItsLowByte() {
        // with UTF-8 headers Angus reads "ų" (U+0173) in a Q word as the byte 's'
        assertThat(Text.decodeWordsLeniently("=?utf-8?q?\u0173ecret?=", true)).isEqualTo("secret");
        assertThat(Text.decodeWordsLeniently("=?utf-8?q?\u0173ecret?=", false)).isEqualTo("\u0173ecret");
        // and "Ł" (U+0141) in a B word as the digit 'A'
        assertThat(Text.decodeWordsLeniently("=?utf-8?b?\u0141CBzZWNyZXQ=?=", true)).isEqualTo("\u0000 secret");
        // only ASCII hex digits follow '=' in a Q word
        assertThat(Text.decodeWordsLeniently("=?utf-8?q?=\u0663\u0663x?=", false)).isEqualTo("=\u0663\u0663x");
    }

    @Test
    void byTokenATokenStartingWithAWordKeepsItsRestAsWritten() {
        assertThat(Text.decodeWordsByToken("=?utf-8?q?a?=x=?utf-8?q?b?= c", false)).isEqualTo("ax=?utf-8?q?b?= c");
        assertThat(Text.decodeWordsLeniently("=?utf-8?q?a?=x=?utf-8?q?b?= c", false)).isEqualTo("axb c");
        // white space between two decoded words goes, other white space stays
        assertThat(Text.decodeWordsByToken("=?utf-8?q?se?= =?utf-8?q?cret?= now", false)).isEqualTo("secret now");
    }

    @Test
    void anUnknownCharsetIsReadAsIso88591AndAQuestionMarkMayStandInTheText() {
        assertThat(Text.decodeWordsLeniently("=?x-unknown?q?caf=E9?=", false)).isEqualTo("café");
        assertThat(Text.decodeWordsLeniently("=?utf-8?q?a?b?=", false)).isEqualTo("a?b");
    }

    @Test
    void everySubjectReadingIsWhatSubjectConditionsTest() {
        Message m = Message.parse("Subject: =? =?utf-8?b?c2VjcmV0?=\r\nSubject: plain\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(m.subjects()).hasSize(2);
        assertThat(m.subjectReadings()).contains("=? secret", "plain");
    }
}
