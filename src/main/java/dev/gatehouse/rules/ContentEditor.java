// Applies a recipient's list of rule edits (headers, subject prefix, disclaimer) to the stored message bytes.
package dev.gatehouse.rules;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.BasicBodyFactory;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.MimeConfig;

import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.HeaderSection;
import dev.gatehouse.mail.Message;

/**
 * Header edits work on the raw header block, so untouched fields keep their exact bytes; values with
 * non-ASCII characters are RFC 2047-encoded and CR/LF can never enter (checked when the rule was saved,
 * stripped again here). A disclaimer is inserted into every text/html and text/plain part that isn't an
 * attachment (HTML as given; plain text with tags removed), re-encoding those parts with mime4j. A signed
 * or encrypted message, or one without such a part, gets the fallback: {@code Wrap} makes a new
 * multipart/mixed message with the disclaimer first and the original attached as message/rfc822.
 */
public final class ContentEditor {
    private ContentEditor() {}

    /** The message with the edits applied in order, as bytes (the content of a rule variant). */
    public static byte[] apply(Message message, List<HeaderEdit> edits) {
        Message out = message;
        for (HeaderEdit e : edits) {
            out = switch (e) {
                case HeaderEdit.Set s -> setHeader(out, s.header(), s.value());
                case HeaderEdit.Remove r -> out.without(f -> f.is(r.header()));
                case HeaderEdit.PrependSubject p -> {
                    String subject = out.firstDecoded("Subject");
                    yield setHeader(out, "Subject", p.prefix() + (subject == null ? "" : subject));
                }
                case HeaderEdit.AppendAddress a -> {
                    // the field as written (its display names keep their own encoding), with the address added;
                    // never one encoded word over the whole list, which would hide every address in it
                    String current = out.first(a.header());
                    yield writeHeader(out, a.header(), current == null || current.isBlank() ? a.address() : current + ", " + a.address());
                }
                case HeaderEdit.Disclaimer d -> Message.parse("Wrap".equals(d.fallback())
                        ? wrap(out.bytes(), d.html()) : disclaimer(out.bytes(), d.html(), d.prepend()));
            };
        }
        return out.bytes();
    }

    /** Replaces every field of this name by one new field with {@code value} as text (RFC 2047-encoded when needed). */
    static Message setHeader(Message m, String name, String value) {
        String clean = value.replaceAll("[\\r\\n\\x00]", " ");
        return writeHeader(m, name, EncoderUtil.encodeIfNecessary(clean, EncoderUtil.Usage.TEXT_TOKEN, name.length() + 2));
    }

    /**
     * Replaces every field of this name by one new field holding {@code rawValue} as written, placed where the first
     * one was (or after the last field), folded at white space so no line exceeds 78 characters where it can be
     * helped (RFC 5322 §2.1.1; never beyond 998 unless a single word is longer).
     */
    static Message writeHeader(Message m, String name, String rawValue) {
        if (!HeaderSection.isFieldName(name)) return m; // rules are validated when saved; never write a broken field
        String clean = rawValue.replaceAll("[\\r\\n\\x00]", " ");
        byte[] line = (fold(name + ": " + clean) + "\r\n").getBytes(StandardCharsets.UTF_8);
        HeaderField replacement = new HeaderField(name, line);
        List<HeaderField> out = new ArrayList<>(m.fields().size() + 1);
        boolean placed = false;
        for (HeaderField f : m.fields()) {
            if (f.is(name)) {
                if (!placed) { out.add(replacement); placed = true; }
                continue;
            }
            out.add(f);
        }
        if (!placed) out.add(replacement);
        return m.withFields(out, name.regionMatches(true, 0, "content-", 0, 8) || name.equalsIgnoreCase("MIME-Version"));
    }

    /** Folds a header line at spaces (the space starts the continuation line) to keep lines within 78 characters. */
    static String fold(String line) {
        if (line.length() <= 78) return line;
        StringBuilder out = new StringBuilder(line.length() + 16);
        int lineStart = 0;
        int lastSpace = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ' && i > 0) {
                if (i - lineStart > 78 && lastSpace > lineStart) {
                    out.append(line, lineStart, lastSpace).append("\r\n");
                    lineStart = lastSpace;
                }
                lastSpace = i;
            }
        }
        if (line.length() - lineStart > 78 && lastSpace > lineStart) {
            out.append(line, lineStart, lastSpace).append("\r\n");
            lineStart = lastSpace;
        }
        return out.append(line, lineStart, line.length()).toString();
    }

    /** True when the message has a text part a disclaimer can go into and isn't signed or encrypted. */
    public static boolean canInsertDisclaimer(byte[] content) {
        try {
            org.apache.james.mime4j.dom.Message m = parse(content);
            return insertable(m) && visit(m, null, false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static org.apache.james.mime4j.dom.Message parse(byte[] content) throws IOException {
        DefaultMessageBuilder b = new DefaultMessageBuilder();
        b.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        return b.parseMessage(new ByteArrayInputStream(content));
    }

    private static boolean insertable(Entity e) {
        String t = e.getMimeType().toLowerCase(Locale.ROOT);
        return !t.equals("multipart/signed") && !t.equals("multipart/encrypted") && !t.contains("pkcs7");
    }

    /** Visits the body text parts; with a non-null html, inserts the disclaimer. Returns whether any part qualifies. */
    private static boolean visit(Entity e, String html, boolean prepend) throws IOException {
        Body body = e.getBody();
        if (body instanceof Multipart mp) {
            if (!insertable(e)) return false;
            boolean any = false;
            for (Entity part : mp.getBodyParts()) any |= visit(part, html, prepend);
            return any;
        }
        if (!(body instanceof TextBody tb) || "attachment".equalsIgnoreCase(e.getDispositionType())) return false;
        String type = e.getMimeType().toLowerCase(Locale.ROOT);
        if (!type.equals("text/html") && !type.equals("text/plain")) return false;
        if (html == null) return true;
        String text;
        try (Reader r = tb.getReader()) {
            text = new String(readAll(r));
        }
        String charsetName = e.getCharset() == null ? "UTF-8" : e.getCharset();
        Charset cs;
        try { cs = Charset.forName(charsetName); } catch (RuntimeException x) { cs = StandardCharsets.UTF_8; }
        String updated = type.equals("text/html") ? insertHtml(text, html, prepend) : insertPlain(text, html, prepend);
        e.removeBody();
        e.setBody(new BasicBodyFactory().textBody(updated, cs));
        return true;
    }

    private static char[] readAll(Reader r) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        for (int n; (n = r.read(buf)) > 0; ) sb.append(buf, 0, n);
        return sb.toString().toCharArray();
    }

    static String insertHtml(String doc, String html, boolean prepend) {
        String lower = doc.toLowerCase(Locale.ROOT);
        if (prepend) {
            int body = lower.indexOf("<body");
            int end = body < 0 ? -1 : lower.indexOf('>', body);
            return end < 0 ? html + doc : doc.substring(0, end + 1) + html + doc.substring(end + 1);
        }
        int close = lower.lastIndexOf("</body");
        return close < 0 ? doc + html : doc.substring(0, close) + html + doc.substring(close);
    }

    static String insertPlain(String doc, String html, boolean prepend) {
        String text = html.replaceAll("(?s)<[^>]*>", "").replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").strip();
        return prepend ? text + "\r\n\r\n" + doc : doc + "\r\n\r\n" + text;
    }

    private static byte[] disclaimer(byte[] content, String html, boolean prepend) {
        try {
            org.apache.james.mime4j.dom.Message m = parse(content);
            if (!visit(m, html, prepend)) return wrap(content, html);
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + html.length() + 256);
            new DefaultMessageWriter().writeMessage(m, out);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            return wrap(content, html);
        }
    }

    /** Wrap fallback: the disclaimer as the first part, the original message attached unchanged. */
    static byte[] wrap(byte[] content, String html) {
        Message h = Message.parse(content);
        String boundary = "----=_Gatehouse_Disclaimer_" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + html.length() + 512);
        for (HeaderField f : h.fields()) {
            if (f.hasPrefix("content-") || f.is("MIME-Version")) continue;
            out.writeBytes(f.raw());
        }
        String head = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
                + "--" + boundary + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + html + "\r\n--" + boundary + "\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"original.eml\"\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Groups edit lists so recipients with equal edits share one copy of the content. */
    public static List<List<HeaderEdit>> distinct(List<List<HeaderEdit>> lists) {
        List<List<HeaderEdit>> out = new ArrayList<>();
        for (List<HeaderEdit> l : lists) if (!out.contains(l)) out.add(l);
        return out;
    }
}
