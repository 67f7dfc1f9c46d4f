// The MIME walk: body text with its charset and transfer encoding, attachments by disposition and by name, nested
// messages, signed and encrypted structures, sizes and SHA-256, the text bound, and broken input that never throws.
package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.gatehouse.mail.MimeSummary.Attachment;
import dev.gatehouse.mail.MimeSummary.TextPart;

class MimeWalkTest {

    private static MimeSummary walk(String latin1, boolean hash) {
        return MimeWalk.walk(new ByteArrayInputStream(latin1.getBytes(StandardCharsets.ISO_8859_1)), hash);
    }

    private static MimeSummary walk(String latin1) { return walk(latin1, true); }

    private static String mixed(String... parts) {
        StringBuilder b = new StringBuilder("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\npreamble\r\n");
        for (String p : parts) b.append("--b\r\n").append(p).append("\r\n");
        return b.append("--b--\r\nepilogue\r\n").toString();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    // --- body text ----------------------------------------------------------------------------------------

    @Test
    void aSinglePartPlainTextMessageIsItsBodyText() {
        MimeSummary s = walk("Subject: s\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nhello\r\nworld\r\n");
        assertThat(s.texts()).containsExactly(new TextPart("text/plain", "hello\r\nworld\r\n"));
        assertThat(s.attachments()).isEmpty();
        assertThat(s.signedOrEncrypted()).isFalse();
        assertThat(s.error()).isNull();
        assertThat(s.bodyText()).isEqualTo("hello\r\nworld\r\n");
    }

    @Test
    void plainAndHtmlPartsAreDecodedWithTheirCharsetsAndTransferEncodings() {
        String utf8Base64 = Base64.getEncoder().encodeToString("caf\u00e9 \u20ac".getBytes(StandardCharsets.UTF_8));
        MimeSummary s = walk(mixed(
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + utf8Base64,
                "Content-Type: text/html; charset=\"ISO-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>caf=E9 =\r\nsoft</p>",
                "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\nna\u00efve",
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=E2=82=AC=3D"));
        assertThat(s.texts()).containsExactly(
                new TextPart("text/plain", "caf\u00e9 \u20ac"),
                new TextPart("text/html", "<p>caf\u00e9 soft</p>"),
                new TextPart("text/plain", "na\u00efve"),
                new TextPart("text/plain", "\u20ac="));
        assertThat(s.texts().get(1).html()).isTrue();
        assertThat(s.texts().get(0).html()).isFalse();
        assertThat(s.bodyText()).isEqualTo("caf\u00e9 \u20ac\n<p>caf\u00e9 soft</p>\nna\u00efve\n\u20ac=");
        assertThat(s.error()).isNull();
    }

    @Test
    void utf8BodyBytesAreDecodedAsUtf8() {
        String body = new String("Gr\u00fc\u00dfe \uD83D\uDE00".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        MimeSummary s = walk("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body);
        assertThat(s.bodyText()).isEqualTo("Gr\u00fc\u00dfe \uD83D\uDE00");
    }

    @Test
    void anUnknownOrIllegalCharsetFallsBackToIso88591() {
        assertThat(walk("Content-Type: text/plain; charset=x-no-such-charset\r\n\r\ncaf\u00e9").bodyText()).isEqualTo("caf\u00e9");
        assertThat(walk("Content-Type: text/plain; charset=\"utf 8\"\r\n\r\ncaf\u00e9").bodyText()).isEqualTo("caf\u00e9");
    }

    @Test
    void theMimeTypeIsLowerCase() {
        MimeSummary s = walk("Content-Type: TEXT/HTML; charset=us-ascii\r\n\r\n<b>x</b>");
        assertThat(s.texts()).containsExactly(new TextPart("text/html", "<b>x</b>"));
        assertThat(s.texts().getFirst().html()).isTrue();
    }

    @Test
    void aMessageWithoutContentTypeIsPlainText() {
        assertThat(walk("Subject: s\r\n\r\nbody\r\n").texts()).containsExactly(new TextPart("text/plain", "body\r\n"));
        assertThat(walk("").texts()).containsExactly(new TextPart("text/plain", ""));
    }

    @Test
    void aNonTextPartWithoutANameOrAttachmentDispositionIsAnUnnamedAttachment() {
        // mail clients show an unnamed image or document as an attachment, so the walk lists it (hunting counts it)
        MimeSummary s = walk(mixed("Content-Type: text/plain\r\n\r\nhi", "Content-Type: image/png\r\n\r\nPNG"));
        assertThat(s.texts()).extracting(TextPart::text).containsExactly("hi");
        assertThat(s.attachments()).extracting(MimeSummary.Attachment::fileName, MimeSummary.Attachment::mimeType, MimeSummary.Attachment::size)
                .containsExactly(org.assertj.core.api.Assertions.tuple(null, "image/png", 3L));
        assertThat(s.attachmentNames()).isEmpty();
    }

    // --- the text bound ------------------------------------------------------------------------------------------

    @Test
    void oneTextPartIsCutAtTheBound() {
        MimeSummary s = walk("Content-Type: text/plain\r\n\r\n" + "a".repeat(MimeWalk.MAX_TEXT_CHARS + 1000));
        assertThat(s.texts()).hasSize(1);
        assertThat(s.texts().getFirst().text()).hasSize(MimeWalk.MAX_TEXT_CHARS).isEqualTo("a".repeat(MimeWalk.MAX_TEXT_CHARS));
    }

    @Test
    void theBoundCountsCharactersNotBytes() {
        String e = new String("\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        MimeSummary s = walk("Content-Type: text/plain; charset=utf-8\r\n\r\n" + e.repeat(MimeWalk.MAX_TEXT_CHARS + 7));
        assertThat(s.bodyText()).isEqualTo("\u00e9".repeat(MimeWalk.MAX_TEXT_CHARS));
    }

    @Test
    void theBoundIsForAllTextPartsTogetherAndAttachmentsAreStillListedAfterIt() {
        MimeSummary s = walk(mixed(
                "Content-Type: text/plain\r\n\r\n" + "a".repeat(MimeWalk.MAX_TEXT_CHARS - 10),
                "Content-Type: text/plain\r\n\r\n" + "b".repeat(100),
                "Content-Type: text/html\r\n\r\n" + "c".repeat(5),
                "Content-Type: application/pdf; name=late.pdf\r\n\r\nPDF"));
        assertThat(s.texts()).extracting(TextPart::text).containsExactly("a".repeat(MimeWalk.MAX_TEXT_CHARS - 10), "b".repeat(10));
        assertThat(s.texts().stream().mapToInt(t -> t.text().length()).sum()).isEqualTo(MimeWalk.MAX_TEXT_CHARS);
        assertThat(s.attachmentNames()).containsExactly("late.pdf");
    }

    // --- attachments -------------------------------------------------------------------------------------------------

    @Test
    void attachmentsAreFoundByDispositionAndByFileNameOrName() {
        MimeSummary s = walk(mixed(
                "Content-Type: text/plain\r\n\r\nbody",
                "Content-Type: application/octet-stream\r\nContent-Disposition: attachment\r\n\r\nunnamed",
                "Content-Type: application/pdf\r\nContent-Disposition: inline; filename=\"report.pdf\"\r\n\r\nPDF",
                "Content-Type: application/zip; name=archive.zip\r\n\r\nZIP",
                "Content-Type: text/plain; name=notes.txt\r\n\r\nnot body text",
                "Content-Type: image/png\r\nContent-Disposition: ATTACHMENT; filename=a.png\r\n\r\nPNG"));
        assertThat(s.texts()).extracting(TextPart::text).containsExactly("body");
        assertThat(s.attachments()).extracting(Attachment::fileName, Attachment::mimeType, Attachment::size).containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, "application/octet-stream", 7L),
                org.assertj.core.groups.Tuple.tuple("report.pdf", "application/pdf", 3L),
                org.assertj.core.groups.Tuple.tuple("archive.zip", "application/zip", 3L),
                org.assertj.core.groups.Tuple.tuple("notes.txt", "text/plain", 13L),
                org.assertj.core.groups.Tuple.tuple("a.png", "image/png", 3L));
        assertThat(s.attachmentNames()).containsExactly("report.pdf", "archive.zip", "notes.txt", "a.png");
    }

    @Test
    void theDispositionFileNameWinsOverTheContentTypeName() {
        MimeSummary s = walk("Content-Type: application/pdf; name=type.pdf\r\nContent-Disposition: attachment; filename=disposition.pdf\r\n\r\nX");
        assertThat(s.attachmentNames()).containsExactly("disposition.pdf");
    }

    @Test
    void rfc2047EncodedFileNamesAreDecoded() {
        MimeSummary s = walk(mixed(
                "Content-Type: application/octet-stream; name=\"=?utf-8?q?r=C3=A9sum=C3=A9.exe?=\"\r\n\r\nMZ",
                "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"=?utf-8?b?cmVwb3J0LmV4ZQ==?=\"\r\n\r\nMZ",
                "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"=?iso-8859-1?q?caf=E9?=.zip\"\r\n\r\nPK"));
        assertThat(s.attachmentNames()).containsExactly("r\u00e9sum\u00e9.exe", "report.exe", "caf\u00e9.zip");
    }

    @Test
    void rfc2231FileNamesInTheDispositionAreDecoded() {
        MimeSummary s = walk(mixed(
                "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=UTF-8''%E2%82%AC.exe\r\n\r\nMZ",
                "Content-Type: application/octet-stream\r\nContent-Disposition: inline; filename*0=\"ev\"; filename*1=\"il.exe\"\r\n\r\nMZ"));
        assertThat(s.attachmentNames()).containsExactly("\u20ac.exe", "evil.exe");
    }

    @Test
    void anRfc2231NameOnTheContentTypeMakesAnAttachment() {
        MimeSummary s = walk(mixed("Content-Type: text/plain\r\n\r\nhi",
                "Content-Type: application/x-msdownload; name*=UTF-8''evil.exe\r\n\r\nMZ"));
        assertThat(s.attachmentNames()).containsExactly("evil.exe");
    }

    @Test
    void sizesAndSha256AreThoseOfTheDecodedBytes() throws Exception {
        byte[] data = new byte[10_000];
        new Random(42).nextBytes(data);
        String b64 = Base64.getMimeEncoder().encodeToString(data);
        String msg = mixed(
                "Content-Type: application/octet-stream; name=random.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64,
                "Content-Type: text/csv; name=q.csv\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\na=3Db=\r\nc",
                "Content-Type: application/octet-stream; name=empty.bin\r\n\r\n");
        MimeSummary hashed = walk(msg, true);
        assertThat(hashed.attachments()).containsExactly(
                new Attachment("random.bin", "application/octet-stream", 10_000, sha256(data)),
                new Attachment("q.csv", "text/csv", 4, sha256("a=bc".getBytes(StandardCharsets.US_ASCII))),
                new Attachment("empty.bin", "application/octet-stream", 0, sha256(new byte[0])));
        assertThat(sha256(new byte[0])).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        MimeSummary counted = walk(msg, false);
        assertThat(counted.attachments()).containsExactly(
                new Attachment("random.bin", "application/octet-stream", 10_000, null),
                new Attachment("q.csv", "text/csv", 4, null),
                new Attachment("empty.bin", "application/octet-stream", 0, null));
    }

    // --- nested messages, signed and encrypted -----------------------------------------------------------------------

    private static final String FORWARDED = mixed(
            "Content-Type: text/plain\r\n\r\nouter",
            "Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename=fwd.eml\r\n\r\n"
                    + "Subject: inner\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n"
                    + "--c\r\nContent-Type: text/plain\r\n\r\ninner text\r\n"
                    + "--c\r\nContent-Type: application/zip; name=\"in.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n"
                    + "--c--\r\n");

    @Test
    void theAttachmentsAndTextOfAnAttachedMessageAreWalked() throws Exception {
        MimeSummary s = walk(FORWARDED);
        assertThat(s.texts()).extracting(TextPart::text).containsExactly("outer", "inner text");
        assertThat(s.attachments()).contains(new Attachment("in.zip", "application/zip", 4, sha256(new byte[] {'P', 'K', 3, 4})));
        assertThat(s.error()).isNull();
    }

    @Test
    void anAttachedMessageIsItselfAnAttachment() {
        assertThat(walk(FORWARDED).attachmentNames()).containsExactly("fwd.eml", "in.zip");
    }

    @Test
    void multipartSignedAndEncryptedAndPkcs7PartsSetSignedOrEncrypted() {
        assertThat(walk("Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nsigned text\r\n--b\r\nContent-Type: application/pgp-signature\r\n\r\nSIG\r\n--b--\r\n"))
                .satisfies(s -> {
                    assertThat(s.signedOrEncrypted()).isTrue();
                    assertThat(s.bodyText()).isEqualTo("signed text");
                });
        assertThat(walk("Content-Type: Multipart/Encrypted; protocol=\"application/pgp-encrypted\"; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\nX\r\n--b--\r\n")
                .signedOrEncrypted()).isTrue();
        assertThat(walk("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nAAAA\r\n").signedOrEncrypted()).isTrue();
        assertThat(walk(mixed("Content-Type: text/plain\r\n\r\nx", "Content-Type: application/x-pkcs7-signature; name=smime.p7s\r\n\r\nS"))
                .signedOrEncrypted()).isTrue();
        assertThat(walk(mixed("Content-Type: text/plain\r\n\r\nx", "Content-Type: application/pdf; name=a.pdf\r\n\r\nP"))
                .signedOrEncrypted()).isFalse();
    }

    @Test
    void aSignedPartInsideAnAttachedMessageCounts() {
        MimeSummary s = walk(mixed("Content-Type: text/plain\r\n\r\nouter",
                "Content-Type: message/rfc822\r\n\r\nContent-Type: multipart/signed; boundary=c\r\n\r\n--c\r\nContent-Type: text/plain\r\n\r\nin\r\n"
                        + "--c\r\nContent-Type: application/pkcs7-signature\r\n\r\nS\r\n--c--\r\n"));
        assertThat(s.signedOrEncrypted()).isTrue();
    }

    // --- broken input ---------------------------------------------------------------------------------------------------

    @Test
    void aTruncatedMultipartYieldsWhatWasRead() {
        MimeSummary s = walk("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
                + "--b\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBER");
        assertThat(s.texts()).extracting(TextPart::text).containsExactly("first");
        assertThat(s.attachments()).extracting(Attachment::fileName, Attachment::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a.pdf", 3L)); // "JVBE" is "%PD"; the lone "R" is dropped
    }

    @Test
    void aMultipartWithoutItsBoundaryIsReadAsOneTextPart() {
        String body = "--b\r\nContent-Type: application/pdf; name=a.pdf\r\n\r\nX\r\n--b--\r\n";
        MimeSummary s = walk("Content-Type: multipart/mixed\r\n\r\n" + body);
        assertThat(s.attachments()).isEmpty();
        assertThat(s.texts()).containsExactly(new TextPart("text/plain", body));
    }

    @Test
    void aReadErrorKeepsWhatWasReadAndSaysWhy() {
        byte[] msg = mixed("Content-Type: text/plain\r\n\r\nfirst", "Content-Type: application/pdf; name=a.pdf\r\n\r\n" + "P".repeat(20_000))
                .getBytes(StandardCharsets.US_ASCII);
        int cut = new String(msg, StandardCharsets.US_ASCII).indexOf("PPPP") + 15_000; // well past the text part: mime4j reads ahead in blocks
        InputStream failing = new InputStream() {
            int at;

            @Override
            public int read() throws IOException {
                if (at >= cut) throw new IOException("connection reset");
                return msg[at++] & 0xff;
            }
        };
        MimeSummary s = MimeWalk.walk(failing, true);
        assertThat(s.texts()).extracting(TextPart::text).containsExactly("first");
        assertThat(s.error()).isEqualTo("connection reset");
    }

    @Test
    void generatedBrokenInputNeverThrows() {
        String[] pieces = {"Content-Type: multipart/mixed; boundary=b\r\n", "Content-Type: message/rfc822\r\n", "Content-Type: text/plain; charset=",
                "utf-8", "x-bogus", "\r\n", "\r\n\r\n", "--b\r\n", "--b--\r\n", "Content-Transfer-Encoding: base64\r\n",
                "Content-Transfer-Encoding: quoted-printable\r\n", "=E9=", "=?", "!!!", "Content-Disposition: attachment; filename=\"",
                "name*=''%", "\0", "\u00ff", "boundary=\"", " ", ";", "Content-Type: multipart/signed; boundary=b\r\n"};
        for (long seed = 0; seed < 1000; seed++) {
            Random r = new Random(seed);
            StringBuilder b = new StringBuilder();
            for (int i = r.nextInt(40); i > 0; i--) b.append(pieces[r.nextInt(pieces.length)]);
            byte[] in = b.toString().getBytes(StandardCharsets.ISO_8859_1);
            MimeSummary s = MimeWalk.walk(new ByteArrayInputStream(in), true);
            assertThat(s).as("seed " + seed).isNotNull();
            assertThat(Message.parse(in).mime()).as("seed " + seed).isNotNull();
        }
    }

    @Test
    void theSummaryListsAreCopies() {
        java.util.List<TextPart> texts = new java.util.ArrayList<>(java.util.List.of(new TextPart("text/plain", "a")));
        MimeSummary s = new MimeSummary(texts, java.util.List.of(), false, null);
        texts.add(new TextPart("text/plain", "b"));
        assertThat(s.texts()).hasSize(1);
        assertThat(s.bodyText()).isEqualTo("a");
        assertThat(new MimeSummary(java.util.List.of(), java.util.List.of(), false, null).bodyText()).isEmpty();
    }
}
