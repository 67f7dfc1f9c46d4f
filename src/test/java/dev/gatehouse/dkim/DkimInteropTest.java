// DkimInteropTest: messages signed by another implementation (dkimpy) verify here; tampered ones fail as they should.
package dev.gatehouse.dkim;

import static dev.gatehouse.dkim.DkimResult.Result.FAIL;
import static dev.gatehouse.dkim.DkimResult.Result.PASS;
import static dev.gatehouse.dkim.DkimResult.Result.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.dns.testing.DnsServer;
import dev.gatehouse.mail.Message;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys are made here (JDK RSA 2048 and Ed25519), written for dkimpy, published in a Knot zone; dkimpy signs, this
 * code verifies. The message is built to stress canonicalization: folded and tab-indented fields, runs of white
 * space, trailing white space on body lines, empty lines at the end, a line without a final CRLF is not possible
 * over SMTP and is left out.
 */
class DkimInteropTest {
    @TempDir
    static Path dir;

    static final TestSigner.Key RSA = TestSigner.rsa("py2048", "interop.example", 2048);
    static final TestSigner.Key ED = TestSigner.ed25519("pyed", "interop.example");

    static final String MESSAGE = RfcVectors.crlf("""
            Received: from mail.interop.example (mail.interop.example [192.0.2.25])
            \tby mx.contoso.com with ESMTPS; Tue, 2 Sep 2025 10:00:01 +0000
            From: "Interop Tester" <tester@interop.example>
            To: Bob   <bob@contoso.com>,
             Carol <carol@contoso.com>
            Subject: A subject that is long enough to be folded by a careful client
             onto a second line\t\s\s
            Date: Tue, 02 Sep 2025 10:00:00 +0000
            Message-ID: <interop-1@interop.example>
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="b1"

            --b1
            Content-Type: text/plain; charset=utf-8

            Spaces   inside\tand at the end\s\s\s
            \tA line that starts with a tab.

            --b1
            Content-Type: text/html; charset=utf-8

            <p>Hello</p>\t

            --b1--



            """);

    static DnsServer dns;
    static Dkimpy dkimpy;
    static DkimVerifier verifier;

    @BeforeAll
    static void start() {
        dkimpy = Dkimpy.in(dir);
        dns = DnsServer.start(Map.of(".", RSA.zoneLine() + ED.zoneLine()));
        verifier = new DkimVerifier(dns.resolver());
    }

    @AfterAll
    static void stop() {
        if (dns != null) dns.close();
    }

    static DkimResult only(String message) {
        List<DkimResult> results = verifier.verify(Message.parse(message.getBytes(StandardCharsets.UTF_8)));
        assertThat(results).hasSize(1);
        return results.getFirst();
    }

    @Test
    void dkimpySignaturesVerifyInEveryCanonicalizationWithBothAlgorithms() {
        for (TestSigner.Key key : List.of(RSA, ED)) {
            for (String[] c : new String[][] {{"relaxed", "relaxed"}, {"simple", "simple"}, {"relaxed", "simple"}, {"simple", "relaxed"}}) {
                String signed = dkimpy.dkimsign(MESSAGE, key, c[0], c[1]);
                DkimResult r = only(signed);
                assertThat(r.result()).as("%s %s/%s: %s", key.algorithm().tag(), c[0], c[1], r.reason()).isEqualTo(PASS);
                assertThat(r.domain()).isEqualTo("interop.example");
                assertThat(r.algorithm()).isEqualTo(key.algorithm().tag());
                assertThat(r.headerFromSigned()).isTrue();
            }
        }
    }

    /**
     * Random bodies of letters, SP, HTAB, CRLF and bare CR, canonicalized by dkimpy's own functions and by ours:
     * the SHA-256 of both canonical forms must be equal, for simple and for relaxed.
     */
    @Test
    void bodyCanonicalizationMatchesDkimpyOnRandomBodies() throws Exception {
        String[] pieces = {"a", "b", " ", "\t", "\r\n", "\r\n", "\r", "  ", "\t \t"};
        java.util.Random random = new java.util.Random(6376);
        List<String> bodies = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) b.append(pieces[random.nextInt(pieces.length)]);
            bodies.add(b.toString());
        }
        List<String> theirs = dkimpy.canonicalBodyHashes(bodies);
        for (int i = 0; i < bodies.size(); i++) {
            byte[] body = bodies.get(i).getBytes(StandardCharsets.ISO_8859_1);
            String ours = hex(hash(Canonicalization.RELAXED, body)) + " " + hex(hash(Canonicalization.SIMPLE, body));
            assertThat(ours).as("body %s", bodies.get(i).replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t"))
                    .isEqualTo(theirs.get(i));
        }
    }

    static byte[] hash(Canonicalization c, byte[] body) {
        BodySink sink = new BodySink(Long.MAX_VALUE);
        c.body(body, 0, body.length, sink);
        return sink.digest();
    }

    static String hex(byte[] b) { return java.util.HexFormat.of().formatHex(b); }

    @Test
    void oneChangedBodyByteFailsTheBodyHash() {
        for (TestSigner.Key key : List.of(RSA, ED)) {
            String signed = dkimpy.dkimsign(MESSAGE, key, "relaxed", "relaxed");
            DkimResult r = only(signed.replace("<p>Hello</p>", "<p>Hellp</p>"));
            assertThat(r.result()).isEqualTo(FAIL);
            assertThat(r.reason()).isEqualTo("body hash did not verify");
        }
    }

    @Test
    void oneChangedSignedHeaderFailsTheSignature() {
        for (TestSigner.Key key : List.of(RSA, ED)) {
            String signed = dkimpy.dkimsign(MESSAGE, key, "simple", "simple");
            DkimResult r = only(signed.replace("Carol <carol@contoso.com>", "Carol <carol@evil.example>"));
            assertThat(r.result()).isEqualTo(FAIL);
            assertThat(r.reason()).isEqualTo("signature did not verify");
        }
    }

    @Test
    void simpleCanonicalizationNoticesWhiteSpaceThatRelaxedForgives() {
        String relaxed = dkimpy.dkimsign(MESSAGE, RSA, "relaxed", "relaxed");
        assertThat(only(relaxed.replace("Spaces   inside", "Spaces inside")).result()).isEqualTo(PASS);
        String simple = dkimpy.dkimsign(MESSAGE, RSA, "simple", "simple");
        assertThat(only(simple.replace("Spaces   inside", "Spaces inside")).reason()).isEqualTo("body hash did not verify");
    }

    @Test
    void aLengthTagForTheWholeBodyPassesAndUnsignedAppendedContentIsPolicy() {
        for (TestSigner.Key key : List.of(RSA, ED)) {
            String signed = dkimpy.signWithLength(MESSAGE, key, "relaxed", "simple");
            assertThat(signed).contains("l=");
            DkimResult whole = only(signed);
            assertThat(whole.result()).as(whole.reason()).isEqualTo(PASS);
            assertThat(whole.bodyLengthTag()).isPositive();
            DkimResult appended = only(signed + "Unsigned text a mailing list or an attacker added.\r\n");
            assertThat(appended.result()).isEqualTo(POLICY);
            // the three empty lines the signature left out now precede content, so they count: 6 + 50 + 2
            assertThat(appended.reason()).isEqualTo("body length limit leaves 58 bytes unsigned");
            assertThat(appended.bodyLengthTag()).isEqualTo(whole.bodyLengthTag());
        }
    }
}
