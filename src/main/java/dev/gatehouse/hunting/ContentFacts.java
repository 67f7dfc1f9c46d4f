// What hunting reads from a message's content: its attachments and its URLs (EmailAttachmentInfo, EmailUrlInfo).
package dev.gatehouse.hunting;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.MimeSummary;

/**
 * Read once per message with the one message model, from the accept-time parse (handed to the feed in memory), or by
 * the feed from the stored bytes when it holds none (a restart, another node's mail): attachments as
 * {@link dev.gatehouse.mail.MimeWalk} finds them (nested messages' included) with the SHA-256 and size of their decoded bytes, URLs as
 * {@link UrlFinder} finds them. Kept as JSON in {@link ContentFactsStore}, because the queue drops a message's bytes an
 * hour after its last delivery (decision 0007) and a restart must rebuild the same rows.
 */
record ContentFacts(List<Attachment> attachments, List<Url> urls) {
    ContentFacts {
        attachments = List.copyOf(attachments);
        urls = List.copyOf(urls);
    }

    /**
     * @param fileName as the message names it, "" when unnamed
     * @param fileType the extension, lower case ({@code pdf}), or one derived from the content type when there is none
     * @param sha256   lower-case hex of the decoded bytes
     */
    record Attachment(String fileName, String fileType, String sha256, long fileSize) {}

    /** @param location where the URL was found: {@code Body} or {@code Subject} (Defender's UrlLocation) */
    record Url(String url, String domain, String location) {}

    /** The facts of stored bytes: the catch-up path, for a message whose accept-time parse this node doesn't hold. */
    static ContentFacts of(byte[] content) {
        return of(Message.parse(content));
    }

    /**
     * The facts of a parsed message: its (shared, hashed) MIME walk and its first Subject. The accept path hands its
     * stored view here ({@link HuntingFeed#committing}); the catch-up path the parse of the same stored bytes, which
     * reads the same (the parse of a normalised message is the message).
     */
    static ContentFacts of(Message m) {
        MimeSummary s = m.mime();
        List<Attachment> attachments = new ArrayList<>(s.attachments().size());
        for (MimeSummary.Attachment a : s.attachments()) {
            String name = a.fileName() == null ? "" : a.fileName();
            attachments.add(new Attachment(name, fileType(name, a.mimeType()), a.sha256(), a.size()));
        }
        List<Url> urls = new ArrayList<>();
        for (Map.Entry<String, String> u : UrlFinder.find(s.texts(), m.firstDecoded("Subject")).entrySet()) {
            urls.add(new Url(u.getKey(), UrlFinder.domain(u.getKey()), u.getValue()));
        }
        return new ContentFacts(attachments, urls);
    }

    /** Defender's FileType: the file name's extension ({@code report.PDF} is {@code pdf}), else the content type's. */
    static String fileType(String fileName, String mimeType) {
        int dot = fileName.lastIndexOf('.');
        if (dot >= 0 && dot < fileName.length() - 1) {
            String ext = fileName.substring(dot + 1).strip().toLowerCase(Locale.ROOT);
            if (ext.length() <= 16 && ext.chars().allMatch(Character::isLetterOrDigit)) return ext;
        }
        return switch (mimeType == null ? "" : mimeType) {
            case "application/pdf" -> "pdf";
            case "image/jpeg", "image/jpg" -> "jpg";
            case "image/png" -> "png";
            case "image/gif" -> "gif";
            case "text/plain" -> "txt";
            case "text/html" -> "html";
            case "text/calendar" -> "ics";
            case "message/rfc822", "message/global" -> "eml";
            case "application/zip", "application/x-zip-compressed" -> "zip";
            case "application/msword" -> "doc";
            case "application/vnd.openxmlformats-officedocument.wordprocessingml.document" -> "docx";
            case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" -> "xlsx";
            case "application/vnd.ms-excel" -> "xls";
            default -> "";
        };
    }
}
