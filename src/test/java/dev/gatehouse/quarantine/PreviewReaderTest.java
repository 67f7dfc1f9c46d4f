// Preview-QuarantineMessage on hostile MIME: nesting, bad charsets, broken structure, huge text; nothing is fetched or run.
package dev.gatehouse.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.gatehouse.mail.MimeWalk;

class PreviewReaderTest {

    private static PreviewReader.Parts read(String message) { return PreviewReader.read(message.getBytes(StandardCharsets.ISO_8859_1)); }

    @Test
    void nestedAlternativesAndAForwardedMessageShowEveryTextAndEveryAttachmentInside() {
        PreviewReader.Parts p = read("From: a@partner.example\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
                + "--outer\r\nContent-Type: multipart/alternative; boundary=alt\r\n\r\n"
                + "--alt\r\nContent-Type: text/plain\r\n\r\nplain version\r\n"
                + "--alt\r\nContent-Type: text/html\r\n\r\n<p>html <b>version</b></p>\r\n--alt--\r\n"
                + "--outer\r\nContent-Type: message/rfc822\r\n\r\n"
                + "Subject: inner\r\nContent-Type: multipart/mixed; boundary=in\r\n\r\n"
                + "--in\r\nContent-Type: text/plain\r\n\r\nforwarded text\r\n"
                + "--in\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n"
                + "--in--\r\n--outer--\r\n");
        assertThat(p.text()).isEqualTo("plain version\nhtml version\nforwarded text");
        assertThat(p.attachments()).containsExactly("(unnamed) (message/rfc822, 222 bytes)", "invoice.pdf (application/pdf, 5 bytes)");
        assertThat(p.headers()).isEqualTo("From: a@partner.example\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=outer");
    }

    /**
     * Scripts and styles go with their content, in any case; other tags go, their text stays; a link's address is written
     * after its words, as text; a remote image is never a request.
     */
    @Test
    void htmlIsShownAsTextWithScriptsStylesAndTagsRemoved() {
        PreviewReader.Parts p = read("Content-Type: text/html\r\n\r\n<html><head><STYLE type=\"text/css\">body{background:url(http://t.example/p)}</STYLE>"
                + "</head><body onload=\"steal()\"><Script>document.location='http://evil.example'</sCRIPT>"
                + "<p>Your <a href=\"http://evil.example/login\">account</a> is locked</p><img src=\"http://t.example/pixel.gif\">"
                + "<script\n>multi\nline()</script></body></html>\r\n");
        assertThat(p.text()).isEqualTo("Your account [http://evil.example/login] is locked");
    }

    /** What a phishing message hides behind its words is what the admin needs to see: every link's address, however quoted. */
    @Test
    void eachLinksAddressIsWrittenAfterItsWords() {
        PreviewReader.Parts p = read("Content-Type: text/html\r\n\r\n<A class=x HREF='http://a.example/1'>one</A>, "
                + "<a\nhref=http://b.example/2 target=_blank><b>two</b></a >, <a name=top>no address</a>, "
                + "<a href=\"http://c.example/3\">never closed");
        assertThat(p.text()).isEqualTo("one [http://a.example/1], two [http://b.example/2], no address, never closed [http://c.example/3]");
    }

    @Test
    void anUnknownCharsetIsReadAsLatin1AndAValidUtf8PartWithoutCharsetAsUtf8() {
        PreviewReader.Parts bogus = PreviewReader.read(concat("Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nCaf",
                new byte[] {(byte) 0xE9}, "\r\n"));
        assertThat(bogus.text()).isEqualTo("Caf\u00e9");
        PreviewReader.Parts unlabelled = PreviewReader.read(concat("Content-Type: text/plain\r\n\r\nCaf", new byte[] {(byte) 0xC3, (byte) 0xA9}, "\r\n"));
        assertThat(unlabelled.text()).isEqualTo("Caf\u00e9");
    }

    @Test
    void aMultipartWithoutItsClosingBoundaryOrWithGarbageBase64StillShowsWhatCanBeRead() {
        PreviewReader.Parts p = read("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfirst part\r\n"
                + "--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n"
                + "--b\r\nContent-Disposition: attachment; filename=\"cut.zip\"\r\nContent-Type: application/zip\r\n\r\nPK\u0003\u0004");
        assertThat(p.text()).startsWith("first part");
        assertThat(p.attachments()).containsExactly("cut.zip (application/zip, 4 bytes)");
    }

    @Test
    void messagesNestedBeyondTheWalksDepthSayTheRestCouldNotBeRead() {
        String m = "Content-Type: text/plain\r\n\r\ninnermost\r\n";
        for (int i = 0; i <= MimeWalk.MAX_DEPTH; i++) m = "Subject: level " + i + "\r\nContent-Type: message/rfc822\r\n\r\n" + m;
        PreviewReader.Parts p = read(m);
        assertThat(p.text()).doesNotContain("innermost")
                .endsWith("[the rest of the message could not be read: attached messages nested deeper than " + MimeWalk.MAX_DEPTH + "]");
        assertThat(p.attachments()).hasSize(MimeWalk.MAX_DEPTH + 1).allMatch(a -> a.startsWith("(unnamed) (message/rfc822, "));
    }

    @Test
    void aHugeBodyIsCutToThePreviewLimitAcrossParts() {
        String big = "x".repeat(PreviewReader.MAX_TEXT);
        PreviewReader.Parts p = read("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n" + big.substring(10)
                + "\r\n--b\r\nContent-Type: text/plain\r\n\r\n" + "y".repeat(100) + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nnever shown\r\n--b--\r\n");
        assertThat(p.text()).hasSize(PreviewReader.MAX_TEXT).startsWith("xxx").endsWith("\nyyyyyyyyy").doesNotContain("never shown");
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] t = tail.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + middle.length + t.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(middle, 0, out, h.length, middle.length);
        System.arraycopy(t, 0, out, h.length + middle.length, t.length);
        return out;
    }
}
