// One DKIM-Signature, ARC-Message-Signature or ARC-Seal field, its tags read and checked (RFC 6376 §3.5, RFC 8617 §4.1).
package dev.gatehouse.dkim;

import dev.gatehouse.mail.HeaderField;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a signature field says, after every check that needs no key: required tags, versions, algorithm,
 * canonicalization, {@code i=} within {@code d=}, {@code h=} naming From, {@code l=}, {@code t=} and {@code x=}.
 * The three kinds share DKIM's tag syntax and semantics (RFC 8617 §4.1.2, §4.1.3); they differ in which tags
 * they require and allow.
 *
 * @param length     {@code l=}, or -1
 * @param identity   the {@code i=} of a DKIM-Signature (the AUID), or null; for the ARC fields {@code i=} is the
 *                   instance and is read by the ARC verifier
 */
record SignatureField(Kind kind, HeaderField field, TagList tags, Algorithm algorithm, String domain, String selector,
                      Canonicalization headerCanon, Canonicalization bodyCanon, List<String> signedHeaders,
                      byte[] bodyHash, byte[] signature, long length, String identity) {

    enum Kind { DKIM, ARC_MESSAGE_SIGNATURE, ARC_SEAL }

    /** The largest {@code l=}, {@code t=} or {@code x=} accepted: 18 digits fit a long; RFC 6376 needs 12 for times. */
    private static final int MAX_DIGITS = 18;

    /** The tag list of a field's value: its bytes as ISO-8859-1 (offsets are byte offsets), without the line end. */
    static TagList tagsOf(HeaderField f) throws Failure {
        byte[] raw = f.raw();
        int from = f.name().length() + 1;
        int to = Math.max(from, Canonicalization.withoutLineEnd(raw));
        try {
            return TagList.parse(new String(raw, from, to - from, StandardCharsets.ISO_8859_1));
        } catch (TagSyntaxException e) {
            throw Failure.permerror("signature syntax error");
        }
    }

    /** Reads and checks {@code tags} of field {@code f}; {@code now} is the time in seconds for {@code x=}. */
    static SignatureField of(Kind kind, HeaderField f, TagList tags, long now) throws Failure {
        for (String t : required(kind)) if (!tags.has(t)) throw Failure.permerror("signature is missing the required " + t + " tag");
        if (kind == Kind.DKIM && !"1".equals(tags.get("v"))) throw Failure.permerror("unsupported signature version");
        if (kind == Kind.ARC_SEAL && tags.has("h")) throw Failure.permerror("ARC-Seal with an h tag");
        Algorithm algorithm = Algorithm.of(tags.get("a"));
        String domain = domain(tags.get("d"));
        String selector = selector(tags.get("s"));
        Canonicalization[] c = canonicalization(kind == Kind.ARC_SEAL ? "relaxed/relaxed" : tags.get("c"));
        List<String> signed = kind == Kind.ARC_SEAL ? List.of() : headerNames(tags.get("h"));
        if (kind == Kind.DKIM && signed.stream().noneMatch("from"::equalsIgnoreCase)) throw Failure.permerror("From field not signed");
        byte[] bodyHash = kind == Kind.ARC_SEAL ? null : base64(tags.get("bh"), "body hash");
        byte[] signature = base64(tags.get("b"), "signature");
        if (signature.length == 0) throw Failure.permerror("empty signature");
        long length = kind == Kind.ARC_SEAL || !tags.has("l") ? -1 : number(tags.get("l"), "body length tag");
        String q = tags.get("q");
        if (q != null && !queryMethodDnsTxt(q)) throw Failure.permerror("no supported key query method");
        String identity = kind == Kind.DKIM ? identity(tags.get("i"), domain) : null;
        times(tags, now);
        return new SignatureField(kind, f, tags, algorithm, domain, selector, c[0], c[1], signed, bodyHash, signature, length, identity);
    }

    private static List<String> required(Kind kind) {
        return switch (kind) {
            case DKIM -> List.of("v", "a", "b", "bh", "d", "h", "s");
            case ARC_MESSAGE_SIGNATURE -> List.of("i", "a", "b", "bh", "d", "h", "s");
            case ARC_SEAL -> List.of("i", "a", "b", "cv", "d", "s");
        };
    }

    /** A DNS name of letters, digits, hyphens and underscores (selectors use them), at most 253 octets: lower case. */
    static String domain(String d) throws Failure {
        String lower = d.toLowerCase(Locale.ROOT);
        if (!dnsName(lower)) throw Failure.permerror("invalid signing domain");
        return lower;
    }

    private static String selector(String s) throws Failure {
        if (!dnsName(s.toLowerCase(Locale.ROOT))) throw Failure.permerror("invalid selector");
        return s;
    }

    static boolean dnsName(String name) {
        if (name.isEmpty() || name.length() > 253) return false;
        int label = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (label == 0) return false;
                label = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                if (++label > 63) return false;
            } else {
                return false;
            }
        }
        return label > 0;
    }

    private static Canonicalization[] canonicalization(String c) throws Failure {
        if (c == null) return new Canonicalization[] {Canonicalization.SIMPLE, Canonicalization.SIMPLE};
        int slash = c.indexOf('/');
        Canonicalization header = Canonicalization.of(slash < 0 ? c : c.substring(0, slash));
        Canonicalization body = slash < 0 ? Canonicalization.SIMPLE : Canonicalization.of(c.substring(slash + 1));
        if (header == null || body == null) throw Failure.permerror("unknown canonicalization");
        return new Canonicalization[] {header, body};
    }

    /** The h= names, in order, white space around each removed; an empty name is a syntax error. */
    private static List<String> headerNames(String h) throws Failure {
        List<String> names = new ArrayList<>();
        for (String part : h.split(":", -1)) {
            String name = TagList.withoutWhitespace(part);
            if (name.isEmpty() || name.length() > 998 || !dev.gatehouse.mail.HeaderSection.isFieldName(name)) {
                throw Failure.permerror("signature syntax error in the signed header list");
            }
            names.add(name);
        }
        return names;
    }

    private static byte[] base64(String value, String what) throws Failure {
        return KeyRecord.decode(TagList.withoutWhitespace(value), "bad base64 in " + what);
    }

    /** A decimal number of at most 18 digits: anything else, a sign or 10^30, is a permanent error. */
    static long number(String value, String what) throws Failure {
        if (value.isEmpty() || value.length() > MAX_DIGITS) throw Failure.permerror(what + " out of range");
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') throw Failure.permerror(what + " is not a number");
        }
        return Long.parseLong(value);
    }

    private static boolean queryMethodDnsTxt(String q) {
        for (String m : q.split(":", -1)) {
            String method = TagList.withoutWhitespace(m).toLowerCase(Locale.ROOT);
            if (method.equals("dns/txt") || method.equals("dns")) return true;
        }
        return false;
    }

    /** §3.5 i=: [local-part] "@" domain, the domain d= or a subdomain of it; absent means "@" + d. */
    private static String identity(String i, String domain) throws Failure {
        if (i == null) return "@" + domain;
        int at = i.lastIndexOf('@');
        if (at < 0) throw Failure.permerror("signature syntax error in identity");
        String idDomain = i.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!idDomain.equals(domain) && !idDomain.endsWith("." + domain)) throw Failure.permerror("identity is not within the signing domain");
        return i;
    }

    /** The domain part of {@code identity} in lower case. */
    static String identityDomain(String identity) {
        return identity.substring(identity.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    private static void times(TagList tags, long now) throws Failure {
        long t = tags.has("t") ? number(tags.get("t"), "timestamp") : -1;
        if (!tags.has("x")) return;
        long x = number(tags.get("x"), "expiry");
        if (t >= 0 && x < t) throw Failure.permerror("expiry is before the timestamp");
        if (x < now) throw Failure.permerror("signature expired");
    }
}
