// What the MIME walk found in a message: its body text parts and its attachments.
package dev.gatehouse.mail;

import java.util.List;

/**
 * @param texts             the body text parts in order (not attachments), decoded, bounded in all
 * @param attachments       every attachment, nested messages' included
 * @param signedOrEncrypted a {@code multipart/signed}, {@code multipart/encrypted} or PKCS #7 part was seen
 * @param error             why the walk stopped early, or null when it read the whole message
 */
public record MimeSummary(List<TextPart> texts, List<Attachment> attachments, boolean signedOrEncrypted, String error) {
    public MimeSummary {
        texts = List.copyOf(texts);
        attachments = List.copyOf(attachments);
    }

    /** @param mimeType lower case, e.g. {@code text/html} */
    public record TextPart(String mimeType, String text) {
        public boolean html() { return mimeType.equals("text/html"); }
    }

    /**
     * @param fileName the decoded file name, or null for an unnamed attachment
     * @param mimeType lower case
     * @param size     decoded size in bytes
     * @param sha256   lower-case hex, or null when the walk was asked not to hash
     */
    public record Attachment(String fileName, String mimeType, long size, String sha256) {}

    /** The body text parts joined by a line break (HTML as written). */
    public String bodyText() {
        if (texts.size() == 1) return texts.getFirst().text();
        StringBuilder sb = new StringBuilder();
        for (TextPart t : texts) {
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(t.text());
        }
        return sb.toString();
    }

    /** The file names of the named attachments, in order. */
    public List<String> attachmentNames() {
        return attachments.stream().map(Attachment::fileName).filter(n -> n != null).toList();
    }
}
