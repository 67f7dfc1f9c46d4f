// The one MIME walker: text parts and attachments of a message, read by streaming, never rendered or run.
package dev.gatehouse.mail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * Walks every leaf part of a message with mime4j's token stream, as mail flow rules read it, as the
 * quarantine preview shows it and as hunting's attachment table will list it. A part is an
 * <em>attachment</em> when its disposition is {@code attachment}, when it has a file name (the disposition's
 * {@code filename} or the type's {@code name}, RFC 2047 or RFC 2231 encoded), or when it is not text at all
 * (an image, a PDF, an attached message: mail clients show those as attachments, named or not). Every other
 * {@code text/*} part is <em>body text</em>, decoded with its charset (none or US-ASCII: UTF-8 when the
 * bytes are valid UTF-8, else ISO-8859-1; an unknown charset as ISO-8859-1) and bounded to
 * {@link #MAX_TEXT_CHARS} in all. An attached message ({@code message/rfc822}) is an attachment itself and is
 * walked too, up to {@link #MAX_DEPTH} messages deep: an attachment inside a forwarded message is still an
 * attachment, and its text is still text the rules read. A structure that can't be read to the end keeps
 * what was read and says why in {@link MimeSummary#error()}.
 */
public final class MimeWalk {
    /** Body text is read up to this many characters in all, as Exchange inspects a bounded prefix. */
    public static final int MAX_TEXT_CHARS = 1 << 20;
    /** Attached messages are walked this deep; deeper is an error (the rest is not read). */
    public static final int MAX_DEPTH = 16;

    private MimeWalk() {}

    /** @param hashAttachments also compute each attachment's SHA-256 (its size is always counted) */
    public static MimeSummary walk(InputStream in, boolean hashAttachments) {
        return walk(in, hashAttachments, 8192);   // size unknown: a text buffer of 8 KB to begin with
    }

    /**
     * As {@link #walk(InputStream, boolean)}, for a message of {@code size} octets: text parts are read into one buffer
     * of that size (base64 and quoted-printable decode to fewer octets than they take), grown only if a part is larger,
     * instead of a 16 KB block and an exact-size copy per part.
     */
    public static MimeSummary walk(InputStream in, boolean hashAttachments, int size) {
        Walk w = new Walk(hashAttachments, size);
        w.walk(in, 0);
        return new MimeSummary(w.texts, w.attachments, w.signedOrEncrypted, w.error);
    }

    private static final class Walk {
        final boolean hash;
        final int messageSize;
        /** A text part's decoded octets, reused for the next part. */
        byte[] textBuffer;
        final List<MimeSummary.TextPart> texts = new ArrayList<>();
        final List<MimeSummary.Attachment> attachments = new ArrayList<>();
        boolean signedOrEncrypted;
        int textChars;
        String error;

        Walk(boolean hash, int messageSize) {
            this.hash = hash;
            this.messageSize = messageSize;
        }

        void walk(InputStream in, int depth) {
            if (depth > MAX_DEPTH) {
                fail("attached messages nested deeper than " + MAX_DEPTH);
                return;
            }
            MimeTokenStream stream = new MimeTokenStream(MimeConfig.PERMISSIVE, DecodeMonitor.SILENT, new DefaultBodyDescriptorBuilder());
            stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
            try (in) {
                stream.parse(in);
                for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
                    if (s == EntityState.T_START_MULTIPART) {
                        String type = stream.getBodyDescriptor().getMimeType().toLowerCase(Locale.ROOT);
                        signedOrEncrypted |= type.equals("multipart/signed") || type.equals("multipart/encrypted");
                    } else if (s == EntityState.T_BODY) {
                        part((MaximalBodyDescriptor) stream.getBodyDescriptor(), stream.getDecodedInputStream(), depth);
                    }
                }
            } catch (IOException | MimeException | RuntimeException e) {
                fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }

        private void part(MaximalBodyDescriptor d, InputStream body, int depth) throws IOException {
            String type = d.getMimeType().toLowerCase(Locale.ROOT);
            signedOrEncrypted |= type.contains("pkcs7");
            String name = fileName(d);
            boolean text = type.startsWith("text/");
            boolean message = type.equals("message/rfc822") || type.equals("message/global");
            boolean attachment = "attachment".equalsIgnoreCase(d.getContentDispositionType()) || name != null || !text;
            if (message) {
                byte[] inner = body.readAllBytes(); // bounded by the message's own size
                if (attachment) attachments.add(new MimeSummary.Attachment(name, type, inner.length, hash ? sha256(inner) : null));
                walk(new ByteArrayInputStream(inner), depth + 1);
            } else if (attachment) {
                attachments.add(attachment(body, name, type));
            } else if (textChars < MAX_TEXT_CHARS) {
                int n = readText(body, MAX_TEXT_CHARS * 4);
                String t = decode(textBuffer, n, d);
                if (t.length() > MAX_TEXT_CHARS - textChars) t = t.substring(0, MAX_TEXT_CHARS - textChars);
                textChars += t.length();
                texts.add(new MimeSummary.TextPart(type, t));
            }
        }

        /** Reads up to {@code max} octets into {@link #textBuffer} (grown as needed); returns how many. */
        private int readText(InputStream in, int max) throws IOException {
            if (textBuffer == null) textBuffer = new byte[Math.max(256, Math.min(max, messageSize))];
            byte[] b = textBuffer;
            int n = 0;
            while (n < max) {
                if (n == b.length) textBuffer = b = java.util.Arrays.copyOf(b, (int) Math.min(max, 2L * b.length));
                int r = in.read(b, n, Math.min(b.length, max) - n);
                if (r <= 0) break;
                n += r;
            }
            return n;
        }

        private MimeSummary.Attachment attachment(InputStream in, String name, String type) throws IOException {
            MessageDigest sha = hash ? digest() : null;
            long size = 0;
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                size += n;
                if (sha != null) sha.update(buf, 0, n);
            }
            return new MimeSummary.Attachment(name, type, size, sha == null ? null : HexFormat.of().formatHex(sha.digest()));
        }

        private void fail(String why) { if (error == null) error = why; }
    }

    /** The disposition's file name, else the type's name (RFC 2231 {@code name*} included); decoded; null when none. */
    static String fileName(MaximalBodyDescriptor d) {
        String name = d.getContentDispositionFilename();
        if (name == null) name = rfc2231(d.getContentTypeParameters(), "name");
        return name == null ? null : Text.decodeWords(name);
    }

    /**
     * A parameter's value, reading RFC 2231 forms mime4j leaves undecoded on Content-Type: {@code name},
     * {@code name*=charset'lang'%xx}, and continuations {@code name*0}, {@code name*1*}, ... Null when absent.
     */
    static String rfc2231(Map<String, String> params, String key) {
        String plain = params.get(key);
        if (plain != null) return plain;
        String extended = params.get(key + "*");
        if (extended != null) return extendedValue(extended, true);
        Map<Integer, String> sections = new TreeMap<>();
        boolean firstEncoded = false;
        for (var e : params.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith(key + "*")) continue;
            String rest = k.substring(key.length() + 1);
            boolean encoded = rest.endsWith("*");
            if (encoded) rest = rest.substring(0, rest.length() - 1);
            try {
                int n = Integer.parseInt(rest);
                if (n == 0) firstEncoded = encoded;
                sections.put(n, (encoded ? "*" : "") + e.getValue());
            } catch (NumberFormatException ignored) {
                // not a section
            }
        }
        if (sections.isEmpty()) return null;
        Charset cs = StandardCharsets.ISO_8859_1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (var s : sections.entrySet()) {
            String v = s.getValue();
            if (!v.startsWith("*")) { out.writeBytes(v.getBytes(StandardCharsets.ISO_8859_1)); continue; }
            v = v.substring(1);
            if (s.getKey() == 0 && firstEncoded) {
                int q1 = v.indexOf('\''), q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
                if (q2 > 0) {
                    cs = charset(v.substring(0, q1));
                    v = v.substring(q2 + 1);
                }
            }
            percentDecode(v, out);
        }
        return new String(out.toByteArray(), cs);
    }

    private static String extendedValue(String v, boolean withCharset) {
        Charset cs = StandardCharsets.ISO_8859_1;
        if (withCharset) {
            int q1 = v.indexOf('\''), q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
            if (q2 > 0) {
                cs = charset(v.substring(0, q1));
                v = v.substring(q2 + 1);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        percentDecode(v, out);
        return new String(out.toByteArray(), cs);
    }

    private static void percentDecode(String v, ByteArrayOutputStream out) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%' && hex(v, i + 1)) {
                out.write(Integer.parseInt(v.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static boolean hex(String v, int i) {
        return i + 1 < v.length() && Character.digit(v.charAt(i), 16) >= 0 && Character.digit(v.charAt(i + 1), 16) >= 0;
    }

    /** A text part's text: its declared charset; none or US-ASCII read as UTF-8 when valid, else ISO-8859-1. */
    private static String decode(byte[] bytes, int length, MaximalBodyDescriptor d) {
        String declared = d.getContentTypeParameters().get("charset");
        if (declared == null || declared.strip().equalsIgnoreCase("us-ascii")) return Text.decode(bytes, 0, length);
        return new String(bytes, 0, length, charset(declared.strip()));
    }

    private static Charset charset(String name) {
        try {
            return name == null || name.isBlank() ? StandardCharsets.ISO_8859_1 : Charset.forName(name.strip());
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] b) { return HexFormat.of().formatHex(digest().digest(b)); }
}
