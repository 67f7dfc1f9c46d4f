// KeyRecordTest: reading DKIM key records (RFC 6376 §3.6.1, RFC 8463 §4) into keys, and refusing the ones RFC 8301 forbids.
package dev.gatehouse.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class KeyRecordTest {

    static String rsaRecord() { return String.join("", RfcVectors.RFC8463_RSA_STRINGS); }

    static void refused(String record, Algorithm a, String reason) {
        assertThatThrownBy(() -> KeyRecord.parse(record, a)).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.result()).isEqualTo(DkimResult.Result.PERMERROR);
            assertThat(f.reason()).isEqualTo(reason);
        });
    }

    @Test
    void readsTheRfc8463Keys() throws Exception {
        KeyRecord ed = KeyRecord.parse(RfcVectors.RFC8463_ED25519_RECORD, Algorithm.ED25519_SHA256);
        assertThat(ed.key().getAlgorithm()).isIn("EdDSA", "Ed25519");
        KeyRecord rsa = KeyRecord.parse(rsaRecord(), Algorithm.RSA_SHA256);
        assertThat(((RSAPublicKey) rsa.key()).getModulus().bitLength()).isEqualTo(1024);
        assertThat(rsa.strict()).isFalse();
    }

    @Test
    void acceptsABarePkcs1RsaPublicKeyAndFoldedBase64() throws Exception {
        RSAPublicKey spki = (RSAPublicKey) KeyRecord.parse(rsaRecord(), Algorithm.RSA_SHA256).key();
        byte[] n = spki.getModulus().toByteArray();
        byte[] e = spki.getPublicExponent().toByteArray();
        // SEQUENCE { INTEGER n, INTEGER e } with a two-octet length for the 129-octet modulus
        byte[] intN = concat(new byte[] {0x02, (byte) 0x81, (byte) n.length}, n);
        byte[] intE = concat(new byte[] {0x02, (byte) e.length}, e);
        byte[] body = concat(intN, intE);
        byte[] der = concat(new byte[] {0x30, (byte) 0x81, (byte) body.length}, body);
        String b64 = Base64.getEncoder().encodeToString(der);
        String folded = "v=DKIM1; k=rsa; p=" + b64.substring(0, 40) + " \t" + b64.substring(40);
        RSAPublicKey pkcs1 = (RSAPublicKey) KeyRecord.parse(folded, Algorithm.RSA_SHA256).key();
        assertThat(pkcs1.getModulus()).isEqualTo(spki.getModulus());
        assertThat(pkcs1.getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
    }

    @Test
    void readsTheFlagsAndLists() throws Exception {
        KeyRecord k = KeyRecord.parse(rsaRecord().replace("k=rsa;", "k=rsa; t=y : s; h=sha1:sha256; s=email;"), Algorithm.RSA_SHA256);
        assertThat(k.strict()).isTrue();
        assertThat(k.testing()).isTrue();
    }

    @Test
    void refusesWhatItMust() {
        refused("v=DKIM1; p=", Algorithm.RSA_SHA256, "key revoked");
        refused("v=DKIM1; k=rsa", Algorithm.RSA_SHA256, "key record without a public key");
        refused("v=DKIM2; p=AAAA", Algorithm.RSA_SHA256, "key record version is not DKIM1");
        refused("v=DKIM1; k=dsa; p=AAAA", Algorithm.RSA_SHA256, "unknown key type");
        refused(RfcVectors.RFC8463_ED25519_RECORD, Algorithm.RSA_SHA256, "key type does not match signature algorithm");
        refused(rsaRecord().replace("k=rsa;", "k=rsa; h=sha1;"), Algorithm.RSA_SHA256, "key does not allow sha256");
        refused(rsaRecord().replace("k=rsa;", "k=rsa; s=tlsrpt;"), Algorithm.RSA_SHA256, "key is not for email");
        refused("v=DKIM1; p=A!A=", Algorithm.RSA_SHA256, "bad base64 in key");
        refused("v=DKIM1; k=ed25519; p=AAAA", Algorithm.ED25519_SHA256, "Ed25519 key is not 32 octets");
        refused("v=DKIM1; p=AAAAAAAA", Algorithm.RSA_SHA256, "key syntax error");
        refused("v=DKIM1; p=" + TestSigner.rsaPublicKeyOfBits(512), Algorithm.RSA_SHA256, "RSA key under 1024 bits is refused");
        refused("v=DKIM1; p=" + TestSigner.rsaPublicKeyOfBits(16384), Algorithm.RSA_SHA256, "RSA key over 8192 bits is refused");
        refused("v=DKIM1; p=; p=AAAA", Algorithm.RSA_SHA256, "key record syntax error");
    }

    @Test
    void an8192BitKeyIsStillAccepted() throws Exception {
        KeyRecord k = KeyRecord.parse("v=DKIM1; p=" + TestSigner.rsaPublicKeyOfBits(8192), Algorithm.RSA_SHA256);
        assertThat(((RSAPublicKey) k.key()).getModulus().bitLength()).isEqualTo(8192);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
