package dev.gatehouse.intake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * The header firewall and the stamping done to every accepted message before anything else reads it.
 *
 * <p>Firewall (Exchange's header firewall, spec §4.1): every {@code X-MS-Exchange-Organization-*},
 * {@code X-MS-Exchange-CrossTenant-*} and {@code X-MS-Exchange-CrossPremises-*} field that arrives from
 * outside is removed, folded continuation lines included, so a sender can never claim
 * {@code AuthAs: Internal}. Stamping prepends our {@code Received} trace field (with TLS version and
 * cipher when used) and the network message id. Values interpolated into our fields are stripped of
 * CR, LF, NUL and other controls so no client string can start a new header.
 */
public final class Intake {

    /** Lower-cased prefixes of the fields only Gatehouse may write. */
    static final List<String> PROTECTED_PREFIXES = List.of(
            "x-ms-exchange-organization-", "x-ms-exchange-crosstenant-", "x-ms-exchange-crosspremises-",
            "x-eopattributedmessage", "x-eoptenantattributedmessage", "x-crosspremisesheaders");

    /** Loop protection, as Postfix's hopcount_limit. */
    public static final int MAX_HOPS = 50;

    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private final String hostname;

    public Intake(String hostname) {
        this.hostname = clean(hostname, 255);
    }

    /** What the session knows about the hop, for the Received field. */
    public record Hop(String helo, String clientIp, String tlsProtocol, String tlsCipher, boolean esmtp,
                      String networkMessageId, ZonedDateTime receivedAt) {}

    /** The stamped message and the facts read from its headers (decoded), for trace and rules. */
    public record Result(byte[] content, String subject, String internetMessageId, String headerFrom,
                         int hops, int removedFields) {
        /** Loop protection: as many Received fields as {@link #MAX_HOPS} or more already. */
        public boolean tooManyHops() { return hops >= MAX_HOPS; }
    }

    public Result process(byte[] received, Hop hop) {
        HeaderBlock headers = HeaderBlock.parse(received);
        ByteArrayOutputStream out = new ByteArrayOutputStream(received.length + 512);
        out.writeBytes(receivedField(hop).getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(("X-MS-Exchange-Organization-Network-Message-Id: " + hop.networkMessageId() + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        int removed = 0;
        for (HeaderBlock.Field f : headers.fields()) {
            if (isProtected(f)) { removed++; continue; }
            out.writeBytes(f.raw());
        }
        out.write(received, headers.bodyOffset(), received.length - headers.bodyOffset());
        return new Result(out.toByteArray(), decoded(headers.first("Subject")), clean(headers.first("Message-ID"), 998),
                decoded(headers.first("From")), headers.count("Received"), removed);
    }

    /** A field only Gatehouse may write: removed when it arrives from outside, never copied into a report. */
    public static boolean isProtected(HeaderBlock.Field f) {
        for (String p : PROTECTED_PREFIXES) if (HeaderBlock.hasPrefix(f, p)) return true;
        return false;
    }

    String receivedField(Hop hop) {
        StringBuilder sb = new StringBuilder("Received: from ");
        String helo = clean(hop.helo(), 255);
        sb.append(helo.isEmpty() ? "unknown" : helo).append(" (").append(clean(hop.clientIp(), 64)).append(")\r\n by ")
                .append(hostname).append(" (Gatehouse) with ").append(hop.esmtp() ? (hop.tlsProtocol() != null ? "ESMTPS" : "ESMTP") : "SMTP");
        if (hop.tlsProtocol() != null) {
            sb.append("\r\n (version=").append(tlsVersionName(hop.tlsProtocol())).append(", cipher=")
                    .append(clean(hop.tlsCipher(), 128)).append(')');
        }
        sb.append(" id ").append(hop.networkMessageId()).append(";\r\n ").append(RFC5322.format(hop.receivedAt())).append("\r\n");
        return sb.toString();
    }

    /** {@code TLSv1.3} becomes {@code TLS1_3}, the form Exchange writes in its Received fields. */
    static String tlsVersionName(String protocol) {
        return clean(protocol, 32).replace("TLSv", "TLS").replace('.', '_');
    }

    /** Removes controls (CR, LF, NUL, …) and clips; null becomes "". */
    static String clean(String s, int max) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != 0x7f) sb.append(c);
        }
        return sb.toString();
    }

    /** RFC 2047 decoding of a header value; undecodable words stay as they are. Null stays null. */
    static String decoded(String raw) {
        if (raw == null) return null;
        String v = DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT);
        return clean(v, 998);
    }
}
