// A DKIM key record (RFC 6376 §3.6.1) read from its TXT text into a public key the JDK can verify with.
package dev.gatehouse.dkim;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;

/**
 * The key a selector publishes. The record is hostile input: everything is checked before any costly work, and
 * sizes are bounded so one record cannot make the gateway spend seconds of CPU on one message.
 *
 * <ul>
 * <li>RSA keys under 1024 bits are refused (RFC 8301 §3.2: verifiers MUST NOT consider them valid), and so are
 *     keys over 8192 bits: RFC 8301 asks verifiers to handle 1024 to 4096 and lets them do more, and a bound keeps a
 *     16384-bit key, or a huge public exponent, from costing a message seconds. The exponent must be odd and at
 *     most 64 bits (65537 in practice).</li>
 * <li>{@code p=} is the SubjectPublicKeyInfo of RFC 6376 §3.6.1; a bare PKCS #1 RSAPublicKey, which some signers
 *     publish, is accepted too. An Ed25519 {@code p=} is the raw 32-octet key (RFC 8463 §4), wrapped here in the
 *     SubjectPublicKeyInfo the JDK's EdDSA key factory reads.</li>
 * </ul>
 *
 * @param key      the public key
 * @param keyType  {@code rsa} or {@code ed25519}
 * @param strict   {@code t=s}: the {@code i=} domain must equal {@code d=}, not be a subdomain of it
 * @param testing  {@code t=y}: the domain is testing DKIM (reported, not acted on: RFC 6376 §3.6.1)
 */
record KeyRecord(PublicKey key, String keyType, boolean strict, boolean testing) {

    static final int MIN_RSA_BITS = 1024;
    static final int MAX_RSA_BITS = 8192;

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4), before the 32 key octets. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    /** Reads a key record's text for a signature that uses {@code algorithm}. */
    static KeyRecord parse(String text, Algorithm algorithm) throws Failure {
        TagList tags;
        try {
            tags = TagList.parse(text);
        } catch (TagSyntaxException e) {
            throw Failure.permerror("key record syntax error");
        }
        String v = tags.get("v");
        if (v != null && !v.equals("DKIM1")) throw Failure.permerror("key record version is not DKIM1");
        String h = tags.get("h");
        if (h != null && !listHas(h, "sha256")) throw Failure.permerror("key does not allow sha256");
        String k = tags.has("k") ? tags.get("k").toLowerCase(Locale.ROOT) : "rsa";
        if (!k.equals("rsa") && !k.equals("ed25519")) throw Failure.permerror("unknown key type");
        if (!k.equals(algorithm.keyType())) throw Failure.permerror("key type does not match signature algorithm");
        String s = tags.get("s");
        if (s != null && !listHas(s, "*") && !listHas(s, "email")) throw Failure.permerror("key is not for email");
        String t = tags.get("t");
        boolean strict = t != null && listHas(t, "s");
        boolean testing = t != null && listHas(t, "y");
        String p = tags.get("p");
        if (p == null) throw Failure.permerror("key record without a public key");
        String b64 = TagList.withoutWhitespace(p);
        if (b64.isEmpty()) throw Failure.permerror("key revoked");
        byte[] der = decode(b64, "bad base64 in key");
        PublicKey key = k.equals("rsa") ? rsa(der) : ed25519(der);
        return new KeyRecord(key, k, strict, testing);
    }

    /** Whether the colon-separated list (FWS around items allowed) holds {@code item}, ignoring case. */
    static boolean listHas(String list, String item) {
        for (String x : list.split(":", -1)) if (TagList.withoutWhitespace(x).equalsIgnoreCase(item)) return true;
        return false;
    }

    static byte[] decode(String base64, String failure) throws Failure {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw Failure.permerror(failure);
        }
    }

    private static PublicKey rsa(byte[] der) throws Failure {
        if (der.length > MAX_RSA_BITS / 8 + 64) throw Failure.permerror("RSA key over " + MAX_RSA_BITS + " bits is refused");
        RSAPublicKey key;
        try {
            KeyFactory f = KeyFactory.getInstance("RSA");
            key = (RSAPublicKey) f.generatePublic(subjectPublicKeyInfo(der) ? new X509EncodedKeySpec(der) : pkcs1(der));
        } catch (Failure e) {
            throw e;
        } catch (Exception e) {
            throw Failure.permerror("key syntax error");
        }
        int bits = key.getModulus().bitLength();
        if (bits < MIN_RSA_BITS) throw Failure.permerror("RSA key under " + MIN_RSA_BITS + " bits is refused");
        if (bits > MAX_RSA_BITS) throw Failure.permerror("RSA key over " + MAX_RSA_BITS + " bits is refused");
        BigInteger e = key.getPublicExponent();
        if (!e.testBit(0) || e.bitLength() > 64 || e.compareTo(BigInteger.TWO) <= 0) throw Failure.permerror("RSA key exponent refused");
        return key;
    }

    /** A SubjectPublicKeyInfo starts SEQUENCE, SEQUENCE (the algorithm); an RSAPublicKey starts SEQUENCE, INTEGER. */
    private static boolean subjectPublicKeyInfo(byte[] der) {
        int at = Der.contentStart(der, 0);
        return at > 0 && at < der.length && der[at] == 0x30;
    }

    private static RSAPublicKeySpec pkcs1(byte[] der) throws Failure {
        BigInteger[] ints = Der.twoIntegers(der);
        if (ints == null) throw Failure.permerror("key syntax error");
        return new RSAPublicKeySpec(ints[0], ints[1]);
    }

    private static PublicKey ed25519(byte[] raw) throws Failure {
        if (raw.length != 32) throw Failure.permerror("Ed25519 key is not 32 octets");
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (Exception e) {
            throw Failure.permerror("key syntax error");
        }
    }
}
