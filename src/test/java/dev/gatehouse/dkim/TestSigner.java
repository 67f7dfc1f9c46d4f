// TestSigner: signs test messages with JDK keys, for the cases no real signer will write (hostile tags, odd layouts).
package dev.gatehouse.dkim;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A small DKIM and ARC signer for tests. Interoperability is shown against dkimpy and the RFC vectors; this signer
 * is for what they will not produce: tags in unusual places, h= without From, x= in the past, over-signed fields,
 * keys of refused sizes, Ed25519 ARC seals (dkimpy 1.1.4 seals with RSA only). It selects header fields with its
 * own loop (bottom-up, as RFC 6376 §5.4.2 says) and uses the main code only for canonicalization, which the RFC
 * vectors and dkimpy check independently.
 */
public final class TestSigner {
    private TestSigner() {}

    /** A key pair and where its public half is published. */
    public record Key(String selector, String domain, KeyPair pair, Algorithm algorithm, String keyTags) {
        /** The TXT text of the key record: {@code v=DKIM1; k=...; p=...} plus any extra tags. */
        public String record() {
            return "v=DKIM1; k=" + algorithm.keyType() + keyTags + "; p=" + publicKeyBase64();
        }

        public String publicKeyBase64() {
            byte[] spki = pair.getPublic().getEncoded();
            byte[] p = algorithm == Algorithm.ED25519_SHA256 ? Arrays.copyOfRange(spki, spki.length - 32, spki.length) : spki;
            return Base64.getEncoder().encodeToString(p);
        }

        /** The record as a zone line, split into strings of at most 200 characters. */
        public String zoneLine() {
            return TestSigner.zoneLine(selector + "._domainkey." + domain, record());
        }

        public Key withKeyTags(String tags) { return new Key(selector, domain, pair, algorithm, tags); }

        public Key as(String newSelector) { return new Key(newSelector, domain, pair, algorithm, keyTags); }

        /** PEM for dkimpy: PKCS #8 for RSA; for Ed25519 the base64 of the 32-octet seed, which is what dkimpy reads. */
        public String privateKeyFile() {
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            if (algorithm == Algorithm.ED25519_SHA256) {
                return Base64.getEncoder().encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)) + "\n";
            }
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
                    + "\n-----END PRIVATE KEY-----\n";
        }
    }

    /** A TXT record line in master-file syntax, its text cut into quoted strings of at most 200 characters. */
    public static String zoneLine(String owner, String text) {
        StringBuilder b = new StringBuilder(owner).append(". 300 IN TXT (");
        for (int i = 0; i < text.length(); i += 200) {
            b.append(" \"").append(text, i, Math.min(text.length(), i + 200)).append('"');
        }
        return b.append(" )\n").toString();
    }

    public static Key rsa(String selector, String domain, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4));
            return new Key(selector, domain, g.generateKeyPair(), Algorithm.RSA_SHA256, "");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Key ed25519(String selector, String domain) {
        try {
            return new Key(selector, domain, KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), Algorithm.ED25519_SHA256, "");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The base64 SubjectPublicKeyInfo of an RSA public key with a random modulus of {@code bits} bits (no private half). */
    public static String rsaPublicKeyOfBits(int bits) {
        try {
            BigInteger n = new BigInteger(bits, new java.util.Random(bits)).setBit(bits - 1).setBit(0);
            return Base64.getEncoder().encodeToString(KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(n, BigInteger.valueOf(65537))).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Signs {@code message} (CRLF text) with {@code key} and returns it with the new field on top. {@code template}
     * is the field, name included, with {@code {bh}} where the body hash goes and {@code {b}} where the signature
     * goes; its c=, h= and l= tags are read to sign as they say. Folding and tag order are kept as written.
     */
    public static String sign(String message, Key key, String template) {
        String field = signedField(message, key, template, null);
        return field + message;
    }

    /** Returns the signed field alone (ending in CRLF); {@code sealed} non-null makes it an ARC-Seal over those fields. */
    public static String signedField(String message, Key key, String template, List<String> sealed) {
        try {
            String name = template.substring(0, template.indexOf(':'));
            TagList tags = TagList.parse(template.substring(name.length() + 1).replace("{bh}", "").replace("{b}", ""));
            String c = tags.has("c") ? tags.get("c") : "simple/simple";
            Canonicalization hc = Canonicalization.valueOf(c.split("/")[0].toUpperCase(Locale.ROOT));
            Canonicalization bc = c.contains("/") ? Canonicalization.valueOf(c.split("/")[1].toUpperCase(Locale.ROOT)) : Canonicalization.SIMPLE;
            String field = template;
            if (field.contains("{bh}")) {
                long l = tags.has("l") ? Long.parseLong(tags.get("l")) : Long.MAX_VALUE;
                field = field.replace("{bh}", Base64.getEncoder().encodeToString(bodyHash(message, bc, l)));
            }
            ByteArrayOutputStream input = new ByteArrayOutputStream();
            if (sealed != null) {
                hc = Canonicalization.RELAXED;
                for (String f : sealed) input.writeBytes(hc.header(bytes(f)));
            } else {
                for (String f : selected(message, List.of(tags.get("h").split(":")))) input.writeBytes(hc.header(bytes(f)));
            }
            byte[] self = hc.header(bytes(withoutSignatureValue(field) + "\r\n"));
            input.write(self, 0, self.length - 2);
            return field.replace("{b}", Base64.getEncoder().encodeToString(signature(key, input.toByteArray()))) + "\r\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Adds ARC set {@code instance} to {@code message} as a sealer would (RFC 8617 §5.1): the AAR with
     * {@code authResults}, an AMS over {@code h} and the body (relaxed/relaxed), and an AS with {@code cv} over the
     * earlier sets and the new AAR and AMS. Returns the message with AS, AMS, AAR on top.
     */
    public static String arcSet(String message, int instance, String cv, Key key, String h, String authResults) {
        String a = key.algorithm().tag();
        String aar = "ARC-Authentication-Results: i=" + instance + "; " + authResults + "\r\n";
        String ams = signedField(message, key, "ARC-Message-Signature: i=" + instance + "; a=" + a + "; c=relaxed/relaxed; d="
                + key.domain() + "; s=" + key.selector() + "; t=1700000000;\r\n h=" + h + "; bh={bh};\r\n b={b}", null);
        List<String> sealed = new ArrayList<>();
        for (int i = 1; i < instance; i++) {
            sealed.add(arcField(message, "ARC-Authentication-Results", i));
            sealed.add(arcField(message, "ARC-Message-Signature", i));
            sealed.add(arcField(message, "ARC-Seal", i));
        }
        sealed.add(aar);
        sealed.add(ams);
        String seal = signedField(message, key, "ARC-Seal: i=" + instance + "; a=" + a + "; cv=" + cv + "; d=" + key.domain()
                + "; s=" + key.selector() + "; t=1700000000;\r\n b={b}", sealed);
        return seal + ams + aar + message;
    }

    /** The ARC field {@code name} of instance {@code i} in {@code message}. */
    static String arcField(String message, String name, int i) {
        for (String f : fields(message)) {
            if (f.regionMatches(true, 0, name + ":", 0, name.length() + 1)
                    && f.substring(name.length() + 1).replaceAll("\\s", "").matches("(?s)(.*;)?i=" + i + ";.*")) {
                return f;
            }
        }
        throw new IllegalArgumentException("no " + name + " i=" + i);
    }

    /** RFC 6376 §3.7: the b= value "including all surrounding whitespace" deleted, from the '=' to the ';' or the end. */
    static String withoutSignatureValue(String field) {
        int at = field.indexOf("{b}");
        int from = at;
        while (from > 0 && " \t\r\n".indexOf(field.charAt(from - 1)) >= 0) from--;
        int to = at + 3;
        while (to < field.length() && " \t\r\n".indexOf(field.charAt(to)) >= 0) to++;
        return field.substring(0, from) + field.substring(to);
    }

    private static byte[] signature(Key key, byte[] data) throws Exception {
        Signature s;
        if (key.algorithm() == Algorithm.ED25519_SHA256) {
            s = Signature.getInstance("Ed25519");
            data = MessageDigest.getInstance("SHA-256").digest(data);
        } else {
            s = Signature.getInstance("SHA256withRSA");
        }
        s.initSign(key.pair().getPrivate());
        s.update(data);
        return s.sign();
    }

    static byte[] bodyHash(String message, Canonicalization c, long limit) {
        byte[] m = bytes(message);
        int start = message.indexOf("\r\n\r\n");
        int from = start < 0 ? m.length : start + 4;
        BodySink sink = new BodySink(limit);
        c.body(m, from, m.length, sink);
        return sink.digest();
    }

    /** The header fields of {@code message} named in {@code names}, each the next unused one from the bottom. */
    static List<String> selected(String message, List<String> names) {
        List<String> fields = fields(message);
        boolean[] used = new boolean[fields.size()];
        List<String> out = new ArrayList<>();
        for (String raw : names) {
            String name = raw.strip();
            for (int i = fields.size() - 1; i >= 0; i--) {
                String f = fields.get(i);
                if (!used[i] && f.substring(0, f.indexOf(':')).strip().equalsIgnoreCase(name)) {
                    used[i] = true;
                    out.add(f);
                    break;
                }
            }
        }
        return out;
    }

    /** The header fields of a CRLF message, each with its folds and final CRLF. */
    public static List<String> fields(String message) {
        int end = message.indexOf("\r\n\r\n");
        String header = end < 0 ? message : message.substring(0, end + 2);
        List<String> out = new ArrayList<>();
        for (String line : header.split("(?<=\r\n)")) {
            if (line.isEmpty()) continue;
            if ((line.startsWith(" ") || line.startsWith("\t")) && !out.isEmpty()) out.set(out.size() - 1, out.getLast() + line);
            else out.add(line);
        }
        return out;
    }

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
