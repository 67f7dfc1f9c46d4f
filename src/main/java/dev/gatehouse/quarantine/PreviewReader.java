// Reads a quarantined message for Preview-QuarantineMessage: headers, text, attachment names; nothing is executed.
package dev.gatehouse.quarantine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.MimeSummary;

/**
 * The message's one MIME walk ({@link Message#mime()}), shown for reading only: HTML is shown as its text
 * with tags removed (no script, style, image or link is ever fetched or run), each link's address written as
 * text after the link's words, so a reader sees where it leads without following it; attachments are listed
 * by name, type and size, never opened.
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
            if (p.html()) part = linkAddressesAsText(part.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", "")).replaceAll("(?s)<[^>]*>", "");
            if (!text.isEmpty()) text.append("\n");
            text.append(part, 0, Math.min(part.length(), MAX_TEXT - text.length()));
        }
        if (mime.error() != null) text.append("\n[the rest of the message could not be read: ").append(mime.error()).append(']');
        List<String> attachments = new ArrayList<>();
        for (MimeSummary.Attachment a : mime.attachments()) {
            attachments.add((a.fileName() == null ? "(unnamed)" : a.fileName()) + " (" + a.mimeType() + ", " + a.size()
                    + (a.size() == 1 ? " byte)" : " bytes)"));
        }
        return new Parts(headers.toString().strip(), text.toString().strip(), List.copyOf(attachments));
    }

    private static final Pattern ANCHOR = Pattern.compile("(?i)<a\\s[^>]*?\\bhref\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))[^>]*>");
    private static final Pattern ANCHOR_END = Pattern.compile("(?i)</a\\s*>");

    /** {@code <a href="http://x/login">account</a>} becomes {@code account [http://x/login]} (the other tags go later). */
    static String linkAddressesAsText(String html) {
        Matcher a = ANCHOR.matcher(html);
        Matcher end = ANCHOR_END.matcher(html);
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < html.length() && a.find(at)) {
            String href = a.group(1) != null ? a.group(1) : a.group(2) != null ? a.group(2) : a.group(3);
            int close = end.find(a.end()) ? end.start() : html.length();
            out.append(html, at, a.start()).append(html, a.end(), close).append(" [").append(href.strip()).append(']');
            at = close;
        }
        return out.append(html, Math.min(at, html.length()), html.length()).toString();
    }
}
