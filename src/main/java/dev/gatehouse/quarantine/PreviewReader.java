// Reads a quarantined message for Preview-QuarantineMessage: headers, text, attachment names; nothing is executed.
package dev.gatehouse.quarantine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * A streaming MIME walk that only decodes: HTML is shown as its text with tags removed (no script, style,
 * image or link is ever fetched or run) and attachments are listed by name and type, never opened.
 */
final class PreviewReader {
    static final int MAX_TEXT = 64 * 1024;

    record Parts(String headers, String text, List<String> attachments) {}

    private PreviewReader() {}

    static Parts read(byte[] content) {
        int end = headerEnd(content);
        String headers = new String(content, 0, end, StandardCharsets.ISO_8859_1);
        StringBuilder text = new StringBuilder();
        List<String> attachments = new ArrayList<>();
        MimeTokenStream stream = new MimeTokenStream(MimeConfig.PERMISSIVE, DecodeMonitor.SILENT, new DefaultBodyDescriptorBuilder());
        stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
        try (InputStream in = new ByteArrayInputStream(content)) {
            stream.parse(in);
            for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
                if (s != EntityState.T_BODY) continue;
                MaximalBodyDescriptor d = (MaximalBodyDescriptor) stream.getBodyDescriptor();
                String name = d.getContentDispositionFilename();
                if (name == null) name = d.getContentTypeParameters().get("name");
                String type = d.getMimeType().toLowerCase(Locale.ROOT);
                if (name != null || "attachment".equalsIgnoreCase(d.getContentDispositionType())) {
                    attachments.add((name == null ? "(unnamed)" : DecoderUtil.decodeEncodedWords(name, DecodeMonitor.SILENT)) + " (" + type + ")");
                } else if (type.startsWith("text/") && text.length() < MAX_TEXT) {
                    Charset cs;
                    try { cs = Charset.forName(d.getCharset()); } catch (RuntimeException e) { cs = StandardCharsets.ISO_8859_1; }
                    String part = new String(stream.getDecodedInputStream().readNBytes(MAX_TEXT), cs);
                    if (type.equals("text/html")) part = part.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", "").replaceAll("(?s)<[^>]*>", "");
                    if (!text.isEmpty()) text.append("\n");
                    text.append(part, 0, Math.min(part.length(), MAX_TEXT - text.length()));
                }
            }
        } catch (Exception e) {
            text.append("\n[the rest of the message could not be read: ").append(e.getMessage()).append(']');
        }
        return new Parts(headers.strip(), text.toString().strip(), List.copyOf(attachments));
    }

    private static int headerEnd(byte[] c) {
        for (int i = 0; i + 1 < c.length; i++) {
            if (c[i] == '\n' && (c[i + 1] == '\n' || (c[i + 1] == '\r' && i + 2 < c.length && c[i + 2] == '\n'))) return i + 1;
        }
        return c.length;
    }
}
