// One message on the accept path: the facts of its arrival, what the stages decided, what will be committed.
package dev.gatehouse.pipeline;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.TenantCopy;
import dev.gatehouse.mail.Text;
import dev.gatehouse.queue.EnqueueHook;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.queue.TraceEventType;

/**
 * The state one message carries through the {@link Stage}s, from the client's end of data to the durable
 * commit. The facts of its arrival are fixed ({@link #networkMessageId()}, {@link #client()},
 * {@link #mailFrom()}, {@link #routes()}, and {@link #received()}, the message parsed once); the stages
 * fill in the rest in order: the stored form (header firewall and stamps), the recipients with their
 * verdicts, content variants, trace events, extra writes and report requests. {@link #toIncoming()} is
 * what the queue commits.
 *
 * <p>Not thread-safe: one session's thread runs the stages of one message.
 */
public final class Accepting {

    /** What the SMTP session knows about the client (the hop). */
    public record Client(String sessionId, InetAddress ip, String helo, boolean esmtp, String tlsProtocol, String tlsCipher) {
        public String ipText() { return ip == null ? null : ip.getHostAddress(); }
    }

    /** One recipient as the stages see it: the row that will be stored and what was decided for it. */
    public record Recipient(QueuedRecipient row, Verdict verdict) {
        public Recipient { Objects.requireNonNull(verdict, "verdict"); }
    }

    /**
     * A {@code GenerateNotification} a rule asked for: the text to send to {@code recipient}, whose tokens
     * ({@code %%Subject%%}, ...) read {@code copy}, the tenant's copy the rule matched.
     */
    public record NotificationRequest(long tenantId, String recipient, String text, Message copy) {}

    private final String networkMessageId;
    private final Instant receivedAt;
    private final Client client;
    private final String mailFrom;
    private final List<Route> routes;
    private final Message received;
    private Message stored;
    private List<Recipient> recipients = List.of();
    private final List<byte[]> variants = new ArrayList<>();
    private final List<MessageTraceEvent> events = new ArrayList<>();
    private final List<EnqueueHook> hooks = new ArrayList<>();
    private final List<NotificationRequest> notifications = new ArrayList<>();
    private int ndrs;
    private final Map<String, Message> tenantViews = new HashMap<>();
    private final Map<String, InetAddress> originalClients = new HashMap<>();
    private final Map<Class<?>, Object> stageState = new HashMap<>();
    private final StringBuilder logFields = new StringBuilder();

    /**
     * @param mailFrom the reverse-path, "" for the null sender
     * @param routes   the accepted recipients' routes, in RCPT order (a recipient given twice appears twice)
     * @param received the message as received, parsed once ({@link Message#parse})
     */
    public Accepting(String networkMessageId, Instant receivedAt, Client client, String mailFrom, List<Route> routes, Message received) {
        this.networkMessageId = Objects.requireNonNull(networkMessageId);
        this.receivedAt = Objects.requireNonNull(receivedAt);
        this.client = Objects.requireNonNull(client);
        this.mailFrom = mailFrom == null ? "" : mailFrom;
        this.routes = List.copyOf(routes);
        this.received = Objects.requireNonNull(received);
        this.stored = received;
    }

    public String networkMessageId() { return networkMessageId; }

    public Instant receivedAt() { return receivedAt; }

    public Client client() { return client; }

    public String mailFrom() { return mailFrom; }

    /**
     * The client address one recipient's checks read: the original sender found by Enhanced Filtering for
     * Connectors on its tenant's connector (spec §3.1 {@code EFSkipIPs}/{@code EFSkipLastIP}, limited to
     * {@code EFUsers} when set), else the connecting client. SPF, DMARC, compauth and the rule condition
     * {@code -SenderIpRanges} read this, never {@link Client#ip()} directly, so a third-party filter in front
     * does not make every message look as if it came from the filter.
     */
    public InetAddress clientIpFor(long tenantId, String recipient) {
        InetAddress original = originalClients.get(tenantId + "\0" + recipient);
        return original != null ? original : client.ip();
    }

    /** Whether Enhanced Filtering found an original client for this recipient ({@link #clientIpFor} differs from the hop). */
    public boolean enhancedFiltering(long tenantId, String recipient) { return originalClients.containsKey(tenantId + "\0" + recipient); }

    /** Records the original client Enhanced Filtering found for one recipient (its address as stored). */
    public void originalClient(long tenantId, String recipient, InetAddress ip) {
        originalClients.put(tenantId + "\0" + recipient, Objects.requireNonNull(ip));
    }

    public List<Route> routes() { return routes; }

    /** The message as the client sent it, parsed and normalised, before the header firewall. */
    public Message received() { return received; }

    /** The message as it will be stored: after the header firewall and the gateway's trace fields. */
    public Message stored() { return stored; }

    public void stored(Message m) {
        this.stored = Objects.requireNonNull(m);
        tenantViews.clear();
    }

    /**
     * What one stage keeps on this message for a later stage of its own package (authentication results
     * stamped before the rules, acted on after them), keyed by its type; null when none was kept.
     */
    public <T> T state(Class<T> type) { return type.cast(stageState.get(type)); }

    public <T> void state(Class<T> type, T value) { stageState.put(type, Objects.requireNonNull(value)); }

    /**
     * Adds {@code key=value} to the one line the gateway logs when it accepts or refuses this message (a stage's
     * verdicts, say), instead of a line of the stage's own: one log write per message on the accept path.
     */
    public void logField(String key, Object value) { logFields.append(' ').append(key).append('=').append(value); }

    /** The fields stages added, each preceded by a space; empty when none did. */
    public String logFields() { return logFields.toString(); }

    public List<Recipient> recipients() { return recipients; }

    public void recipients(List<Recipient> rs) { this.recipients = List.copyOf(rs); }

    /** Adds a content variant (rule edits) and returns its index for {@link QueuedRecipient#variant()}. */
    public int addVariant(byte[] content) {
        variants.add(content);
        return variants.size() - 1;
    }

    public byte[] variant(int index) { return variants.get(index); }

    public void event(long tenantId, String recipient, TraceEventType type, String detail) {
        events.add(new MessageTraceEvent(tenantId, networkMessageId, recipient, type, detail, receivedAt));
    }

    public List<MessageTraceEvent> events() { return Collections.unmodifiableList(events); }

    /** An extra write committed with the message (a quarantine copy, a report). */
    public void hook(EnqueueHook h) { hooks.add(h); }

    public void notification(NotificationRequest n) { notifications.add(n); }

    /** Counts a non-delivery report written with this message (for metrics). */
    public void ndrQueued() { ndrs++; }

    public int ndrs() { return ndrs; }

    public List<NotificationRequest> notifications() { return Collections.unmodifiableList(notifications); }

    /**
     * The stored message as one tenant's copy reads: its stamp fields below the gateway's trace fields
     * (a view, not a copy: the body and the MIME walk are shared). What the rules of that tenant read.
     */
    public Message tenantView(String stampHeaders) {
        if (stampHeaders == null || stampHeaders.isEmpty()) return stored;
        return tenantViews.computeIfAbsent(stampHeaders, s -> stored.withTenantStamp(Message.fieldsOf(s)));
    }

    /** The bytes this recipient would receive: its content (variant or stored) with its tenant's stamp inserted. */
    public byte[] deliveredCopy(QueuedRecipient r) {
        byte[] content = r.variant() == null ? stored.bytes() : variants.get(r.variant());
        return TenantCopy.assemble(r.stampHeaders(), content);
    }

    /** Decoded first Subject, for trace and reports. */
    public String subject() { return Text.clean(received.firstDecoded("Subject"), 998); }

    /** The Message-ID as written (one line, clipped), or null. */
    public String internetMessageId() {
        String id = received.first("Message-ID");
        return id == null ? null : Text.clean(id, 998);
    }

    /** Decoded first From, for trace. */
    public String headerFrom() {
        String f = received.firstDecoded("From");
        return f == null ? null : Text.clean(f, 998);
    }

    /** What the queue commits: the stored message, every recipient with its status, variants, events and writes. */
    public IncomingMessage toIncoming() {
        byte[] content = stored.bytes();
        List<QueuedRecipient> rows = new ArrayList<>(recipients.size());
        for (Recipient r : recipients) rows.add(r.row());
        List<EnqueueHook> all = List.copyOf(hooks);
        EnqueueHook hook = all.isEmpty() ? EnqueueHook.NONE : (ctx, messageRowId, recipientRowIds) -> {
            for (EnqueueHook h : all) h.written(ctx, messageRowId, recipientRowIds);
        };
        return new IncomingMessage(networkMessageId, receivedAt, mailFrom, client.ipText(), client.helo(), client.tlsProtocol(),
                client.tlsCipher(), internetMessageId(), subject(), headerFrom(), content, content.length, rows, variants, events, hook);
    }

    /**
     * The trace record of a refused message (rules rejected every recipient): every recipient Failed with the
     * reply, its events and a {@code Fail} event each, no content, no variants, no extra writes.
     */
    public IncomingMessage toRecord(Refusal refusal) {
        List<QueuedRecipient> rows = new ArrayList<>(recipients.size());
        List<MessageTraceEvent> all = new ArrayList<>(events);
        for (Recipient r : recipients) {
            // each tenant's record shows its own rule's reply, not the one the client got (another tenant's)
            String reply = r.verdict() instanceof Verdict.Reject rj ? "550 " + rj.reason() : refusal.reply().toString().strip();
            rows.add(new QueuedRecipient(r.row().tenantId(), r.row().address(), r.row().mailboxId(), RecipientStatus.Failed,
                    r.row().inboundConnector(), r.row().directionality(), r.row().authAs(), r.row().directSend(), r.row().stampHeaders(),
                    reply, null));
            String rule = switch (r.verdict()) {
                case Verdict.Reject rj when rj.ruleGuid() == null -> " (anti-phishing policy '" + rj.ruleName() + "')";
                case Verdict.Reject rj -> " (transport rule '" + rj.ruleName() + "')";
                case Verdict.Delete d when d.ruleName() != null -> " (transport rule '" + d.ruleName() + "')";
                default -> "";
            };
            all.add(new MessageTraceEvent(r.row().tenantId(), networkMessageId, r.row().address(), TraceEventType.Fail,
                    "Refused at end of data: " + reply + rule, receivedAt));
        }
        return new IncomingMessage(networkMessageId, receivedAt, mailFrom, client.ipText(), client.helo(), client.tlsProtocol(),
                client.tlsCipher(), internetMessageId(), subject(), headerFrom(), new byte[0], stored.size(), rows, List.of(), all,
                EnqueueHook.NONE);
    }
}
