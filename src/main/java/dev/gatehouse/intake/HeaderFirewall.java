// Stage 2 of the accept path: the header firewall, and the gateway's own trace fields on top.
package dev.gatehouse.intake;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.ProtectedHeaders;
import dev.gatehouse.mail.TenantCopy;
import dev.gatehouse.mail.Text;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.pipeline.Stage;
import dev.gatehouse.smtp.SmtpReply;

/**
 * Exchange's header firewall (spec §4.1) and the stamping done to every accepted message before anything
 * else reads it. Every field {@link ProtectedHeaders} names that arrived from outside is removed, folded
 * lines included, so a sender can never claim {@code AuthAs: Internal}; the message was parsed and
 * normalised once ({@link Message#parse}), so the removal covers every spelling a mail client would read
 * as one of those names ({@code Name :}, after a stray line, ...). Then the gateway's {@code Received}
 * trace field (with TLS version and cipher when used) and the network message id go on top. Values
 * interpolated into those fields are stripped of CR, LF, NUL and other controls so no client string can
 * start a new header.
 *
 * <p>Loop protection, as Postfix's {@code hopcount_limit}: a message that already has {@link #MAX_HOPS}
 * {@code Received} fields is refused with {@code 554 5.4.6}.
 */
public final class HeaderFirewall implements Stage {

    /** Loop protection, as Postfix's hopcount_limit. */
    public static final int MAX_HOPS = 50;

    public static final SmtpReply LOOP = SmtpReply.of(554, "5.4.6", "Hop count exceeded - possible mail loop");

    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private final String hostname;

    public HeaderFirewall(String hostname) {
        this.hostname = Text.clean(hostname, 255);
    }

    /** What the session knows about the hop, for the Received field. */
    public record Hop(String helo, String clientIp, String tlsProtocol, String tlsCipher, boolean esmtp,
                      String networkMessageId, ZonedDateTime receivedAt) {}

    @Override
    public Refusal apply(Accepting m) {
        if (m.received().count("Received") >= MAX_HOPS) return new Refusal(LOOP, RefusalReason.MAIL_LOOP);
        Accepting.Client c = m.client();
        m.stored(stamp(m.received(), new Hop(c.helo(), c.ipText(), c.tlsProtocol(), c.tlsCipher(), c.esmtp(), m.networkMessageId(),
                m.receivedAt().atZone(ZoneOffset.UTC))));
        return null;
    }

    /** The received message without protected fields, with the Received field and network message id on top. */
    public Message stamp(Message received, Hop hop) {
        return received.without(ProtectedHeaders::isProtected).prepend(List.of(
                new HeaderField("Received", receivedField(hop).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                HeaderField.of(TenantCopy.NETWORK_MESSAGE_ID, Text.clean(hop.networkMessageId(), 64))));
    }

    String receivedField(Hop hop) {
        StringBuilder sb = new StringBuilder("Received: from ");
        String helo = heloName(hop.helo());
        sb.append(helo.isEmpty() ? "unknown" : helo).append(" (").append(Text.clean(hop.clientIp(), 64)).append(")\r\n by ")
                .append(hostname).append(" (Gatehouse) with ").append(hop.esmtp() ? (hop.tlsProtocol() != null ? "ESMTPS" : "ESMTP") : "SMTP");
        if (hop.tlsProtocol() != null) {
            sb.append("\r\n (version=").append(tlsVersionName(hop.tlsProtocol())).append(", cipher=")
                    .append(Text.clean(hop.tlsCipher(), 128)).append(')');
        }
        sb.append(" id ").append(Text.clean(hop.networkMessageId(), 64)).append(";\r\n ").append(RFC5322.format(hop.receivedAt())).append("\r\n");
        return sb.toString();
    }

    /**
     * The HELO/EHLO argument as Postfix writes it in {@code Received:}: only the name, a host name (letters,
     * digits, {@code .-_}) or an address literal ({@code [192.0.2.1]}, {@code [IPv6:...]}), at most 255
     * characters, and nothing the client wrote after it, so {@code EHLO mail.contoso.com (10.1.2.3)} can't put a
     * second address in the field; the address shown is always the connection's. "" when nothing is left.
     */
    static String heloName(String helo) {
        if (helo == null) return "";
        String h = helo.strip();
        if (h.startsWith("[")) {
            int end = 1;
            while (end < h.length() && end < 255 && (Character.isLetterOrDigit(h.charAt(end)) || ".:-".indexOf(h.charAt(end)) >= 0)) end++;
            return end < h.length() && h.charAt(end) == ']' ? h.substring(0, end + 1) : "";
        }
        int end = 0;
        while (end < h.length() && end < 255 && (Character.isLetterOrDigit(h.charAt(end)) || ".-_".indexOf(h.charAt(end)) >= 0)) end++;
        return h.substring(0, end);
    }

    /** {@code TLSv1.3} becomes {@code TLS1_3}, the form Exchange writes in its Received fields. */
    static String tlsVersionName(String protocol) {
        return Text.clean(protocol, 32).replace("TLSv", "TLS").replace('.', '_');
    }
}
