// Builds the gateway's own messages: non-delivery reports (RFC 3464) and rule notifications, routed like any mail.
package dev.gatehouse.ndr;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.directory.Directory;
import dev.gatehouse.directory.RecipientResolution;
import dev.gatehouse.mail.Directionality;
import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.NetworkMessageIds;
import dev.gatehouse.mail.ProtectedHeaders;
import dev.gatehouse.mail.Text;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;

/**
 * A report is an ordinary {@link IncomingMessage} (header From {@code postmaster@<hostname>}, reverse-path
 * {@code <>}) that the caller writes in the same transaction as the event that caused it, so it is durable and
 * sent once. Its recipient is routed the way intake would: an address the directory resolves to a tenant is
 * delivered locally ({@code Pending}); an address in no tenant's accepted domains is relayed
 * ({@code AwaitingRelay}, owned by the tenant whose mail caused the report); an unknown address in an
 * authoritative domain gets nothing (it could not receive it). Reports bypass mail flow rules (spec §5: rules
 * evaluate all messages except NDRs). A null-sender original never gets an NDR (RFC 5321 §6.1).
 */
public final class Bounces {
    private static final Logger log = LoggerFactory.getLogger(Bounces.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT);

    /**
     * One failed recipient.
     *
     * @param status     the enhanced status, e.g. {@code 5.7.1}
     * @param diagnostic the remote or local reply, e.g. {@code 550 5.7.1 Blocked} (sent as {@code smtp; ...})
     */
    public record Failure(String recipient, String status, String diagnostic) {}

    private final Directory directory;
    private final String hostname;

    public Bounces(Directory directory, String hostname) {
        this.directory = directory;
        this.hostname = hostname;
    }

    public String postmaster() { return "postmaster@" + hostname; }

    /**
     * The NDR to the original sender, or null when none is due (null sender, or a sender that can't receive).
     *
     * @param tenantId the tenant whose recipient failed (owns a relayed NDR)
     * @param original the original message as stored (its header fields are attached)
     */
    public IncomingMessage ndr(long tenantId, String originalNetworkMessageId, String mailFrom, byte[] original, Instant arrival,
                               List<Failure> failures) {
        if (mailFrom == null || mailFrom.isEmpty() || failures.isEmpty()) return null;
        QueuedRecipient to = route(tenantId, mailFrom);
        if (to == null) return null;
        Message h = Message.parse(original);
        String subject = oneLine(h.first("Subject"));
        String boundary = "=_gatehouse_" + UUID.randomUUID();
        String id = NetworkMessageIds.next().toString();
        Instant now = Instant.now();
        StringBuilder m = new StringBuilder();
        m.append("From: Mail Delivery System <").append(postmaster()).append(">\r\n");
        m.append("To: <").append(oneLine(mailFrom)).append(">\r\n");
        m.append("Subject: Undeliverable: ").append(subject == null ? "" : subject).append("\r\n");
        m.append("Date: ").append(DATE.format(now.atZone(ZoneOffset.UTC))).append("\r\n");
        m.append("Message-ID: <").append(id).append('@').append(hostname).append(">\r\n");
        m.append("Auto-Submitted: auto-replied\r\n");
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"").append(boundary).append("\"\r\n\r\n");
        m.append("This is a MIME-encapsulated delivery status notification.\r\n\r\n");
        m.append("--").append(boundary).append("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        m.append("Your message couldn't be delivered to these recipients:\r\n\r\n");
        for (Failure f : failures) m.append("  ").append(oneLine(f.recipient())).append(": ").append(oneLine(f.diagnostic())).append("\r\n");
        m.append("\r\n--").append(boundary).append("\r\nContent-Type: message/delivery-status\r\n\r\n");
        m.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        m.append("X-Gatehouse-Network-Message-Id: ").append(oneLine(originalNetworkMessageId)).append("\r\n");
        m.append("Arrival-Date: ").append(DATE.format(arrival.atZone(ZoneOffset.UTC))).append("\r\n");
        for (Failure f : failures) {
            m.append("\r\nFinal-Recipient: rfc822; ").append(oneLine(f.recipient())).append("\r\n");
            m.append("Action: failed\r\n");
            m.append("Status: ").append(oneLine(f.status())).append("\r\n");
            m.append("Diagnostic-Code: smtp; ").append(oneLine(f.diagnostic())).append("\r\n");
        }
        m.append("\r\n--").append(boundary).append("\r\nContent-Type: text/rfc822-headers\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(m.toString().getBytes(StandardCharsets.UTF_8));
        for (HeaderField f : h.fields()) {
            if (ProtectedHeaders.isProtected(f)) continue; // the gateway's own stamps never leave in a report
            out.writeBytes(f.raw());
        }
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return message(id, now, to, "Undeliverable: " + (subject == null ? "" : subject), out.toByteArray());
    }

    /**
     * A {@code GenerateNotification} message from postmaster to {@code address}, or null when it can't receive.
     *
     * @param text the rule's text with its tokens already expanded ({@link #expand})
     */
    public IncomingMessage notification(long tenantId, String address, String subject, String text) {
        QueuedRecipient to = route(tenantId, address);
        if (to == null) return null;
        String id = NetworkMessageIds.next().toString();
        Instant now = Instant.now();
        String subj = "Notification: " + oneLine(subject == null ? "" : subject);
        String body = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
        String m = "From: <" + postmaster() + ">\r\nTo: <" + oneLine(address) + ">\r\nSubject: " + subj + "\r\n"
                + "Date: " + DATE.format(now.atZone(ZoneOffset.UTC)) + "\r\nMessage-ID: <" + id + "@" + hostname + ">\r\n"
                + "Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n" + body + (body.endsWith("\r\n") ? "" : "\r\n");
        return message(id, now, to, subj, m.getBytes(StandardCharsets.UTF_8));
    }

    /** Expands {@code %%From%% %%To%% %%Cc%% %%Subject%% %%Headers%% %%MessageDate%%} from the message's header fields. */
    public static String expand(String text, Message h) {
        StringBuilder headers = new StringBuilder();
        for (HeaderField f : h.fields()) {
            if (ProtectedHeaders.isProtected(f)) continue; // the gateway's own stamps never leave in a report
            if (!headers.isEmpty()) headers.append("\r\n");
            headers.append(oneLine(f.name())).append(": ").append(oneLine(f.value()));
        }
        return text.replace("%%From%%", nz(h.first("From"))).replace("%%To%%", nz(h.first("To"))).replace("%%Cc%%", nz(h.first("Cc")))
                .replace("%%Subject%%", nz(h.first("Subject"))).replace("%%MessageDate%%", nz(h.first("Date")))
                .replace("%%Headers%%", headers.toString());
    }

    private static String nz(String v) { return v == null ? "" : oneLine(v); }

    /** A value placed in a header field or a report line: no CR, LF or other control characters. */
    static String oneLine(String v) { return Text.oneLine(v); }

    /** Where a report to {@code address} goes; null if nowhere. */
    QueuedRecipient route(long fallbackTenant, String address) {
        return switch (directory.resolveRecipient(address)) {
            case RecipientResolution.Accepted a -> new QueuedRecipient(a.tenantId(), a.canonicalAddress(), a.mailboxId(),
                    RecipientStatus.Pending, null, Directionality.Incoming, null, false, null);
            case RecipientResolution.UnknownRecipient u -> {
                log.info("event=report_not_sent recipient=\"{}\" reason=unknown_recipient_in_accepted_domain", address);
                yield null;
            }
            case RecipientResolution.NoTenant n -> new QueuedRecipient(fallbackTenant, address, null, RecipientStatus.AwaitingRelay,
                    null, Directionality.Originating, null, false, null);
        };
    }

    private IncomingMessage message(String id, Instant now, QueuedRecipient to, String subject, byte[] content) {
        return new IncomingMessage(id, now, "", null, hostname, null, null, "<" + id + "@" + hostname + ">", subject,
                postmaster(), content, content.length, List.of(to), List.of(), new ArrayList<>(), null);
    }

}
