// HeaderFuzzTest: arbitrary header blocks through the accept path's header pieces, then read back by Angus Mail and mime4j.
package dev.gatehouse.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

import dev.gatehouse.attribution.Stamps;
import dev.gatehouse.mail.ClientReaders;
import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.TenantCopy;
import dev.gatehouse.pipeline.Attribution;

/**
 * Issue 9's rule, fuzzed without sockets: the header set Gatehouse's firewall and rules act on is exactly the
 * header set common parsers read from the delivered copy. The input is a header block (taken as it is, and
 * again with {@code \r\n\r\nbody\r\n} after it); it goes through what the accept path does at end of data —
 * {@link Message#parse}, the header firewall's {@link HeaderFirewall#stamp}, the tenant's stamp inserted by
 * {@link TenantCopy#assemble} — and the delivered bytes are read with Angus Mail and mime4j
 * ({@link ClientReaders#assertAgreesWithGatehouse}: same field names, only the gateway's protected fields
 * each once, same Subjects, every From domain in Gatehouse's header From). The rules read
 * {@code stored.withTenantStamp(...)} (Accepting#tenantView) and the header-From check reads
 * {@code stored.headerFrom()}; both must be what the delivered bytes say.
 *
 * <p>SMTP content never holds a bare CR or LF (the SMTP layer refuses them) and is empty or ends with CRLF,
 * so every lone CR or LF of the input becomes CRLF and a missing final CRLF is added.
 *
 * <p>In a plain {@code ./mvnw test} this replays the stored inputs under
 * {@code src/test/resources/dev/gatehouse/intake/HeaderFuzzTestInputs/deliveredCopyReadsAsGatehouseReadsIt/};
 * with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class HeaderFuzzTest {
    static final String HOST = "mx.test";
    static final String NMID = "019a1f3e-5b7c-7d2e-9f10-23456789abcd";
    static final HeaderFirewall FIREWALL = new HeaderFirewall(HOST);
    static final HeaderFirewall.Hop HOP = new HeaderFirewall.Hop("client.example", "203.0.113.50", null, null, true, NMID,
            ZonedDateTime.of(2026, 11, 28, 18, 0, 0, 0, ZoneOffset.UTC));
    static final String STAMP = Stamps.of(Attribution.defaultConnector(false), "tid", HOST);
    static final byte[] BODY = "\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The gateway's own protected fields, in the order of the delivered copy. */
    static final List<String> EXPECTED_PROTECTED = expectedProtected();

    private static List<String> expectedProtected() {
        List<String> out = new ArrayList<>();
        out.add(TenantCopy.NETWORK_MESSAGE_ID + ": " + NMID);
        for (String line : STAMP.split("\r\n")) out.add(line.replaceFirst(":\\s*", ": "));
        return List.copyOf(out);
    }

    @FuzzTest(maxDuration = "30s")
    void deliveredCopyReadsAsGatehouseReadsIt(byte[] input) {
        check(smtpContent(input));
        byte[] withBody = new byte[input.length + BODY.length];
        System.arraycopy(input, 0, withBody, 0, input.length);
        System.arraycopy(BODY, 0, withBody, input.length, BODY.length);
        check(smtpContent(withBody));
    }

    /**
     * Gaps tolerated while fuzzing, so that fuzzing goes on finding new ones while a known one waits for its fix.
     * Empty: every gap in {@link ClientReaders.Gap} was fixed in src/main, and each keeps its test below as a
     * regression test that tolerates nothing.
     */
    static final Set<ClientReaders.Gap> TOLERATED = EnumSet.noneOf(ClientReaders.Gap.class);

    static void check(byte[] content) { check(content, TOLERATED); }

    /** Plain comparisons first; AssertJ only reports a difference (it is slow under Jazzer's instrumentation). */
    static void check(byte[] content, Set<ClientReaders.Gap> tolerated) {
        Message received = Message.parse(content);
        Message stored = FIREWALL.stamp(received, HOP);
        byte[] delivered = TenantCopy.assemble(STAMP, stored.bytes());
        Message rulesView = stored.withTenantStamp(Message.fieldsOf(STAMP)); // what Accepting#tenantView gives the rules
        Supplier<String> what = () -> "input\n" + ClientReaders.printable(content) + "\ndelivered\n" + ClientReaders.printable(delivered);

        // the rules' view is the delivered copy, and reading the delivered copy again changes nothing
        if (!Arrays.equals(rulesView.bytes(), delivered)) assertThat(rulesView.bytes()).as(what.get()).isEqualTo(delivered);
        Message reread = Message.parse(delivered);
        if (!reread.repairs().isEmpty()) assertThat(reread.repairs()).as(what.get() + "\nthe delivered copy is in canonical form").isEmpty();
        if (!Arrays.equals(reread.bytes(), delivered)) assertThat(reread.bytes()).as(what.get()).isEqualTo(delivered);
        if (!fields(reread).equals(fields(rulesView))) assertThat(fields(reread)).as(what.get()).containsExactlyElementsOf(fields(rulesView));
        // what the header-From check (stored) and the rules (tenant view) read is what the delivered copy says
        if (!stored.headerFrom().equals(reread.headerFrom())) assertThat(stored.headerFrom()).as(what.get()).isEqualTo(reread.headerFrom());
        if (!rulesView.subjects().equals(reread.subjects())) assertThat(rulesView.subjects()).as(what.get()).isEqualTo(reread.subjects());
        // the firewall removed every protected field the client sent, in any spelling a reader would match
        List<String> protectedStored = stored.fields().stream().filter(f -> ClientReaders.looksProtected(f.name())).map(HeaderField::name).toList();
        if (!protectedStored.equals(List.of(TenantCopy.NETWORK_MESSAGE_ID))) {
            assertThat(protectedStored).as(what.get()).containsExactly(TenantCopy.NETWORK_MESSAGE_ID);
        }

        ClientReaders.assertAgreesWithGatehouse(delivered, EXPECTED_PROTECTED, tolerated);
    }

    @Test
    void aFromMailboxWhoseLocalPartIsNoWordIsStillInGatehousesHeaderFrom() {
        for (String from : List.of("@contoso.com", "<@contoso.com>", "CEO <@contoso.com>", "<@attack.example,@contoso.com>",
                "CEO <ceo.@contoso.com>", ".@contoso.com", "\"\".@contoso.com", "[x]@contoso.com", "ceo@@contoso.com", "c\0.@contoso.com")) {
            check(smtpContent(("From: " + from + "\r\nSubject: s\r\n\r\nbody").getBytes(StandardCharsets.ISO_8859_1)), Set.of());
        }
    }

    @Test
    void everyEncodedWordAClientDecodesIsDecodedForTheRules() {
        for (String subject : List.of("=? =?utf-8?b?c2VjcmV0?=", "=?x =?utf-8?b?c2VjcmV0?=", "=?utf-8*en?b?c2VjcmV0?=",
                "=?iso-885 =?iso-8859-1?b?c2V\u00ffjcmV0?=")) {
            check(smtpContent(("Subject: " + subject + "\r\nFrom: x@example.org\r\n\r\nbody").getBytes(StandardCharsets.UTF_8)), Set.of());
        }
    }

    @Test
    void aCommentInAFieldNameReadsAlikeForEveryReader() {
        for (String field : List.of("X-MS-Exchange-(x)Organization-AuthAs: Internal", "(c)X-MS-Exchange-CrossTenant-AuthAs: Internal",
                "From(c): CEO <ceo@contoso.com>", "Subject(x): secret", "X(: a")) {
            check(smtpContent((field + "\r\nFrom: x@example.org\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII)), Set.of());
        }
    }

    @Test
    void aDomainSplitByWhiteSpaceOrACommentIsInGatehousesHeaderFrom() {
        for (String from : List.of("ceo@cont oso.com", "ceo@con(x)toso.com", "CEO <ceo@contoso.c om>")) {
            check(smtpContent(("From: " + from + "\r\nSubject: s\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII)), Set.of());
        }
    }

    @Test
    void anUnclosedBracketHidesNoMailboxFromGatehouse() {
        for (String from : List.of("x@example.org, [ ceo@contoso.com", "CEO [ <ceo@contoso.com>", "a[b: c@contoso.com")) {
            check(smtpContent(("From: " + from + "\r\nSubject: s\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII)), Set.of());
        }
    }

    @Test
    void aFromLineMixingUtf8AndInvalidBytesReadsAlike() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("From: ".getBytes(StandardCharsets.US_ASCII));
        b.write(0xff); // never valid in UTF-8
        b.writeBytes(" <ceo@bücher.example>\r\nSubject: s\r\n\r\nbody".getBytes(StandardCharsets.UTF_8));
        check(smtpContent(b.toByteArray()), Set.of());
    }

    @Test
    void aCommentInsideTheFromDomainHidesNoDomainFromGatehouse() {
        for (String from : List.of("ceo@contoso.com (c).evil", "ceo@contoso.com(x).example", "x@example.org, ceo@contoso.com (c).evil")) {
            check(smtpContent(("From: " + from + "\r\nSubject: s\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII)), Set.of());
        }
    }

    @Test
    void anAddressInDeeplyNestedCommentsIsInGatehousesHeaderFrom() {
        for (int depth : new int[] {9, 12}) {
            String from = "x@example.org " + "(".repeat(depth) + "ceo@contoso.com" + ")".repeat(depth);
            check(smtpContent(("From: " + from + "\r\nSubject: s\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII)), Set.of());
        }
    }

    @Test
    void aRawByteInsideABase64EncodedWordHidesNoWordFromTheRules() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("Subject: =?iso-8859-1?b?".getBytes(StandardCharsets.US_ASCII));
        b.write(0xff);
        b.writeBytes("CBzZWNyZXQ=?=\r\nFrom: x@example.org\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII));
        check(smtpContent(b.toByteArray()), Set.of());
    }

    @Test
    void theFuzzPropertyCanFail() {
        // a guard that the comparison is not vacuous: a copy where the client's forged AuthAs survived must fail it
        byte[] forged = ("X-MS-Exchange-Organization-AuthAs: Internal\r\nSubject: s\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] delivered = TenantCopy.assemble(STAMP, Message.parse(forged).prepend(FIREWALL.stamp(Message.parse(new byte[0]), HOP).fields()).bytes());
        assertThatThrownBy(() -> ClientReaders.assertAgreesWithGatehouse(delivered, EXPECTED_PROTECTED)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Internal");
    }

    private static List<String> fields(Message m) {
        return m.fields().stream().map(f -> f.name() + ": " + f.value()).toList();
    }

    /** What the SMTP layer could hand over: every lone CR or LF is CRLF, and the content ends with CRLF (or is empty). */
    static byte[] smtpContent(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 16);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < in.length && in[i + 1] == '\n') i++;
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        byte[] b = out.toByteArray();
        if (b.length == 0 || (b.length >= 2 && b[b.length - 2] == '\r' && b[b.length - 1] == '\n')) return b;
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }
}
