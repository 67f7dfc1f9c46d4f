// The message model's reads and views: field look-ups, the three ways to get the bytes, and the views the firewall,
// the stamps and the tenant copies make, which share the body and (when no Content-* field changes) the MIME walk.
package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class MessageTest {

    private static final String STORED = "Received: from a (203.0.113.5)\r\n by mx (Gatehouse) with ESMTP id x;\r\n Sat, 28 Nov 2026 18:00:00 +0000\r\n"
            + "X-MS-Exchange-Organization-Network-Message-Id: 8026f7a2-10c7-4894-75d5-08db7c3b05c4\r\n"
            + "From: \"Joe\" <joe@example.org>\r\n"
            + "Subject: =?utf-8?q?caf=C3=A9?=\r\n"
            + "Message-ID: <abc@example.org>\r\n"
            + "X-MS-Exchange-Organization-AuthAs: Internal\r\n"
            + "subject: second\r\n"
            + "\r\n"
            + "body line 1\r\nbody line 2\r\n";

    private static Message msg(String s) { return Message.parse(s.getBytes(StandardCharsets.UTF_8)); }

    private static String text(Message m) { return new String(m.bytes(), StandardCharsets.UTF_8); }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** The body bytes a message holds: views promise to share them rather than copy. */
    private static Object tail(Message m) throws ReflectiveOperationException {
        Field f = Message.class.getDeclaredField("tail");
        f.setAccessible(true);
        return f.get(m);
    }

    // --- reads -------------------------------------------------------------------------------------------

    @Test
    void fieldLookUpsIgnoreAsciiCaseAndKeepOrder() {
        Message m = msg(STORED);
        assertThat(m.count("SUBJECT")).isEqualTo(2);
        assertThat(m.count("Bcc")).isZero();
        assertThat(m.all("subject")).extracting(HeaderField::name).containsExactly("Subject", "subject");
        assertThat(m.first("Subject")).isEqualTo("=?utf-8?q?caf=C3=A9?=");
        assertThat(m.firstDecoded("Subject")).isEqualTo("caf\u00e9");
        assertThat(m.values("Subject")).containsExactly("=?utf-8?q?caf=C3=A9?=", "second");
        assertThat(m.decoded("subject")).containsExactly("caf\u00e9", "second");
        assertThat(m.first("Bcc")).isNull();
        assertThat(m.firstDecoded("Bcc")).isNull();
        assertThat(m.decoded("Bcc")).isEmpty();
    }

    @Test
    void subjectsAreEveryDecodedSubjectAClientCouldShow() {
        assertThat(msg(STORED).subjects()).containsExactly("caf\u00e9", "second");
        assertThat(msg("To: a@example.org\r\n\r\n").subjects()).isEmpty();
    }

    @Test
    void theInternetMessageIdAndTheFromAreRead() {
        Message m = msg(STORED);
        assertThat(m.first("Message-Id")).isEqualTo("<abc@example.org>");
        assertThat(m.headerFrom().addresses()).containsExactly("joe@example.org");
        assertThat(m.headerFrom().fields()).isEqualTo(1);
    }

    @Test
    void theFieldListIsReadOnly() {
        Message m = msg(STORED);
        assertThatThrownBy(() -> m.fields().add(HeaderField.of("Bcc", "x@example.org"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.fields().remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    // --- bytes ---------------------------------------------------------------------------------------------

    @Test
    void bytesSizeAndOpenStreamAgreeBeforeAndAfterTheBytesAreComputed() throws IOException {
        byte[] in = STORED.getBytes(StandardCharsets.UTF_8);
        Message m = Message.parse(in);
        assertThat(read(m.openStream())).isEqualTo(in); // streamed from the fields and the body
        assertThat(m.size()).isEqualTo(in.length);
        assertThat(m.bytes()).isEqualTo(in);
        assertThat(m.bytes()).isSameAs(m.bytes()); // computed once
        assertThat(read(m.openStream())).isEqualTo(in); // from the computed bytes
        assertThat(m.size()).isEqualTo(in.length);
    }

    @Test
    void aViewsBytesSizeAndStreamAgree() throws IOException {
        Message view = msg(STORED).without(ProtectedHeaders::isProtected).prepend(List.of(HeaderField.of("X-Trace", "1")));
        byte[] streamed = read(view.openStream());
        assertThat(view.size()).isEqualTo(streamed.length);
        assertThat(view.bytes()).isEqualTo(streamed);
    }

    // --- views -----------------------------------------------------------------------------------------------

    @Test
    void withoutDropsTheSelectedFieldsAndKeepsTheRestByteExact() throws Exception {
        Message m = msg(STORED);
        Message fw = m.without(ProtectedHeaders::isProtected);
        assertThat(text(fw)).isEqualTo("Received: from a (203.0.113.5)\r\n by mx (Gatehouse) with ESMTP id x;\r\n Sat, 28 Nov 2026 18:00:00 +0000\r\n"
                + "From: \"Joe\" <joe@example.org>\r\n"
                + "Subject: =?utf-8?q?caf=C3=A9?=\r\n"
                + "Message-ID: <abc@example.org>\r\n"
                + "subject: second\r\n"
                + "\r\n"
                + "body line 1\r\nbody line 2\r\n");
        assertThat(text(m)).isEqualTo(STORED); // the original is unchanged
        assertThat(tail(fw)).isSameAs(tail(m));
    }

    @Test
    void withoutReturnsTheSameMessageWhenNothingIsDropped() {
        Message m = msg(STORED);
        assertThat(m.without(f -> f.is("Bcc"))).isSameAs(m);
    }

    @Test
    void prependPutsTheFieldsFirst() throws Exception {
        Message m = msg("Subject: s\r\n\r\nbody\r\n");
        Message p = m.prepend(List.of(HeaderField.of("Received", "from x"), HeaderField.of("X-A", "1")));
        assertThat(text(p)).isEqualTo("Received: from x\r\nX-A: 1\r\nSubject: s\r\n\r\nbody\r\n");
        assertThat(p.fields()).extracting(HeaderField::name).containsExactly("Received", "X-A", "Subject");
        assertThat(text(m)).isEqualTo("Subject: s\r\n\r\nbody\r\n");
        assertThat(tail(p)).isSameAs(tail(m));
        assertThat(text(m.prepend(List.of()))).isEqualTo(text(m));
    }

    @Test
    void withFieldsReplacesTheHeaderAndKeepsTheBody() throws Exception {
        Message m = msg(STORED);
        Message w = m.withFields(List.of(HeaderField.of("Subject", "new")), false);
        assertThat(text(w)).isEqualTo("Subject: new\r\n\r\nbody line 1\r\nbody line 2\r\n");
        assertThat(tail(w)).isSameAs(tail(m));
        assertThat(text(m.withFields(List.of(), false))).isEqualTo("\r\nbody line 1\r\nbody line 2\r\n");
    }

    @Test
    void withFieldsCopiesTheListItIsGiven() {
        List<HeaderField> fields = new ArrayList<>(List.of(HeaderField.of("Subject", "a")));
        Message w = msg(STORED).withFields(fields, false);
        fields.add(HeaderField.of("Bcc", "x@example.org"));
        assertThat(w.count("Bcc")).isZero();
    }

    @Test
    void theTenantStampGoesAfterTheLeadingReceivedAndNetworkMessageId() throws Exception {
        Message m = msg(STORED);
        Message copy = m.withTenantStamp(Message.fieldsOf("X-MS-Exchange-Organization-AuthAs: Anonymous\r\nX-MS-Exchange-CrossTenant-Id: t1\r\n"));
        assertThat(text(copy)).isEqualTo("Received: from a (203.0.113.5)\r\n by mx (Gatehouse) with ESMTP id x;\r\n Sat, 28 Nov 2026 18:00:00 +0000\r\n"
                + "X-MS-Exchange-Organization-Network-Message-Id: 8026f7a2-10c7-4894-75d5-08db7c3b05c4\r\n"
                + "X-MS-Exchange-Organization-AuthAs: Anonymous\r\n"
                + "X-MS-Exchange-CrossTenant-Id: t1\r\n"
                + "From: \"Joe\" <joe@example.org>\r\n"
                + "Subject: =?utf-8?q?caf=C3=A9?=\r\n"
                + "Message-ID: <abc@example.org>\r\n"
                + "X-MS-Exchange-Organization-AuthAs: Internal\r\n"
                + "subject: second\r\n"
                + "\r\n"
                + "body line 1\r\nbody line 2\r\n");
        assertThat(tail(copy)).isSameAs(tail(m));
    }

    @Test
    void anEmptyStampIsTheSameMessage() {
        Message m = msg(STORED);
        assertThat(m.withTenantStamp(List.of())).isSameAs(m);
        assertThat(m.withTenantStamp(Message.fieldsOf(""))).isSameAs(m);
        assertThat(m.withTenantStamp(Message.fieldsOf(null))).isSameAs(m);
    }

    @Test
    void theTenantStampEqualsWhatTenantCopyAssembleWrites() {
        String stamp = "X-MS-Exchange-Organization-AuthAs: Anonymous\r\nX-MS-Exchange-Organization-MessageDirectionality: Incoming\r\n";
        List<String> stored = List.of(
                STORED,
                "Received: from a\r\n\tby b\r\nSubject: s\r\n\r\nbody",
                "X-MS-Exchange-Organization-Network-Message-Id: n\r\nReceived: x\r\nSubject: s\r\n\r\nbody",
                "received: x\r\nx-ms-exchange-organization-network-message-id: n\r\n\r\n",
                "Subject: s\r\n\r\nbody",
                "Received: a\r\nReceived: b\r\n\r\n",
                "Received: only\r\n",
                "\r\nbody only",
                "Received: a\nX-MS-Exchange-Organization-Network-Message-Id: n\n s\nSubject: s\n\nbody\n",
                "");
        for (String s : stored) {
            Message m = msg(s);
            byte[] expected = TenantCopy.assemble(stamp, m.bytes());
            assertThat(m.withTenantStamp(Message.fieldsOf(stamp)).bytes()).as(s).isEqualTo(expected);
        }
    }

    @Test
    void theTenantStampEqualsWhatTenantCopyAssembleWritesOnGeneratedMessages() {
        String[] fields = {"Received: from a\r\n by b\r\n", "Received: x\r\n", "X-MS-Exchange-Organization-Network-Message-Id: n\r\n",
                "x-ms-exchange-organization-network-message-id: m\r\n\t folded\r\n", "Subject: s\r\n", "From: a@example.org\r\n",
                "Received : obsolete\r\n", "Receivedx: y\r\n", "X-MS-Exchange-Organization-Network-Message-Idx: no\r\n", " \r\n"};
        String[] stamps = {"X-A: 1\r\n", "X-A: 1\r\nX-B: 2\r\n", "X-MS-Exchange-Organization-AuthAs: Anonymous\r\n"};
        for (long seed = 0; seed < 2000; seed++) {
            Random r = new Random(seed);
            StringBuilder s = new StringBuilder();
            for (int i = r.nextInt(6); i > 0; i--) s.append(fields[r.nextInt(fields.length)]);
            if (r.nextBoolean()) s.append("\r\nbody\r\n");
            String stamp = stamps[r.nextInt(stamps.length)];
            Message m = msg(s.toString());
            assertThat(m.withTenantStamp(Message.fieldsOf(stamp)).bytes()).as("seed " + seed + ": " + s)
                    .isEqualTo(TenantCopy.assemble(stamp, m.bytes()));
        }
    }

    @Test
    void fieldsOfParsesStampText() {
        List<HeaderField> f = Message.fieldsOf("X-A: 1\r\nX-B: two\r\n words\r\n");
        assertThat(f).extracting(HeaderField::name).containsExactly("X-A", "X-B");
        assertThat(f).extracting(HeaderField::value).containsExactly("1", "two words");
        assertThat(new String(f.get(1).raw(), StandardCharsets.UTF_8)).isEqualTo("X-B: two\r\n words\r\n");
        assertThat(Message.fieldsOf("X-A: 1")).extracting(h -> new String(h.raw(), StandardCharsets.UTF_8)).containsExactly("X-A: 1\r\n");
        assertThat(Message.fieldsOf(null)).isEmpty();
        assertThat(Message.fieldsOf("")).isEmpty();
    }

    @Test
    void viewsCarryTheRepairsOfTheParse() {
        Message m = msg("Subject : s\r\n\r\n");
        assertThat(m.repairs()).containsExactly(HeaderSection.Repair.OBSOLETE_SPACING);
        assertThat(m.prepend(List.of(HeaderField.of("X-A", "1"))).repairs()).isEqualTo(m.repairs());
    }

    // --- the MIME walk is shared by views that change no Content-* field --------------------------------------

    private static final String MULTIPART = "From: a@example.org\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n"
            + "X-MS-Exchange-Organization-AuthAs: Internal\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: application/pdf; name=a.pdf\r\n\r\nPDF\r\n--b--\r\n";

    @Test
    void mimeIsWalkedOnceAndSharedByViewsThatChangeNoContentField() {
        Message m = msg(MULTIPART);
        MimeSummary s = m.mime();
        assertThat(s.attachmentNames()).containsExactly("a.pdf");
        assertThat(s.bodyText()).isEqualTo("hello");
        assertThat(m.mime()).isSameAs(s);
        assertThat(m.without(ProtectedHeaders::isProtected).mime()).isSameAs(s);
        assertThat(m.prepend(List.of(HeaderField.of("Received", "x"))).mime()).isSameAs(s);
        assertThat(m.withTenantStamp(List.of(HeaderField.of("X-A", "1"))).mime()).isSameAs(s);
        assertThat(m.withFields(m.fields(), false).mime()).isSameAs(s);
    }

    @Test
    void aViewThatChangesAContentFieldWalksAgain() {
        Message m = msg(MULTIPART);
        MimeSummary s = m.mime();
        Message noType = m.without(f -> f.is("Content-Type"));
        assertThat(noType.mime()).isNotSameAs(s);
        assertThat(noType.mime().attachments()).isEmpty(); // without its Content-Type the body is one text/plain part
        assertThat(m.without(f -> f.is("MIME-Version")).mime()).isNotSameAs(s);
        assertThat(m.prepend(List.of(HeaderField.of("Content-Type", "text/plain"))).mime()).isNotSameAs(s);
        assertThat(m.withTenantStamp(List.of(HeaderField.of("MIME-Version", "1.0"))).mime()).isNotSameAs(s);
        assertThat(m.withFields(m.fields(), true).mime()).isNotSameAs(s);
    }

    @Test
    void mimeReadsTheNormalisedBytesSoAContentTypeAfterABadLineIsBody() {
        Message m = msg("Subject: s\r\nnot a field\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf; name=a.pdf\r\n\r\nPDF\r\n--b--\r\n");
        assertThat(m.first("Content-Type")).isNull();
        assertThat(m.mime().attachments()).isEmpty();
        assertThat(m.mime().texts()).extracting(MimeSummary.TextPart::text).containsExactly(
                "not a field\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf; name=a.pdf\r\n\r\nPDF\r\n--b--\r\n");
    }
}
