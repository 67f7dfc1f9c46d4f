// Just enough DER to read a PKCS #1 RSAPublicKey (SEQUENCE { INTEGER, INTEGER }) from a key record.
package dev.gatehouse.dkim;

import java.math.BigInteger;

/** Bounds-checked DER reading for the one structure the JDK's key factory does not read itself. */
final class Der {
    private Der() {}

    /** The offset of the content of the element at {@code at}, or -1 when the tag or length runs off the end. */
    static int contentStart(byte[] der, int at) {
        if (at + 2 > der.length) return -1;
        int first = der[at + 1] & 0xff;
        if (first < 0x80) return at + 2;
        int octets = first & 0x7f;
        if (octets == 0 || octets > 3 || at + 2 + octets > der.length) return -1;
        return at + 2 + octets;
    }

    /** The content length of the element at {@code at} (whose header is valid), or -1. */
    private static int contentLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        if (first < 0x80) return first;
        int len = 0;
        for (int i = 0; i < (first & 0x7f); i++) len = (len << 8) | (der[at + 2 + i] & 0xff);
        return len;
    }

    /** The two integers of {@code SEQUENCE { INTEGER, INTEGER }} filling {@code der} exactly, or null. */
    static BigInteger[] twoIntegers(byte[] der) {
        int seq = contentStart(der, 0);
        if (seq < 0 || der[0] != 0x30 || seq + contentLength(der, 0) != der.length) return null;
        BigInteger[] out = new BigInteger[2];
        int at = seq;
        for (int i = 0; i < 2; i++) {
            int c = contentStart(der, at);
            if (c < 0 || der[at] != 0x02) return null;
            int len = contentLength(der, at);
            if (len == 0 || c + len > der.length) return null;
            out[i] = new BigInteger(java.util.Arrays.copyOfRange(der, c, c + len));
            at = c + len;
        }
        return at == der.length ? out : null;
    }
}
