// The signing algorithms a signature may name in a=, and the one check each makes.
package dev.gatehouse.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Locale;

/**
 * {@code rsa-sha256} (RFC 6376 §3.3.1) and {@code ed25519-sha256} (RFC 8463 §3), on the JDK's own providers.
 * {@code rsa-sha1} is refused (RFC 8301 §3.1: verifiers MUST NOT consider such signatures valid); so is any other
 * name. Both hash with SHA-256, so one body hash serves either.
 */
public enum Algorithm {
    RSA_SHA256("rsa-sha256", "rsa"),
    ED25519_SHA256("ed25519-sha256", "ed25519");

    private final String tag;
    private final String keyType;

    Algorithm(String tag, String keyType) {
        this.tag = tag;
        this.keyType = keyType;
    }

    /** The {@code a=} value. */
    public String tag() { return tag; }

    /** The {@code k=} value of the keys it verifies with. */
    public String keyType() { return keyType; }

    /** The algorithm named by an {@code a=} value (case-insensitive). */
    static Algorithm of(String a) throws Failure {
        String lower = a.toLowerCase(Locale.ROOT);
        for (Algorithm alg : values()) if (alg.tag.equals(lower)) return alg;
        if (lower.equals("rsa-sha1")) throw Failure.permerror("rsa-sha1 is not accepted");
        throw Failure.permerror("unknown algorithm");
    }

    /**
     * Whether {@code signature} signs {@code headerInput} (the canonical header fields of RFC 6376 §3.7) under
     * {@code key}. RSA signs the data with PKCS #1 v1.5 and SHA-256; Ed25519 signs the SHA-256 hash of the data
     * (RFC 8463 §3: PureEdDSA over the hash). Never throws: a key or signature the provider refuses is false.
     */
    boolean verifies(PublicKey key, byte[] headerInput, byte[] signature) {
        try {
            Signature s;
            byte[] data;
            if (this == RSA_SHA256) {
                s = Signature.getInstance("SHA256withRSA");
                data = headerInput;
            } else {
                if (signature.length != 64) return false;
                s = Signature.getInstance("Ed25519");
                data = MessageDigest.getInstance("SHA-256").digest(headerInput);
            }
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a signature of the wrong length, a point not on the curve: it does not verify
        }
    }
}
