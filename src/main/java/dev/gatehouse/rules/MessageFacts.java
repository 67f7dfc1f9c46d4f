// What the rule conditions read from one tenant's copy of a message: headers (decoded), sender, client IP, size, body, attachments.
package dev.gatehouse.rules;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.MimeSummary;

/**
 * A tenant's copy of the message as the rules read it: the view of the one parsed message ({@link Message})
 * with that tenant's stamp fields, shared by every rule of the tenant. Header values are unfolded and RFC
 * 2047-decoded (spec §5.2: matching runs on decoded values). Every Subject and every From field counts (a
 * client may show any of them); the From addresses are {@link dev.gatehouse.mail.HeaderFrom}'s. The body
 * text and the attachment names come from the message's one MIME walk, done the first time a condition
 * asks, so rule sets that never look at the body never pay for it. Not thread-safe: one instance per
 * message evaluation.
 */
public final class MessageFacts {
    private final Message message;
    private final String envelopeFrom;
    private final InetAddress clientIp;
    private List<String> subjects;
    private List<String> fromAddresses;
    private final HashMap<String, List<String>> headerCache = new HashMap<>();
    private final IdentityHashMap<String, String> lowerCache = new IdentityHashMap<>();
    private byte[] clientIpBytes;

    public MessageFacts(Message message, String envelopeFrom, InetAddress clientIp) {
        this.message = message;
        this.envelopeFrom = envelopeFrom == null ? "" : envelopeFrom.toLowerCase(Locale.ROOT);
        this.clientIp = clientIp;
    }

    /** The tenant's copy as a message view. */
    public Message message() { return message; }

    /** The tenant's copy as bytes (the content disclaimers are built from). */
    public byte[] content() { return message.bytes(); }

    public long size() { return message.size(); }

    public InetAddress clientIp() { return clientIp; }

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
        List<String> out = message.decoded(name);
        headerCache.put(key, out);
        return out;
    }

    /** The lower-case form of a value read from this message, computed once per value (word matching reads it often). */
    public String lower(String value) {
        if (value == null) return null;
        return lowerCache.computeIfAbsent(value, v -> v.toLowerCase(Locale.ROOT));
    }

    public String firstHeader(String name) { return message.firstDecoded(name); }

    /** The first Subject ("" when none): what tokens such as %%Subject%% show. */
    public String subject() {
        List<String> all = subjects();
        return all.isEmpty() ? "" : all.getFirst();
    }

    /**
     * Every text a client may show for any Subject field ({@link Message#subjectReadings}): a subject condition holds
     * when it holds for any of them.
     */
    public List<String> subjects() {
        if (subjects == null) subjects = message.subjectReadings();
        return subjects;
    }

    /** The header From's addresses, lower case ({@link dev.gatehouse.mail.HeaderFrom}). */
    public List<String> fromAddresses() {
        if (fromAddresses == null) fromAddresses = List.copyOf(message.headerFrom().addresses());
        return fromAddresses;
    }

    /** Addresses of every field with this name (To, Cc, From), lower case. */
    public List<String> addresses(String headerName) { return new ArrayList<>(message.addresses(headerName)); }

    /**
     * True when Gatehouse stamped the copy as Originating ({@code AuthAs: Internal} or
     * {@code MessageDirectionality: Originating}); the header firewall removed any value a sender wrote.
     */
    public boolean originating() {
        String authAs = message.first("X-MS-Exchange-Organization-AuthAs");
        String direction = message.first("X-MS-Exchange-Organization-MessageDirectionality");
        return (authAs != null && authAs.strip().equalsIgnoreCase("Internal"))
                || (direction != null && direction.strip().equalsIgnoreCase("Originating"));
    }

    /** Low, Normal or High from Importance / X-Priority; Normal when absent. */
    public String importance() {
        String imp = message.first("Importance");
        if (imp != null) {
            String v = imp.strip().toLowerCase(Locale.ROOT);
            if (v.startsWith("high")) return "High";
            if (v.startsWith("low")) return "Low";
            return "Normal";
        }
        String p = message.first("X-Priority");
        if (p != null && !p.isBlank()) {
            char c = p.strip().charAt(0);
            if (c == '1' || c == '2') return "High";
            if (c == '4' || c == '5') return "Low";
        }
        return "Normal";
    }

    /** The decoded text of the text parts that are not attachments (HTML included as text), bounded. */
    public String body() { return mime().bodyText(); }

    /** File names of the attachments, nested messages included. */
    public List<String> attachmentNames() { return mime().attachmentNames(); }

    private MimeSummary mime() {
        MimeSummary s = message.mime();
        if (s.error() != null) throw new RuleEvaluationException("the message's MIME structure could not be read: " + s.error());
        return s;
    }
}
