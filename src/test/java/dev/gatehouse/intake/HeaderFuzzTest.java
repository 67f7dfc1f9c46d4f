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
import org.junit.jupiter.api.Disabled;
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
     * The known gaps tolerated while fuzzing (so that fuzzing goes on finding new ones); each has a disabled test
     * below that tolerates nothing. Empty this set when src/main is fixed.
     */
    static final Set<ClientReaders.Gap> TOLERATED = EnumSet.of(ClientReaders.Gap.LOCAL_PART_GATEHOUSE_CANNOT_READ,
            ClientReaders.Gap.ENCODED_WORDS_GATEHOUSE_LEAVES_RAW, ClientReaders.Gap.COMMENT_IN_FIELD_NAME,
            ClientReaders.Gap.DOMAIN_ATOMS_JOINED_ACROSS_WHITE_SPACE, ClientReaders.Gap.UNCLOSED_BRACKET,
            ClientReaders.Gap.MIXED_UTF8_LINE, ClientReaders.Gap.COMMENT_ENDS_THE_DOMAIN_FOR_ANGUS,
            ClientReaders.Gap.NESTING_DEPTH, ClientReaders.Gap.RAW_BYTE_IN_BASE64_WORD);

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
    @Disabled("GAP: a From mailbox whose local part Gatehouse can't read. For 'From: @contoso.com', 'From: CEO <ceo.@contoso.com>',"
            + " '.@contoso.com', '\"\".@contoso.com', '[x]@contoso.com', 'ceo@@contoso.com', 'c<NUL>.@contoso.com' Angus (parseHeader) and"
            + " mime4j (getFrom()) read a mailbox in contoso.com, Angus also for '<@contoso.com>', 'CEO <@contoso.com>',"
            + " '<@attack.example,@contoso.com>'; Gatehouse's HeaderFrom (mail.Addresses) reads no address at all, so -SenderDomainIs,"
            + " -FromScope and -From* rules don't see contoso.com (RejectDirectSendHeaderFrom refuses them as unparseable)."
            + " Re-enable after the fix.")
    void aFromMailboxWhoseLocalPartIsNoWordIsStillInGatehousesHeaderFrom() {
        for (String from : List.of("@contoso.com", "<@contoso.com>", "CEO <@contoso.com>", "<@attack.example,@contoso.com>",
                "CEO <ceo.@contoso.com>", ".@contoso.com", "\"\".@contoso.com", "[x]@contoso.com", "ceo@@contoso.com", "c\0.@contoso.com")) {
            check(smtpContent(("From: " + from + "\r\nSubject: s\r\n\r\nbody").getBytes(StandardCharsets.ISO_8859_1)), Set.of());
        }
    }

    @Test
    @Disabled("GAP: encoded words Gatehouse leaves raw and Angus decodes. 'Subject: =? =?utf-8?b?c2VjcmV0?=' is '=? secret' for"
            + " Angus's getSubject() but stays raw for Gatehouse (mail.Text.decodeWords = mime4j DecoderUtil, whose pattern starts at"
            + " the stray '=?' and then fails); 'Subject: =?utf-8*en?b?c2VjcmV0?=' (RFC 2231 language tag) is 'secret' for Angus, raw"
            + " for Gatehouse. A -SubjectContainsWords secret rule doesn't fire. Re-enable after the fix.")
    void everyEncodedWordAClientDecodesIsDecodedForTheRules() {
        for (String subject : List.of("=? =?utf-8?b?c2VjcmV0?=", "=?x =?utf-8?b?c2VjcmV0?=", "=?utf-8*en?b?c2VjcmV0?=",
                "=?iso-885 =?iso-8859-1?b?c2V\u00ffjcmV0?=")) {
            check(smtpContent(("Subject: " + subject + "\r\nFrom: x@example.org\r\n\r\nbody").getBytes(StandardCharsets.UTF_8)), Set.of());
        }
    }

    @Test
    @Disabled("GAP: mime4j reads a (comment) in a field name as white space. 'X-MS-Exchange-(x)Organization-AuthAs: Internal' and"
            + " '(c)X-MS-Exchange-CrossTenant-AuthAs: Internal' keep no protected prefix, pass the firewall and are a forged AuthAs:"
            + " Internal for mime4j (PERMISSIVE and DEFAULT); 'From(c): CEO <ceo@contoso.com>' and 'Subject(x): secret' are a From"
            + " and a Subject for mime4j that the header-From check and the rules don't see; 'X(: a' is dropped by mime4j."
            + " RFC 5322 ftext allows '(' and ')', so HeaderSection keeps these names. Re-enable after the fix.")
    void aCommentInAFieldNameReadsAlikeForEveryReader() {
        for (String field : List.of("X-MS-Exchange-(x)Organization-AuthAs: Internal", "(c)X-MS-Exchange-CrossTenant-AuthAs: Internal",
                "From(c): CEO <ceo@contoso.com>", "Subject(x): secret", "X(: a")) {
            check(smtpContent((field + "\r\nFrom: x@example.org\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII)), Set.of());
        }
    }

    @Test
    @Disabled("GAP: mime4j's lenient address parser (its getFrom()) joins domain atoms across white space and comments:"
            + " 'ceo@cont oso.com', 'ceo@con(x)toso.com', 'CEO <ceo@contoso.c om>' are ceo@contoso.com for mime4j; Gatehouse reads"
            + " ceo@cont, ceo@con, ceo@contoso.c, so RejectDirectSendHeaderFrom accepts them and -SenderDomainIs contoso.com doesn't"
            + " fire. Re-enable after the fix.")
    void aDomainSplitByWhiteSpaceOrACommentIsInGatehousesHeaderFrom() {
        for (String from : List.of("ceo@cont oso.com", "ceo@con(x)toso.com", "CEO <ceo@contoso.c om>")) {
            check(smtpContent(("From: " + from + "\r\nSubject: s\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII)), Set.of());
        }
    }

    @Test
    @Disabled("GAP: an unclosed '[' hides the rest of a From value from Gatehouse (mail.Addresses reads it as a domain literal"
            + " to the end): 'From: x@example.org, [ ceo@contoso.com' is only x@example.org for Gatehouse, so"
            + " RejectDirectSendHeaderFrom accepts it, while Angus (parseHeader) and mime4j (getFrom()) read ceo@contoso.com too;"
            + " 'From: CEO [ <ceo@contoso.com>' has no address for Gatehouse. Re-enable after the fix.")
    void anUnclosedBracketHidesNoMailboxFromGatehouse() {
        for (String from : List.of("x@example.org, [ ceo@contoso.com", "CEO [ <ceo@contoso.com>", "a[b: c@contoso.com")) {
            check(smtpContent(("From: " + from + "\r\nSubject: s\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII)), Set.of());
        }
    }

    @Test
    @Disabled("GAP: a From line mixing valid UTF-8 with an invalid byte is ISO-8859-1 for Gatehouse (mail.Text.decode, per line)"
            + " and UTF-8 for Angus with mail.mime.allowutf8: 'From: \\xff <ceo@bücher.example>' is ceo@bücher.example for Angus,"
            + " ceo@bã¼cher.example for Gatehouse; matters for a tenant whose accepted domain is an IDN. Re-enable after the fix.")
    void aFromLineMixingUtf8AndInvalidBytesReadsAlike() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("From: ".getBytes(StandardCharsets.US_ASCII));
        b.write(0xff); // never valid in UTF-8
        b.writeBytes(" <ceo@bücher.example>\r\nSubject: s\r\n\r\nbody".getBytes(StandardCharsets.UTF_8));
        check(smtpContent(b.toByteArray()), Set.of());
    }

    @Test
    @Disabled("GAP: Angus ends a From domain at a comment: 'From: ceo@contoso.com (c).evil' and 'ceo@contoso.com(x).example' are"
            + " ceo@contoso.com for Angus (parseHeader, getFrom()), ceo@contoso.com.evil / ceo@contoso.com.example for Gatehouse and"
            + " mime4j, so RejectDirectSendHeaderFrom accepts them and -SenderDomainIs contoso.com doesn't fire. Re-enable after the fix.")
    void aCommentInsideTheFromDomainHidesNoDomainFromGatehouse() {
        for (String from : List.of("ceo@contoso.com (c).evil", "ceo@contoso.com(x).example", "x@example.org, ceo@contoso.com (c).evil")) {
            check(smtpContent(("From: " + from + "\r\nSubject: s\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII)), Set.of());
        }
    }

    @Test
    @Disabled("GAP: mail.Addresses scans comments only 8 levels deep: 'From: x@example.org (((((((((ceo@contoso.com)))))))))' is"
            + " x@example.org alone for Gatehouse (RejectDirectSendHeaderFrom accepts it) while Angus's getPersonal() shows"
            + " '((((((((ceo@contoso.com))))))))'. Re-enable after the fix.")
    void anAddressInDeeplyNestedCommentsIsInGatehousesHeaderFrom() {
        for (int depth : new int[] {9, 12}) {
            String from = "x@example.org " + "(".repeat(depth) + "ceo@contoso.com" + ")".repeat(depth);
            check(smtpContent(("From: " + from + "\r\nSubject: s\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII)), Set.of());
        }
    }

    @Test
    @Disabled("GAP: a raw 0xFF byte inside a B encoded word: 'Subject: =?iso-8859-1?b?<0xFF>CBzZWNyZXQ=?=' is '  secret' for"
            + " Angus's getSubject() (it takes the byte for a base64 digit) and 'ÙXÜ]' for Gatehouse (mail.Text.decodeWords, mime4j,"
            + " skips it): -SubjectContainsWords secret doesn't fire. Re-enable after the fix.")
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
