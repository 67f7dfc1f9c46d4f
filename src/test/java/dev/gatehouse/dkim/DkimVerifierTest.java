// DkimVerifierTest: DKIM verification against keys served by a real DNS server (Knot): RFC vectors, rules, hostile input.
package dev.gatehouse.dkim;

import static dev.gatehouse.dkim.DkimResult.Result.FAIL;
import static dev.gatehouse.dkim.DkimResult.Result.NEUTRAL;
import static dev.gatehouse.dkim.DkimResult.Result.PASS;
import static dev.gatehouse.dkim.DkimResult.Result.PERMERROR;
import static dev.gatehouse.dkim.DkimResult.Result.POLICY;
import static dev.gatehouse.dkim.DkimResult.Result.TEMPERROR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.dns.testing.DnsServer;
import dev.gatehouse.mail.Message;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DkimVerifierTest {

    static final TestSigner.Key RSA = TestSigner.rsa("rsa", "signer.example", 2048);
    static final TestSigner.Key ED = TestSigner.ed25519("ed", "signer.example");
    static final TestSigner.Key WEAK = TestSigner.rsa("weak", "signer.example", 512);
    static final TestSigner.Key STRICT = RSA.as("strict").withKeyTags("; t=s");
    static final TestSigner.Key SHA1_ONLY = RSA.as("sha1only").withKeyTags("; h=sha1");
    static final TestSigner.Key NOT_EMAIL = RSA.as("tlsrpt").withKeyTags("; s=tlsrpt");
    static final TestSigner.Key WRONG = RSA.as("wrong");
    static final TestSigner.Key GONE = RSA.as("gone");
    static final TestSigner.Key HUGE = RSA.as("huge");
    static final TestSigner.Key MANY = RSA.as("many");
    static final TestSigner.Key SLOW = RSA.as("slow");
    static final TestSigner.Key BAD_P = RSA.as("badp");
    static final TestSigner.Key ED_AS_RSA = ED.as("edasrsa");

    static final String MESSAGE = RfcVectors.crlf("""
            From: Alice <alice@signer.example>
            To: bob@contoso.com
            Subject: Quarterly figures
            Date: Tue, 02 Sep 2025 10:00:00 +0000
            Message-ID: <q3@signer.example>

            Hello Bob,

            the figures are attached.\t
            """);

    static DnsServer dns;
    static DkimVerifier verifier;

    @BeforeAll
    static void startDns() {
        StringBuilder zone = new StringBuilder();
        for (TestSigner.Key k : List.of(RSA, ED, WEAK, STRICT, SHA1_ONLY, NOT_EMAIL, SLOW)) zone.append(k.zoneLine());
        zone.append(TestSigner.zoneLine("wrong._domainkey.signer.example", TestSigner.rsa("x", "x", 2048).record()));
        zone.append(TestSigner.zoneLine("gone._domainkey.signer.example", "v=DKIM1; k=rsa; p="));
        zone.append(TestSigner.zoneLine("huge._domainkey.signer.example", "v=DKIM1; k=rsa; p=" + TestSigner.rsaPublicKeyOfBits(16384)));
        zone.append(TestSigner.zoneLine("badp._domainkey.signer.example", "v=DKIM1; k=rsa; p=MIIB!!notbase64"));
        zone.append(TestSigner.zoneLine("edasrsa._domainkey.signer.example", "v=DKIM1; k=ed25519; p=" + ED.publicKeyBase64()));
        StringBuilder many = new StringBuilder("many._domainkey.signer.example. 300 IN TXT ( \"v=DKIM1; k=rsa; p=\"");
        for (int i = 0; i < 1000; i++) many.append(" \"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\"");
        zone.append(many).append(" )\n");
        zone.append("brisbane._domainkey.football.example.com. 300 IN TXT \"").append(RfcVectors.RFC8463_ED25519_RECORD).append("\"\n");
        zone.append("test._domainkey.football.example.com. 300 IN TXT (");
        for (String s : RfcVectors.RFC8463_RSA_STRINGS) zone.append(" \"").append(s).append('"');
        zone.append(" )\n");
        zone.append(TestSigner.zoneLine("brisbane._domainkey.example.com", RfcVectors.RFC6376_RECORD));
        dns = DnsServer.start(Map.of(".", zone.toString()), Set.of("slow._domainkey.signer.example"));
        verifier = new DkimVerifier(dns.resolver(), Clock.fixed(Instant.ofEpochSecond(1_760_000_000L), ZoneOffset.UTC));
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) dns.close();
    }

    static List<DkimResult> verify(String message) {
        return verifier.verify(Message.parse(message.getBytes(StandardCharsets.UTF_8)));
    }

    static DkimResult only(String message) {
        List<DkimResult> results = verify(message);
        assertThat(results).hasSize(1);
        return results.getFirst();
    }

    static String template(TestSigner.Key key, String c, String h, String extra) {
        return "DKIM-Signature: v=1; a=" + key.algorithm().tag() + "; c=" + c + "; d=" + key.domain() + "; s=" + key.selector()
                + ";\r\n h=" + h + "; t=1750000000;" + extra + "\r\n bh={bh};\r\n b={b}";
    }

    static String signed(TestSigner.Key key, String c, String h, String extra) {
        return TestSigner.sign(MESSAGE, key, template(key, c, h, extra));
    }

    static void assertResult(DkimResult r, DkimResult.Result result, String reason) {
        assertThat(r.result()).as("result (reason %s)", r.reason()).isEqualTo(result);
        assertThat(r.reason()).isEqualTo(reason);
    }

    // --- RFC vectors ----------------------------------------------------------------------------------------

    @Test
    void rfc8463ExampleVerifiesUnderBothItsEd25519AndItsRsaSignature() {
        List<DkimResult> results = verify(RfcVectors.RFC8463_MESSAGE);
        assertThat(results).extracting(DkimResult::result).containsExactly(PASS, PASS);
        assertThat(results).extracting(DkimResult::algorithm).containsExactly("ed25519-sha256", "rsa-sha256");
        assertThat(results).extracting(DkimResult::selector).containsExactly("brisbane", "test");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.domain()).isEqualTo("football.example.com");
            assertThat(r.reason()).isEqualTo("signature was verified");
            assertThat(r.headerFromSigned()).isTrue();
            assertThat(r.bodyLengthTag()).isEqualTo(-1);
        });
    }

    @Test
    void rfc8463ExampleSurvivesWhiteSpaceChangesButNotContentChanges() {
        String spaced = RfcVectors.RFC8463_MESSAGE.replace("Subject: Is dinner ready?", "Subject:   Is dinner\t ready?  ")
                .replace("Are you hungry yet?", "Are  you hungry yet?   ");
        assertThat(verify(spaced)).extracting(DkimResult::result).containsExactly(PASS, PASS);

        List<DkimResult> body = verify(RfcVectors.RFC8463_MESSAGE.replace("We lost the game.", "We won the game."));
        assertThat(body).extracting(DkimResult::reason).containsExactly("body hash did not verify", "body hash did not verify");
        assertThat(body).extracting(DkimResult::result).containsExactly(FAIL, FAIL);

        List<DkimResult> header = verify(RfcVectors.RFC8463_MESSAGE.replace("Subject: Is dinner ready?", "Subject: Is lunch ready?"));
        assertThat(header).extracting(DkimResult::reason).containsExactly("signature did not verify", "signature did not verify");
    }

    /**
     * RFC 6376 Appendix A.3 as printed verifies with the Appendix C key: the signature is simple/simple, so it holds
     * only for the exact layout the RFC prints (continuation lines six columns in). Copies that re-indent the
     * example (four spaces, a tab) do not verify, which is a property of simple canonicalization, not of the RFC.
     */
    @Test
    void rfc6376AppendixAExampleVerifiesExactlyAsPrintedAndOnlyThen() {
        DkimResult asPrinted = only(RfcVectors.rfc6376Message("      "));
        assertResult(asPrinted, PASS, "signature was verified");
        assertThat(asPrinted.domain()).isEqualTo("example.com");
        assertThat(asPrinted.selector()).isEqualTo("brisbane");

        assertResult(only(RfcVectors.rfc6376Message("    ")), FAIL, "signature did not verify");
        assertResult(only(RfcVectors.rfc6376Message("\t")), FAIL, "signature did not verify");
    }

    // --- signing rules ------------------------------------------------------------------------------------

    @Test
    void everyCanonicalizationPairAndBothAlgorithmsVerify() {
        for (TestSigner.Key key : List.of(RSA, ED)) {
            for (String c : List.of("simple/simple", "simple/relaxed", "relaxed/simple", "relaxed/relaxed", "relaxed", "simple")) {
                DkimResult r = only(signed(key, c, "from:to:subject:date:message-id", ""));
                assertThat(r.result()).as("%s %s: %s", key.algorithm(), c, r.reason()).isEqualTo(PASS);
            }
        }
    }

    @Test
    void onlyTheBValueIsRemovedTheRestOfASimpleSignatureIsSignedByteForByte() {
        // b= in the middle, white space around its '=', and "b=" inside another tag's value
        String template = "DKIM-Signature: v=1; a=rsa-sha256;  c=simple/simple; d=signer.example; s=rsa;\r\n"
                + "\th = from : subject ; b =\r\n {b} ; z=Subject:b=3Dx ; bh={bh}";
        String signed = TestSigner.sign(MESSAGE, RSA, template);
        assertResult(only(signed), PASS, "signature was verified");
        assertResult(only(signed.replace("c=simple/simple; d=", "c=simple/simple;  d=")), FAIL, "signature did not verify");
        assertResult(only(signed.replace("z=Subject:b=3Dx", "z=Subject:b=3Dy")), FAIL, "signature did not verify");
    }

    @Test
    void overSignedFieldsCannotBeAddedLater() {
        String signed = signed(RSA, "relaxed/relaxed", "from:from:subject:subject:to", "");
        assertResult(only(signed), PASS, "signature was verified");
        String forgedFrom = signed.replace("From: Alice", "From: Mallory <m@evil.example>\r\nFrom: Alice");
        assertResult(only(forgedFrom), FAIL, "signature did not verify");
        String forgedSubject = "Subject: Urgent: wire money\r\n" + signed;
        assertResult(only(forgedSubject), FAIL, "signature did not verify");
    }

    @Test
    void withoutOverSigningAnAddedFieldAboveTheSignedOneDoesNotBreakTheSignature() {
        // the signer listed Subject once: DKIM picks the bottom-most Subject, so one added on top is unsigned
        String signed = signed(RSA, "relaxed/relaxed", "from:subject", "");
        DkimResult r = only(signed.replace("From: Alice", "Subject: added later\r\nFrom: Alice"));
        assertResult(r, PASS, "signature was verified");
    }

    @Test
    void aSignatureThatDoesNotCoverFromIsAPermanentError() {
        DkimResult r = only(signed(RSA, "relaxed/relaxed", "subject:date", ""));
        assertResult(r, PERMERROR, "From field not signed");
        assertThat(r.headerFromSigned()).isFalse();
        assertThat(r.domain()).isEqualTo("signer.example");
    }

    @Test
    void rsaSha1IsNotAccepted() {
        String signed = signed(RSA, "relaxed/relaxed", "from", "").replace("a=rsa-sha256", "a=rsa-sha1");
        assertResult(only(signed), PERMERROR, "rsa-sha1 is not accepted");
    }

    @Test
    void tagRulesEachGiveTheirPermanentError() {
        assertResult(only(signed(RSA, "relaxed/relaxed", "from", "").replace("v=1;", "v=2;")), PERMERROR, "unsupported signature version");
        assertResult(only(signed(RSA, "relaxed/relaxed", "from", "").replace(" s=rsa;", "")), PERMERROR, "signature is missing the required s tag");
        assertResult(only(signed(RSA, "relaxed/relaxed", "from", " i=alice@elsewhere.example;")), PERMERROR, "identity is not within the signing domain");
        assertResult(only(signed(RSA, "relaxed/relaxed", "from", " i=alice@mail.signer.example;")), PASS, "signature was verified");
        assertResult(only(signed(RSA, "relaxed/relaxed", "from", "").replace("c=relaxed/relaxed", "c=c14n/relaxed")),
                PERMERROR, "unknown canonicalization");
        assertResult(only(signed(RSA, "relaxed/relaxed", "from", " q=http/well-known;")), PERMERROR, "no supported key query method");
        assertResult(only(signed(RSA, "relaxed/relaxed", "from", "").replace(" s=rsa;", " s=rsa; d=other.example;")),
                PERMERROR, "signature syntax error");
    }

    @Test
    void expiryIsJudgedAgainstTheClockAndMustNotPrecedeTheTimestamp() {
        assertResult(only(signed(RSA, "relaxed/relaxed", "from", " x=1750000100;")), PERMERROR, "signature expired");
        assertResult(only(signed(RSA, "relaxed/relaxed", "from", " x=1900000000;")), PASS, "signature was verified");
        String before = signed(RSA, "relaxed/relaxed", "from", " x=1900000000;").replace("t=1750000000", "t=1950000000");
        assertResult(only(before), PERMERROR, "expiry is before the timestamp");
    }

    @Test
    void aStrictKeyRefusesAnIdentityInASubdomain() {
        assertResult(only(signed(STRICT, "relaxed/relaxed", "from", " i=@mail.signer.example;")), PERMERROR, "key requires the identity domain to be the signing domain");
        assertResult(only(signed(STRICT, "relaxed/relaxed", "from", " i=alice@signer.example;")), PASS, "signature was verified");
    }

    // --- l= ------------------------------------------------------------------------------------------------

    @Test
    void aBodyLengthCoveringTheWholeBodyPassesAndIsReported() {
        long length = bodyLength(MESSAGE, Canonicalization.RELAXED);
        DkimResult r = only(signed(RSA, "relaxed/relaxed", "from:subject", " l=" + length + ";"));
        assertResult(r, PASS, "signature was verified");
        assertThat(r.bodyLengthTag()).isEqualTo(length);
    }

    @Test
    void contentAppendedAfterTheSignedLengthIsAPolicyResult() {
        long length = bodyLength(MESSAGE, Canonicalization.RELAXED);
        String signed = signed(RSA, "relaxed/relaxed", "from:subject", " l=" + length + ";");
        String appended = signed + "Click http://evil.example/ to claim your prize\r\n";
        DkimResult r = only(appended);
        assertResult(r, POLICY, "body length limit leaves 48 bytes unsigned"); // the appended line and its CRLF
        assertThat(r.bodyLengthTag()).isEqualTo(length);
        assertThat(r.passed()).isFalse();
    }

    @Test
    void absurdBodyLengthsAreRefused() {
        String signed = signed(RSA, "relaxed/relaxed", "from", " l=5;");
        assertResult(only(signed.replace("l=5;", "l=1000000000000000000000000000000;")), PERMERROR, "body length tag out of range");
        assertResult(only(signed.replace("l=5;", "l=-5;")), PERMERROR, "body length tag is not a number");
        String longer = signed(RSA, "relaxed/relaxed", "from", " l=99999;");
        assertResult(only(longer), FAIL, "body length tag is longer than the body");
    }

    static long bodyLength(String message, Canonicalization c) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        int from = message.indexOf("\r\n\r\n") + 4;
        BodySink sink = new BodySink(Long.MAX_VALUE);
        c.body(m, from, m.length, sink);
        return sink.length();
    }

    // --- keys ------------------------------------------------------------------------------------------------

    @Test
    void keyRecordProblemsAreReportedInWords() {
        assertResult(only(signed(GONE, "relaxed/relaxed", "from", "")), PERMERROR, "key revoked");
        assertResult(only(signed(RSA.as("absent"), "relaxed/relaxed", "from", "")), PERMERROR, "no key for signature");
        assertResult(only(signed(WEAK, "relaxed/relaxed", "from", "")), PERMERROR, "RSA key under 1024 bits is refused");
        assertResult(only(signed(HUGE, "relaxed/relaxed", "from", "")), PERMERROR, "RSA key over 8192 bits is refused");
        assertResult(only(signed(BAD_P, "relaxed/relaxed", "from", "")), PERMERROR, "bad base64 in key");
        assertResult(only(signed(SHA1_ONLY, "relaxed/relaxed", "from", "")), PERMERROR, "key does not allow sha256");
        assertResult(only(signed(NOT_EMAIL, "relaxed/relaxed", "from", "")), PERMERROR, "key is not for email");
        assertResult(only(signed(ED_AS_RSA.as("edasrsa"), "relaxed/relaxed", "from", "").replace("a=ed25519-sha256", "a=rsa-sha256")),
                PERMERROR, "key type does not match signature algorithm");
        assertResult(only(signed(WRONG, "relaxed/relaxed", "from", "")), FAIL, "signature did not verify");
    }

    @Test
    void aKeyRecordOfAThousandStringsIsReadAndRefusedWithoutStalling() {
        DkimResult r = only(signed(MANY, "relaxed/relaxed", "from", ""));
        assertResult(r, PERMERROR, "RSA key over 8192 bits is refused");
    }

    @Test
    void aDnsTimeoutIsATemporaryError() {
        DkimResult r = only(signed(SLOW, "relaxed/relaxed", "from", ""));
        assertResult(r, TEMPERROR, "key lookup failed");
        assertThat(r.domain()).isEqualTo("signer.example");
        assertThat(r.selector()).isEqualTo("slow");
    }

    // --- hostile input -----------------------------------------------------------------------------------

    @Test
    void badBase64IsAPermanentError() {
        String signed = signed(RSA, "relaxed/relaxed", "from", "");
        String badB = signed.substring(0, signed.indexOf("\r\n b=") + 5) + "@@@@" + signed.substring(signed.indexOf("\r\n", signed.indexOf("\r\n b=") + 5));
        assertResult(only(badB), PERMERROR, "bad base64 in signature");
        String badBh = signed.replaceFirst("bh=[A-Za-z0-9+/=]+;", "bh=%%%;");
        assertResult(only(badBh), PERMERROR, "bad base64 in body hash");
    }

    @Test
    void severalSignaturesAreEachVerifiedTopFirst() {
        String inner = signed(ED, "relaxed/relaxed", "from:subject", "");
        String both = TestSigner.sign(inner, WRONG, template(WRONG, "simple/simple", "from", ""));
        List<DkimResult> results = verify(both);
        assertThat(results).extracting(DkimResult::result).containsExactly(FAIL, PASS);
        assertThat(results).extracting(DkimResult::selector).containsExactly("wrong", "ed");
        assertThat(DkimAuthResults.clauses(results)).isEqualTo(
                "dkim=fail (signature did not verify) header.d=signer.example; dkim=pass (signature was verified) header.d=signer.example");
    }

    @Test
    void aThousandSignaturesAreReadButOnlyTheFirstTenVerified() {
        String one = signed(RSA, "relaxed/relaxed", "from", "");
        String field = one.substring(0, one.indexOf("From: Alice"));
        String message = field.repeat(1000) + MESSAGE;
        List<DkimResult> results = verify(message);
        assertThat(results).hasSize(1000);
        assertThat(results.subList(0, 10)).allSatisfy(r -> assertResult(r, PASS, "signature was verified"));
        assertThat(results.subList(10, 1000)).allSatisfy(r -> assertResult(r, NEUTRAL, "too many signatures"));
        assertThat(DkimAuthResults.clauses(results).split("; ")).hasSize(10);
    }

    @Test
    void aMessageWithAHundredThousandHeaderFieldsIsVerified() {
        String filler = "X-Filler: some value that pads the header section\r\n".repeat(100_000);
        String message = TestSigner.sign(filler + MESSAGE, RSA, template(RSA, "relaxed/relaxed", "from:x-filler:x-filler:subject", ""));
        assertResult(only(message), PASS, "signature was verified");
    }

    @Test
    void anUnsignedMessageHasNoResultsAndSaysSo() {
        assertThat(verify(MESSAGE)).isEmpty();
        assertThat(DkimAuthResults.clauses(List.of())).isEqualTo("dkim=none (message not signed) header.d=none");
    }
}
