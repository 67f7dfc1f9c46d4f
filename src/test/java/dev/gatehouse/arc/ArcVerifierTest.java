// ArcVerifierTest: ARC chains sealed by dkimpy and by hand, validated against keys in a real DNS server (Knot).
package dev.gatehouse.arc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.dkim.Dkimpy;
import dev.gatehouse.dkim.TestSigner;
import dev.gatehouse.dns.testing.DnsServer;
import dev.gatehouse.mail.Message;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArcVerifierTest {
    @TempDir
    static Path dir;

    static final TestSigner.Key HOP1 = TestSigner.rsa("arc", "hop1.example", 2048);
    static final TestSigner.Key HOP2 = TestSigner.rsa("arc", "hop2.example", 2048);
    static final TestSigner.Key HOP3 = TestSigner.rsa("arc", "hop3.example", 2048);
    static final TestSigner.Key ED1 = TestSigner.ed25519("ed", "hop1.example");
    static final TestSigner.Key UNPUBLISHED = TestSigner.ed25519("none", "hop1.example");
    static final TestSigner.Key SLOW = TestSigner.ed25519("slow", "hop2.example");

    static final String ORIGINAL = crlf("""
            Authentication-Results: hop1.example; spf=pass smtp.mailfrom=alice@origin.example;
             dkim=pass header.d=origin.example
            From: Alice <alice@origin.example>
            To: team@hop1.example
            Subject: Meeting notes
            Date: Tue, 02 Sep 2025 10:00:00 +0000
            Message-ID: <notes-7@origin.example>

            Notes from today's meeting.
            """);

    static DnsServer dns;
    static ArcVerifier verifier;

    @BeforeAll
    static void start() {
        String zone = HOP1.zoneLine() + HOP2.zoneLine() + HOP3.zoneLine() + ED1.zoneLine() + SLOW.zoneLine();
        dns = DnsServer.start(Map.of(".", zone), Set.of("slow._domainkey.hop2.example"));
        verifier = new ArcVerifier(dns.resolver());
    }

    @AfterAll
    static void stop() {
        if (dns != null) dns.close();
    }

    static String crlf(String s) { return s.replace("\n", "\r\n"); }

    static ArcResult verify(String message) {
        return verifier.verify(Message.parse(message.getBytes(StandardCharsets.UTF_8)));
    }

    /** Chains sealed so far, by hop count: dkimpy signs in pure Python, so each chain is made once per class. */
    static final Map<Integer, String> CHAINS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The message after {@code hops} forwarders sealed it with dkimpy's arcsign, each noting the previous hop's arc=pass. */
    static String sealedByDkimpy(int hops) {
        Dkimpy dkimpy = Dkimpy.in(dir);
        String cached = CHAINS.get(hops);
        if (cached != null) return cached;
        String m = hops == 1 ? dkimpy.arcsign(ORIGINAL, HOP1, "hop1.example") : sealedByDkimpy(hops - 1);
        if (hops > 1) {
            String ar = "Authentication-Results: hop" + hops + ".example; arc=pass; spf=fail smtp.mailfrom=team@hop" + (hops - 1) + ".example\r\n";
            m = dkimpy.arcsign(ar + m, hops == 2 ? HOP2 : HOP3, "hop" + hops + ".example");
        }
        CHAINS.put(hops, m);
        return m;
    }

    static void assertFail(ArcResult r, String reason) {
        assertThat(r.result()).as("result (%s)", r.reason()).isEqualTo(ArcResult.Result.FAIL);
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(r.sealers()).isEmpty();
        assertThat(r.firstHopResults()).isNull();
    }

    /** The fields of {@code message} with {@code edit} applied, then its body. */
    static String editFields(String message, java.util.function.UnaryOperator<List<String>> edit) {
        List<String> fields = new ArrayList<>(TestSigner.fields(message));
        return String.join("", edit.apply(fields)) + message.substring(message.indexOf("\r\n\r\n") + 2);
    }

    static boolean isArc(String field, String name, int instance) {
        return field.regionMatches(true, 0, name + ":", 0, name.length() + 1)
                && field.replaceAll("\\s", "").matches("(?s)[^:]*:(.*;)?i=" + instance + ";.*");
    }

    // --- chains dkimpy sealed -----------------------------------------------------------------------------

    @Test
    void chainsOfOneTwoAndThreeHopsSealedByDkimpyPass() {
        for (int hops = 1; hops <= 3; hops++) {
            ArcResult r = verify(sealedByDkimpy(hops));
            assertThat(r.result()).as("%d hops: %s", hops, r.reason()).isEqualTo(ArcResult.Result.PASS);
            assertThat(r.instances()).isEqualTo(hops);
            assertThat(r.sealers()).isEqualTo(List.of("hop1.example", "hop2.example", "hop3.example").subList(0, hops));
            assertThat(r.firstHopResults()).startsWith("hop1.example;").contains("spf=pass smtp.mailfrom=alice@origin.example")
                    .doesNotContain("i=1");
            assertThat(r.reason()).isNull();
        }
    }

    @Test
    void aChangedBodyByteFailsTheNewestMessageSignature() {
        assertFail(verify(sealedByDkimpy(3).replace("today's meeting", "today's meetinG")),
                "ARC-Message-Signature 3: body hash did not verify");
    }

    @Test
    void aChangedSignedHeaderFailsTheNewestMessageSignature() {
        assertFail(verify(sealedByDkimpy(3).replace("Subject: Meeting notes", "Subject: Meeting notes (updated)")),
                "ARC-Message-Signature 3: signature did not verify");
    }

    @Test
    void aDroppedMessageSignatureBreaksTheChain() {
        String dropped = editFields(sealedByDkimpy(3), fs -> {
            fs.removeIf(f -> isArc(f, "ARC-Message-Signature", 1));
            return fs;
        });
        ArcResult r = verify(dropped);
        assertFail(r, "ARC set 1 has no ARC-Message-Signature");
        assertThat(r.instances()).isEqualTo(3);
    }

    @Test
    void whatTheFirstHopSawCannotBeRewritten() {
        ArcResult r = verify(sealedByDkimpy(2).replace("spf=pass smtp.mailfrom=alice", "spf=pass smtp.mailfrom=mallory"));
        assertThat(r.result()).isEqualTo(ArcResult.Result.FAIL);
        assertThat(r.reason()).endsWith("signature did not verify");
    }

    @Test
    void swappingTheInstancesOfTwoSetsBreaksTheChain() {
        String swapped = editFields(sealedByDkimpy(2), fs -> {
            List<String> out = new ArrayList<>();
            for (String f : fs) {
                if (f.startsWith("ARC-")) f = f.replaceFirst("i=1;", "i=9;").replaceFirst("i=2;", "i=1;").replaceFirst("i=9;", "i=2;");
                out.add(f);
            }
            return out;
        });
        assertFail(verify(swapped), "ARC-Seal 1 has chain status pass, not none");
    }

    @Test
    void theOrderOfTheSetsInTheHeaderDoesNotMatterOnlyTheirInstances() {
        // RFC 8617 §5.1.1 orders the signed sets by i=, not by position: moving set 1 to the top changes nothing
        String moved = editFields(sealedByDkimpy(2), fs -> {
            List<String> first = new ArrayList<>(fs.stream().filter(f -> isArc(f, "ARC-Seal", 1)
                    || isArc(f, "ARC-Message-Signature", 1) || isArc(f, "ARC-Authentication-Results", 1)).toList());
            fs.removeAll(first);
            first.addAll(fs);
            return first;
        });
        assertThat(verify(moved).result()).isEqualTo(ArcResult.Result.PASS);
    }

    @Test
    void aDuplicateSealFailsTheChain() {
        String twice = editFields(sealedByDkimpy(2), fs -> {
            fs.addFirst(fs.stream().filter(f -> isArc(f, "ARC-Seal", 2)).findFirst().orElseThrow());
            return fs;
        });
        assertFail(verify(twice), "duplicate ARC-Seal for instance 2");
    }

    // --- chains sealed by hand (Ed25519, cv rules, limits) ---------------------------------------------------

    static final String H = "from:to:subject:date:message-id";

    @Test
    void anEd25519SealFollowedByAnRsaSealPasses() {
        String m = TestSigner.arcSet(ORIGINAL, 1, "none", ED1, H, "hop1.example; spf=pass smtp.mailfrom=alice@origin.example");
        m = TestSigner.arcSet(m, 2, "pass", HOP2, H, "hop2.example; arc=pass");
        ArcResult r = verify(m);
        assertThat(r.result()).as(r.reason()).isEqualTo(ArcResult.Result.PASS);
        assertThat(r.sealers()).containsExactly("hop1.example", "hop2.example");
        assertThat(r.firstHopResults()).isEqualTo("hop1.example; spf=pass smtp.mailfrom=alice@origin.example");
    }

    @Test
    void theNewestSealSayingFailEndsTheChain() {
        String m = TestSigner.arcSet(ORIGINAL, 1, "none", ED1, H, "hop1.example; spf=pass");
        m = TestSigner.arcSet(m, 2, "fail", HOP2, H, "hop2.example; arc=fail");
        assertFail(verify(m), "the newest ARC-Seal says the chain failed");
    }

    @Test
    void theFirstSealMustSayNoneAndLaterOnesPass() {
        assertFail(verify(TestSigner.arcSet(ORIGINAL, 1, "pass", ED1, H, "hop1.example; spf=pass")), "ARC-Seal 1 has chain status pass, not none");
        String m = TestSigner.arcSet(ORIGINAL, 1, "none", ED1, H, "hop1.example; spf=pass");
        assertFail(verify(TestSigner.arcSet(m, 2, "none", HOP2, H, "hop2.example; arc=none")), "ARC-Seal 2 has chain status none, not pass");
    }

    @Test
    void aGapInTheInstancesFailsTheChain() {
        String m = TestSigner.arcSet(ORIGINAL, 1, "none", ED1, H, "hop1.example; spf=pass");
        String gap = m.replace("i=1;", "i=2;");
        assertFail(verify(gap), "ARC set 1 has no ARC-Authentication-Results");
    }

    @Test
    void anInstanceOverFiftyFailsTheChain() {
        String m = TestSigner.arcSet(ORIGINAL, 1, "none", ED1, H, "hop1.example; spf=pass");
        assertFail(verify(m.replace("ARC-Seal: i=1;", "ARC-Seal: i=51;")), "ARC-Seal instance 51 is outside 1 to 50");
    }

    @Test
    void aSealWithAnHTagIsInvalid() {
        String m = TestSigner.arcSet(ORIGINAL, 1, "none", ED1, H, "hop1.example; spf=pass");
        assertFail(verify(m.replace("ARC-Seal: i=1;", "ARC-Seal: i=1; h=from;")), "ARC-Seal 1: ARC-Seal with an h tag");
    }

    @Test
    void aSealerWhoseKeyIsNotPublishedFailsTheChain() {
        String m = TestSigner.arcSet(ORIGINAL, 1, "none", UNPUBLISHED, H, "hop1.example; spf=pass");
        assertFail(verify(m), "ARC-Message-Signature 1: no key for signature");
    }

    @Test
    void aKeyLookupThatTimesOutFailsTheChainWithTheReason() {
        String m = TestSigner.arcSet(ORIGINAL, 1, "none", ED1, H, "hop1.example; spf=pass");
        m = TestSigner.arcSet(m, 2, "pass", SLOW, H, "hop2.example; arc=pass");
        assertFail(verify(m), "ARC-Message-Signature 2: key lookup failed");
    }

    @Test
    void aMessageWithoutArcFieldsHasNoChain() {
        assertThat(verify(ORIGINAL)).isEqualTo(ArcResult.NONE);
    }

    @Test
    void aChainPaddedPastSixtyFourKilobytesFailsBeforeAnyKeyIsFetched() {
        // each seal hashes every ARC field below it again: a sender sealing its own padded chain must not cost
        // 50 x megabytes of hashing per message
        String padding = ("\r\n " + "x".repeat(900)).repeat(80);
        String big = "ARC-Authentication-Results: i=1; x.example; none" + padding + "\r\n";
        assertFail(verify(big + ORIGINAL), "ARC header fields larger than 64 KB");
    }

    @Test
    void aFloodOfArcFieldsEndsAtTheFirstRepeat() {
        String junk = "ARC-Authentication-Results: i=1; x.example; none\r\n".repeat(10_000);
        assertFail(verify(junk + ORIGINAL), "duplicate ARC-Authentication-Results for instance 1");
    }
}
