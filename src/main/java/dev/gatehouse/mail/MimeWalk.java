// The one MIME walker: text parts and attachments of a message, read by streaming, never rendered or run.
package dev.gatehouse.mail;

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

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * Walks every leaf part of a message with mime4j's token stream, descending into attached messages
 * ({@code message/rfc822}), as mail flow rules must (an attachment inside a forwarded message is still an
 * attachment) and as the quarantine preview shows them. A part is an <em>attachment</em> when its
 * disposition is {@code attachment} or it has a file name (disposition {@code filename} or type
 * {@code name}); every other {@code text/*} part is <em>body text</em>, decoded with its charset (unknown
 * charsets as ISO-8859-1) and bounded to {@link #MAX_TEXT_CHARS} in all. A structure that can't be read
 * to the end keeps what was read and says why in {@link MimeSummary#error()}.
 */
public final class MimeWalk {
    /** Body text is read up to this many characters in all, as Exchange inspects a bounded prefix. */
    public static final int MAX_TEXT_CHARS = 1 << 20;

    private MimeWalk() {}

    /** @param hashAttachments also read each attachment whole for its size and SHA-256 (else size only, counted) */
    public static MimeSummary walk(InputStream in, boolean hashAttachments) {
        List<MimeSummary.TextPart> texts = new ArrayList<>();
        List<MimeSummary.Attachment> attachments = new ArrayList<>();
        boolean signedOrEncrypted = false;
        int textChars = 0;
        String error = null;
        MimeTokenStream stream = new MimeTokenStream(MimeConfig.PERMISSIVE, DecodeMonitor.SILENT, new DefaultBodyDescriptorBuilder());
        stream.setRecursionMode(RecursionMode.M_RECURSE);
        try (in) {
            stream.parse(in);
            for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
                if (s == EntityState.T_START_MULTIPART) {
                    String type = stream.getBodyDescriptor().getMimeType().toLowerCase(Locale.ROOT);
                    signedOrEncrypted |= type.equals("multipart/signed") || type.equals("multipart/encrypted");
                    continue;
                }
                if (s != EntityState.T_BODY) continue;
                MaximalBodyDescriptor d = (MaximalBodyDescriptor) stream.getBodyDescriptor();
                String type = d.getMimeType().toLowerCase(Locale.ROOT);
                signedOrEncrypted |= type.contains("pkcs7");
                String name = d.getContentDispositionFilename();
                if (name == null) name = d.getContentTypeParameters().get("name");
                boolean attachment = "attachment".equalsIgnoreCase(d.getContentDispositionType()) || name != null;
                if (attachment) {
                    attachments.add(attachment(stream.getDecodedInputStream(), name == null ? null : Text.decodeWords(name), type, hashAttachments));
                } else if (type.startsWith("text/") && textChars < MAX_TEXT_CHARS) {
                    byte[] bytes = stream.getDecodedInputStream().readNBytes(MAX_TEXT_CHARS * 4);
                    String text = new String(bytes, charset(d.getCharset()));
                    if (text.length() > MAX_TEXT_CHARS - textChars) text = text.substring(0, MAX_TEXT_CHARS - textChars);
                    textChars += text.length();
                    texts.add(new MimeSummary.TextPart(type, text));
                }
            }
        } catch (IOException | MimeException | RuntimeException e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new MimeSummary(texts, attachments, signedOrEncrypted, error);
    }

    private static MimeSummary.Attachment attachment(InputStream in, String name, String type, boolean hash) throws IOException {
        MessageDigest sha = null;
        if (hash) {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        long size = 0;
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            size += n;
            if (sha != null) sha.update(buf, 0, n);
        }
        return new MimeSummary.Attachment(name, type, size, sha == null ? null : HexFormat.of().formatHex(sha.digest()));
    }

    private static Charset charset(String name) {
        try {
            return name == null ? StandardCharsets.US_ASCII : Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }
}
