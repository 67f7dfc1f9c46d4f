// Reads a quarantined message for Preview-QuarantineMessage: headers, text, attachment names; nothing is executed.
package dev.gatehouse.quarantine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.MimeSummary;

/**
 * The message's one MIME walk ({@link Message#mime()}), shown for reading only: HTML is shown as its text
 * with tags removed (no script, style, image or link is ever fetched or run) and attachments are listed by
 * name and type, never opened.
 */
final class PreviewReader {
    static final int MAX_TEXT = 64 * 1024;

    record Parts(String headers, String text, List<String> attachments) {}

    private PreviewReader() {}

    static Parts read(byte[] content) {
        Message m = Message.parse(content);
        StringBuilder headers = new StringBuilder();
        for (HeaderField f : m.fields()) headers.append(new String(f.raw(), StandardCharsets.ISO_8859_1));
        MimeSummary mime = m.mime();
        StringBuilder text = new StringBuilder();
        for (MimeSummary.TextPart p : mime.texts()) {
            if (text.length() >= MAX_TEXT) break;
            String part = p.text();
            if (p.html()) part = part.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", "").replaceAll("(?s)<[^>]*>", "");
            if (!text.isEmpty()) text.append("\n");
            text.append(part, 0, Math.min(part.length(), MAX_TEXT - text.length()));
        }
        if (mime.error() != null) text.append("\n[the rest of the message could not be read: ").append(mime.error()).append(']');
        List<String> attachments = new ArrayList<>();
        for (MimeSummary.Attachment a : mime.attachments()) {
            attachments.add((a.fileName() == null ? "(unnamed)" : a.fileName()) + " (" + a.mimeType() + ")");
        }
        return new Parts(headers.toString().strip(), text.toString().strip(), List.copyOf(attachments));
    }
}
