// The one message model: a message parsed once, at end of data, and the view every later stage reads.
package dev.gatehouse.mail;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An immutable message: its header fields in canonical form ({@link HeaderSection}) and the rest (blank
 * line and body) as bytes. The gateway parses a received message once, with {@link #parse}; the header
 * firewall, the stamps and each tenant's copy are new views made from it by adding or removing fields
 * ({@link #without}, {@link #prepend}, {@link #withTenantStamp}), which share the body bytes and the
 * result of the MIME walk instead of parsing again. What any stage reads here is what the bytes say to
 * every common parser, because the parse normalised the header section first: the header set the
 * firewall and the rules act on is the header set a mail client reads from the delivered copy.
 *
 * <p>Thread-safety: immutable; the lazily computed serialisation and MIME summary may be computed twice
 * by racing threads, with equal results.
 */
public final class Message {
    private final List<HeaderField> fields;
    private final byte[] tail;
    private final int tailOffset;
    private final List<HeaderSection.Repair> repairs;
    private final MimeHolder mime;
    private byte[] bytes;
    private HeaderFrom headerFrom;

    /** The MIME walk's result, shared by the views that differ only in fields the walk does not read. */
    private static final class MimeHolder {
        MimeSummary summary;
    }

    private Message(List<HeaderField> fields, byte[] tail, int tailOffset, List<HeaderSection.Repair> repairs, MimeHolder mime) {
        this.fields = Collections.unmodifiableList(fields);
        this.tail = tail;
        this.tailOffset = tailOffset;
        this.repairs = repairs;
        this.mime = mime;
    }

    /** Parses (and normalises) a message; see {@link HeaderSection}. Never throws for any bytes. */
    public static Message parse(byte[] content) {
        HeaderSection.Parsed p = HeaderSection.parse(content);
        return new Message(new ArrayList<>(p.fields()), p.tail(), p.tailOffset(), List.copyOf(p.repairs()), new MimeHolder());
    }

    // --- header fields ---------------------------------------------------------------------------

    public List<HeaderField> fields() { return fields; }

    /** What the parse changed to put the header section in canonical form (empty when nothing). */
    public List<HeaderSection.Repair> repairs() { return repairs; }

    /** The fields with this name, in order. */
    public List<HeaderField> all(String name) {
        List<HeaderField> out = new ArrayList<>(1);
        for (HeaderField f : fields) if (f.is(name)) out.add(f);
        return out;
    }

    /** The unfolded value of the first field with this name, or null. */
    public String first(String name) {
        for (HeaderField f : fields) if (f.is(name)) return f.value();
        return null;
    }

    /** The first value, RFC 2047-decoded, or null. */
    public String firstDecoded(String name) {
        for (HeaderField f : fields) if (f.is(name)) return f.decoded();
        return null;
    }

    /** Every value of this name, RFC 2047-decoded, in order. */
    public List<String> decoded(String name) {
        List<String> out = new ArrayList<>(1);
        for (HeaderField f : fields) if (f.is(name)) out.add(f.decoded());
        return out;
    }

    /** Every value of this name, unfolded but not decoded, in order. */
    public List<String> values(String name) {
        List<String> out = new ArrayList<>(1);
        for (HeaderField f : fields) if (f.is(name)) out.add(f.value());
        return out;
    }

    public int count(String name) {
        int c = 0;
        for (HeaderField f : fields) if (f.is(name)) c++;
        return c;
    }

    /** Every Subject a client could show (there should be one; a hostile message may carry several). */
    public List<String> subjects() { return decoded("Subject"); }

    /**
     * Every text any client may show for any Subject field ({@link HeaderField#shownReadings}): what subject
     * conditions test, so a Subject decoded one way by one reader and another way by the next can't hide from them.
     */
    public List<String> subjectReadings() {
        List<String> out = new ArrayList<>(2);
        for (HeaderField f : fields) if (f.is("Subject")) out.addAll(f.shownReadings());
        return out;
    }

    /** Every reading of every value of this name ({@link HeaderField#values()}): the bytes as UTF-8 and as written. */
    private List<String> valueReadings(String name) {
        List<String> out = new ArrayList<>(1);
        for (HeaderField f : fields) if (f.is(name)) out.addAll(f.values());
        return out;
    }

    /** The header From, defined once: see {@link HeaderFrom}. Computed at the first call, then kept. */
    public HeaderFrom headerFrom() {
        HeaderFrom h = headerFrom; // computed once (the fields never change); a race computes the same value twice
        if (h == null) {
            Addresses.Scan scan = Addresses.scanAll(valueReadings("From"));
            h = new HeaderFrom(count("From"), scan.addresses(), scan.complete());
            headerFrom = h;
        }
        return h;
    }

    /** Every address in every field of this name (From, To, Cc, ...), lower case: {@link Addresses#scan}. */
    public Set<String> addresses(String name) { return Addresses.scan(valueReadings(name)); }

    // --- bytes ------------------------------------------------------------------------------------

    /** The message as bytes: the fields, then the blank line and body. Computed once; do not modify. */
    public byte[] bytes() {
        byte[] b = bytes;
        if (b == null) {
            b = new byte[size()];
            int at = 0;
            for (HeaderField f : fields) {
                System.arraycopy(f.raw(), 0, b, at, f.raw().length);
                at += f.raw().length;
            }
            System.arraycopy(tail, tailOffset, b, at, tail.length - tailOffset);
            bytes = b;
        }
        return b;
    }

    /** Size in bytes of {@link #bytes()}. */
    public int size() {
        int n = tail.length - tailOffset;
        for (HeaderField f : fields) n += f.raw().length;
        return n;
    }

    /** The bytes as a stream, without copying the body. */
    public InputStream openStream() {
        if (bytes != null) return new ByteArrayInputStream(bytes);
        List<InputStream> parts = new ArrayList<>(fields.size() + 1);
        for (HeaderField f : fields) parts.add(new ByteArrayInputStream(f.raw()));
        parts.add(new ByteArrayInputStream(tail, tailOffset, tail.length - tailOffset));
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /**
     * The text parts and attachments (walked once, shared with the views made from this one), each attachment with
     * its SHA-256: the rules read the names and text, hunting lists the hashes (EmailAttachmentInfo), and both read
     * this one walk instead of walking again; hashing costs little beside the decoding the walk does anyway.
     */
    public MimeSummary mime() {
        MimeSummary s = mime.summary;
        if (s == null) {
            s = MimeWalk.walk(openStream(), true, size());
            mime.summary = s;
        }
        return s;
    }

    // --- views --------------------------------------------------------------------------------------

    /** This message without the fields the predicate selects (the firewall: {@code without(ProtectedHeaders::isProtected)}). */
    public Message without(Predicate<HeaderField> drop) {
        List<HeaderField> kept = new ArrayList<>(fields.size());
        boolean content = false;
        for (HeaderField f : fields) {
            if (drop.test(f)) content |= f.hasPrefix("content-") || f.is("MIME-Version");
            else kept.add(f);
        }
        return kept.size() == fields.size() ? this : derive(kept, content);
    }

    /** This message with the fields put before the others (trace fields are prepended: RFC 5321 §4.4). */
    public Message prepend(List<HeaderField> first) {
        List<HeaderField> all = new ArrayList<>(first.size() + fields.size());
        all.addAll(first);
        all.addAll(fields);
        return derive(all, touchesContent(first));
    }

    /**
     * A tenant's copy: its stamp fields right after the gateway's leading {@code Received} and network
     * message id fields, as {@link TenantCopy#assemble} writes the delivered bytes.
     */
    public Message withTenantStamp(List<HeaderField> stamp) {
        if (stamp.isEmpty()) return this;
        int at = 0;
        if (at < fields.size() && fields.get(at).is("Received")) at++;
        if (at < fields.size() && fields.get(at).is(TenantCopy.NETWORK_MESSAGE_ID)) at++;
        List<HeaderField> all = new ArrayList<>(fields.size() + stamp.size());
        all.addAll(fields.subList(0, at));
        all.addAll(stamp);
        all.addAll(fields.subList(at, fields.size()));
        return derive(all, touchesContent(stamp));
    }

    /** The same body with other header fields (header edits); the MIME walk is shared when no Content-* field changed. */
    public Message withFields(List<HeaderField> newFields, boolean contentFieldsChanged) {
        return derive(new ArrayList<>(newFields), contentFieldsChanged);
    }

    private Message derive(List<HeaderField> newFields, boolean contentChanged) {
        return new Message(newFields, tail, tailOffset, repairs, contentChanged ? new MimeHolder() : mime);
    }

    private static boolean touchesContent(List<HeaderField> fs) {
        for (HeaderField f : fs) if (f.hasPrefix("content-") || f.is("MIME-Version")) return true;
        return false;
    }

    /** Parses CRLF-terminated stamp text ({@code Name: value\r\n...}) written by the gateway into fields. */
    public static List<HeaderField> fieldsOf(String text) {
        if (text == null || text.isEmpty()) return List.of();
        return HeaderSection.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).fields();
    }
}
