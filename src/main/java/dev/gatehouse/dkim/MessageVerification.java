// Verifying the signatures of one message: its keys fetched once, its body hashed once per canonicalization.
package dev.gatehouse.dkim;

import dev.gatehouse.dns.Dns;
import dev.gatehouse.dns.Lookup;
import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.Message;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of verifying one message's DKIM signatures and ARC signatures, made from {@link DkimVerifier#open}.
 * Several signatures on one message share a selector's key record (one DNS question each) and the body hash of
 * each canonicalization and length (one pass over the body each), so a message's cost grows with its size and
 * the number of distinct keys, never with the product of both.
 *
 * <p>The bytes verified are the message as received ({@link Message#bytes()} of {@code Accepting.received()}):
 * the header fields exactly as the client sent them, except where the one header parser had to repair a
 * malformed header section ({@link Message#repairs()}); those repairs are invisible to relaxed canonicalization
 * and break only a {@code simple} signature over a field that was malformed to begin with.
 *
 * <p>Not thread-safe: one message, one thread.
 */
public final class MessageVerification {
    private static final Logger log = LoggerFactory.getLogger(MessageVerification.class);

    /** Key records tried per selector when a name holds several TXT records. */
    private static final int MAX_KEY_RECORDS = 4;

    private record BodyHash(long length, byte[] digest) {}

    private final Dns dns;
    private final long now;
    private final Message message;
    /** The message's bytes and where its body starts: made at the first body hash (an unsigned message needs neither). */
    private byte[] bytes;
    private int bodyStart;
    private Map<String, List<Integer>> index;
    private final Map<String, BodyHash> bodies = new HashMap<>();
    private final Map<String, Lookup<String>> keys = new HashMap<>();

    MessageVerification(Dns dns, long nowSeconds, Message message) {
        this.dns = dns;
        this.now = nowSeconds;
        this.message = message;
    }

    /** Just past the blank line that ends the header section (the end of the message when there is none). */
    private static int bodyStart(Message m, byte[] all) {
        int at = 0;
        for (HeaderField f : m.fields()) at += f.raw().length;
        while (at < all.length && all[at] != '\n') at++;
        return Math.min(all.length, at + 1);
    }

    /** One result per DKIM-Signature field, topmost first; those past {@link DkimVerifier#MAX_SIGNATURES} are neutral. */
    List<DkimResult> dkimSignatures() {
        List<DkimResult> out = new ArrayList<>();
        for (HeaderField f : message.fields()) {
            if (!f.is("DKIM-Signature")) continue;
            if (out.size() >= DkimVerifier.MAX_SIGNATURES) {
                out.add(new DkimResult(DkimResult.Result.NEUTRAL, null, null, null, "too many signatures", -1, false));
            } else {
                out.add(check(SignatureField.Kind.DKIM, f, null));
            }
        }
        return out;
    }

    /** Verifies an ARC-Message-Signature (RFC 8617 §4.1.2) as DKIM verifies a DKIM-Signature, From not required. */
    public DkimResult arcMessageSignature(HeaderField ams) {
        return check(SignatureField.Kind.ARC_MESSAGE_SIGNATURE, ams, null);
    }

    /**
     * Verifies an ARC-Seal (RFC 8617 §5.1.1): its signature covers {@code before}, the ARC header fields of the
     * instances up to its own in order (AAR, AMS, AS of i=1, ..., AAR and AMS of its own), then itself with its
     * {@code b=} emptied; relaxed header canonicalization, no body.
     */
    public DkimResult arcSeal(HeaderField seal, List<HeaderField> before) {
        return check(SignatureField.Kind.ARC_SEAL, seal, before);
    }

    private DkimResult check(SignatureField.Kind kind, HeaderField f, List<HeaderField> sealed) {
        String d = null;
        String s = null;
        String a = null;
        long l = -1;
        boolean fromSigned = false;
        try {
            TagList tags = SignatureField.tagsOf(f);
            d = knownDomain(tags.get("d"));
            s = knownDomain(tags.get("s"));
            a = tags.has("a") ? DkimAuthResults.printable(tags.get("a").toLowerCase(Locale.ROOT), 40) : null;
            fromSigned = tags.has("h") && KeyRecord.listHas(tags.get("h"), "from");
            SignatureField sig = SignatureField.of(kind, f, tags, now);
            l = sig.length();
            verify(sig, sealed);
            DkimResult pass = new DkimResult(DkimResult.Result.PASS, d, s, a, DkimVerifier.VERIFIED, l, fromSigned);
            log.debug("event=dkim_checked kind={} d={} s={} result=pass", kind, d, s);
            return pass;
        } catch (Failure e) {
            log.debug("event=dkim_checked kind={} d={} s={} result={} reason=\"{}\"", kind, d, s, e.result().word(), e.reason());
            return new DkimResult(e.result(), d, s, a, e.reason(), l, fromSigned);
        }
    }

    private static String knownDomain(String v) {
        return v != null && SignatureField.dnsName(v.toLowerCase(Locale.ROOT)) ? v.toLowerCase(Locale.ROOT) : null;
    }

    /** Key, body hash, signature, then the l= policy; returns normally only for a pass. */
    private void verify(SignatureField sig, List<HeaderField> sealed) throws Failure {
        KeyRecord key = key(sig);
        if (key.strict() && sig.identity() != null && !SignatureField.identityDomain(sig.identity()).equals(sig.domain())) {
            throw Failure.permerror("key requires the identity domain to be the signing domain");
        }
        BodyHash body = null;
        if (sig.kind() != SignatureField.Kind.ARC_SEAL) {
            body = bodyHash(sig.bodyCanon(), sig.length());
            if (sig.length() > body.length()) throw Failure.fail("body length tag is longer than the body");
            if (!MessageDigest.isEqual(body.digest(), sig.bodyHash())) throw Failure.fail("body hash did not verify");
        }
        byte[] input = sig.kind() == SignatureField.Kind.ARC_SEAL ? sealInput(sig, sealed) : headerInput(sig);
        if (!sig.algorithm().verifies(key.key(), input, sig.signature())) throw Failure.fail("signature did not verify");
        if (body != null && sig.length() >= 0 && sig.length() < body.length()) {
            throw Failure.policy("body length limit leaves " + (body.length() - sig.length()) + " bytes unsigned");
        }
    }

    // --- keys (RFC 6376 §3.6.2) -----------------------------------------------------------------------------

    private KeyRecord key(SignatureField sig) throws Failure {
        String name = sig.selector().toLowerCase(Locale.ROOT) + "._domainkey." + sig.domain();
        Lookup<String> answer = keys.computeIfAbsent(name, this::txt);
        switch (answer.result()) {
            case TEMP_FAIL -> throw Failure.temperror("key lookup failed");
            case NX_DOMAIN, NO_DATA -> throw Failure.permerror("no key for signature");
            case FOUND -> { }
        }
        Failure first = null;
        List<String> records = answer.records();
        for (int i = 0; i < Math.min(records.size(), MAX_KEY_RECORDS); i++) {
            try {
                return KeyRecord.parse(records.get(i), sig.algorithm());
            } catch (Failure e) {
                if (first == null) first = e;
            }
        }
        throw first;
    }

    private Lookup<String> txt(String name) {
        try {
            return dns.txt(name);
        } catch (RuntimeException e) { // the resolver promises not to throw; a key is not worth a crash if it does
            log.warn("event=dkim_key_lookup_error name={} error=\"{}\"", name, e.toString());
            return Lookup.of(Lookup.Result.TEMP_FAIL);
        }
    }

    // --- body (RFC 6376 §3.7 step 1) ----------------------------------------------------------------------

    private BodyHash bodyHash(Canonicalization c, long limit) {
        if (bytes == null) {
            bytes = message.bytes();
            bodyStart = bodyStart(message, bytes);
        }
        return bodies.computeIfAbsent(c + "/" + limit, k -> {
            BodySink sink = new BodySink(limit < 0 ? Long.MAX_VALUE : limit);
            c.body(bytes, bodyStart, bytes.length, sink);
            return new BodyHash(sink.length(), sink.digest());
        });
    }

    // --- header fields (RFC 6376 §3.7 step 2, §5.4.2) ----------------------------------------------------

    /**
     * The h= fields, each the next instance from the bottom not yet used (a name listed more often than present
     * adds nothing: over-signing), then the signature itself with its b= value emptied and without its CRLF.
     */
    private byte[] headerInput(SignatureField sig) {
        Map<String, List<Integer>> idx = index();
        Map<String, Integer> used = new HashMap<>();
        List<HeaderField> fields = message.fields();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        for (String name : sig.signedHeaders()) {
            String key = name.toLowerCase(Locale.ROOT);
            List<Integer> at = idx.get(key);
            int taken = used.merge(key, 1, Integer::sum);
            if (at == null || taken > at.size()) continue;
            sig.headerCanon().header(fields.get(at.get(at.size() - taken)).raw(), out);
        }
        appendWithoutSignature(sig, out);
        return out.toByteArray();
    }

    private byte[] sealInput(SignatureField sig, List<HeaderField> before) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        for (HeaderField f : before) Canonicalization.RELAXED.header(f.raw(), out);
        appendWithoutSignature(sig, out);
        return out.toByteArray();
    }

    /** The signature field canonicalized with only its b= value removed (everything else byte for byte), no CRLF. */
    private static void appendWithoutSignature(SignatureField sig, ByteArrayOutputStream out) {
        byte[] raw = sig.field().raw();
        TagList.Tag b = sig.tags().tag("b");
        int base = sig.field().name().length() + 1;
        byte[] emptied = new byte[raw.length - (b.specEnd() - b.valueStart())];
        System.arraycopy(raw, 0, emptied, 0, base + b.valueStart());
        System.arraycopy(raw, base + b.specEnd(), emptied, base + b.valueStart(), raw.length - base - b.specEnd());
        byte[] canonical = sig.headerCanon().header(emptied);
        out.write(canonical, 0, canonical.length - 2);
    }

    private Map<String, List<Integer>> index() {
        if (index == null) {
            index = new HashMap<>();
            List<HeaderField> fields = message.fields();
            for (int i = 0; i < fields.size(); i++) {
                index.computeIfAbsent(fields.get(i).name().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(i);
            }
        }
        return index;
    }
}
