// What the rule conditions read from one message: headers (decoded), sender, client IP, size, body, attachments.
package dev.gatehouse.rules;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

import dev.gatehouse.intake.HeaderBlock;

/**
 * The message as it is stored (after the header firewall and stamping), read once per message and shared
 * by every rule of every tenant. Header values are unfolded and RFC 2047-decoded (spec §5.2: matching runs
 * on decoded values). The body text and the attachment names need a MIME walk, done lazily the first time
 * a condition asks, so rule sets that never look at the body never pay for it. Not thread-safe: one
 * instance per message evaluation.
 */
public final class MessageFacts {
    /** Bodies are inspected up to this many characters, as Exchange inspects a bounded prefix. */
    static final int MAX_BODY_CHARS = 1 << 20;

    private final HeaderBlock headers;
    private final byte[] content;
    private final String envelopeFrom;
    private final InetAddress clientIp;
    private String subject;
    private List<String> fromAddresses;
    private String body;
    private List<String> attachmentNames;
    private final java.util.HashMap<String, List<String>> headerCache = new java.util.HashMap<>();
    private final java.util.IdentityHashMap<String, String> lowerCache = new java.util.IdentityHashMap<>();

    public MessageFacts(byte[] content, String envelopeFrom, InetAddress clientIp) {
        this.content = content;
        this.headers = HeaderBlock.parse(content);
        this.envelopeFrom = envelopeFrom == null ? "" : envelopeFrom.toLowerCase(Locale.ROOT);
        this.clientIp = clientIp;
    }

    public byte[] content() { return content; }

    public long size() { return content.length; }

    public InetAddress clientIp() { return clientIp; }

    private byte[] clientIpBytes;

    /** The client address bytes, read once (InetAddress.getAddress copies on every call). */
    public byte[] clientIpBytes() {
        if (clientIpBytes == null && clientIp != null) clientIpBytes = clientIp.getAddress();
        return clientIpBytes;
    }

    /** The reverse-path, lower case ("" for the null sender). */
    public String envelopeFrom() { return envelopeFrom; }

    /** Decoded values of every field with this name, in order. */
    public List<String> header(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        List<String> cached = headerCache.get(key);
        if (cached != null) return cached;
        List<String> out = new ArrayList<>(1);
        for (HeaderBlock.Field f : headers.fields()) if (f.is(name)) out.add(decode(f.value()));
        headerCache.put(key, out);
        return out;
    }

    /** The lower-case form of a value read from this message, computed once per value (word matching reads it often). */
    public String lower(String value) {
        if (value == null) return null;
        return lowerCache.computeIfAbsent(value, v -> v.toLowerCase(Locale.ROOT));
    }

    public String firstHeader(String name) {
        String v = headers.first(name);
        return v == null ? null : decode(v);
    }

    public String subject() {
        if (subject == null) {
            String s = firstHeader("Subject");
            subject = s == null ? "" : s;
        }
        return subject;
    }

    /** Addresses of the From header, lower case. */
    public List<String> fromAddresses() {
        if (fromAddresses == null) fromAddresses = addresses("From");
        return fromAddresses;
    }

    /** Addresses of every field with this name (To, Cc, From), lower case. */
    public List<String> addresses(String headerName) {
        List<String> out = new ArrayList<>();
        for (HeaderBlock.Field f : headers.fields()) {
            if (!f.is(headerName)) continue;
            try {
                for (Address a : LenientAddressParser.DEFAULT.parseAddressList(f.value())) {
                    if (a instanceof Mailbox m) out.add(m.getAddress().toLowerCase(Locale.ROOT));
                    else if (a instanceof Group g) for (Mailbox m : g.getMailboxes()) out.add(m.getAddress().toLowerCase(Locale.ROOT));
                }
            } catch (RuntimeException ignored) {
                // an unparseable address list contributes no addresses
            }
        }
        return out;
    }

    /**
     * True when Gatehouse stamped the copy as Originating ({@code AuthAs: Internal} or
     * {@code MessageDirectionality: Originating}); the header firewall removed any value a sender wrote.
     */
    public boolean originating() {
        String authAs = headers.first("X-MS-Exchange-Organization-AuthAs");
        String direction = headers.first("X-MS-Exchange-Organization-MessageDirectionality");
        return (authAs != null && authAs.strip().equalsIgnoreCase("Internal"))
                || (direction != null && direction.strip().equalsIgnoreCase("Originating"));
    }

    /** Low, Normal or High from Importance / X-Priority; Normal when absent. */
    public String importance() {
        String imp = headers.first("Importance");
        if (imp != null) {
            String v = imp.strip().toLowerCase(Locale.ROOT);
            if (v.startsWith("high")) return "High";
            if (v.startsWith("low")) return "Low";
            return "Normal";
        }
        String p = headers.first("X-Priority");
        if (p != null && !p.isBlank()) {
            char c = p.strip().charAt(0);
            if (c == '1' || c == '2') return "High";
            if (c == '4' || c == '5') return "Low";
        }
        return "Normal";
    }

    /** The decoded text of the text parts that are not attachments (HTML included as text), bounded. */
    public String body() {
        if (body == null) walk();
        return body;
    }

    /** File names of the attachments, nested messages included. */
    public List<String> attachmentNames() {
        if (attachmentNames == null) walk();
        return attachmentNames;
    }

    private void walk() {
        StringBuilder text = new StringBuilder();
        List<String> names = new ArrayList<>();
        MimeConfig config = MimeConfig.PERMISSIVE;
        MimeTokenStream stream = new MimeTokenStream(config, DecodeMonitor.SILENT, new DefaultBodyDescriptorBuilder());
        stream.setRecursionMode(RecursionMode.M_RECURSE);
        try (InputStream in = new java.io.ByteArrayInputStream(content)) {
            stream.parse(in);
            for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
                if (s != EntityState.T_BODY) continue;
                MaximalBodyDescriptor d = (MaximalBodyDescriptor) stream.getBodyDescriptor();
                String name = d.getContentDispositionFilename();
                if (name == null) name = d.getContentTypeParameters().get("name");
                boolean attachment = "attachment".equalsIgnoreCase(d.getContentDispositionType()) || name != null;
                if (name != null) names.add(decode(name));
                if (!attachment && d.getMimeType().toLowerCase(Locale.ROOT).startsWith("text/") && text.length() < MAX_BODY_CHARS) {
                    Charset cs = charset(d.getCharset());
                    byte[] bytes = stream.getDecodedInputStream().readNBytes(MAX_BODY_CHARS * 2);
                    if (!text.isEmpty()) text.append('\n');
                    text.append(new String(bytes, cs), 0, Math.min(MAX_BODY_CHARS - text.length(), new String(bytes, cs).length()));
                }
            }
        } catch (IOException | MimeException | RuntimeException e) {
            throw new RuleEvaluationException("the message's MIME structure could not be read: " + e.getMessage());
        }
        body = text.toString();
        attachmentNames = List.copyOf(names);
    }

    private static Charset charset(String name) {
        try {
            return name == null ? StandardCharsets.US_ASCII : Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    static String decode(String raw) {
        return raw.indexOf("=?") < 0 ? raw : DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT);
    }
}
