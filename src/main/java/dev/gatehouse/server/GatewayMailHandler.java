package dev.gatehouse.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.attribution.RecipientAttribution;
import dev.gatehouse.intake.HeaderBlock;
import dev.gatehouse.intake.Intake;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.QueuedRecipient;
import dev.gatehouse.rules.RuleStage;
import dev.gatehouse.smtp.MailFrom;
import dev.gatehouse.smtp.MailHandler;
import dev.gatehouse.smtp.MailTransaction;
import dev.gatehouse.smtp.RcptDecision;
import dev.gatehouse.smtp.SessionInfo;
import dev.gatehouse.smtp.SmtpReply;
import dev.gatehouse.store.PendingWrite;
import dev.gatehouse.web.Metrics;

/**
 * The gateway's answer to the SMTP engine: attribution at RCPT TO, then at end of data the header
 * firewall and stamping, then the durable enqueue. The 250 goes out only after the group commit that
 * holds the message has been fsynced. If the commit fails, or has not even started when the commit
 * timeout expires (the write is then withdrawn and never runs), the client gets a 451 and keeps
 * responsibility for the message; a commit already under way is waited for, so a message answered 4xx is
 * never delivered (RFC 5321 §4.2.5).
 */
public final class GatewayMailHandler implements MailHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayMailHandler.class);
    static final SmtpReply QUEUE_FAILED = SmtpReply.of(451, "4.3.0", "Error: queueing failed, try again later");
    static final SmtpReply LOOP = SmtpReply.of(554, "5.4.6", "Hop count exceeded - possible mail loop");

    private final RecipientAttribution attribution;
    private final Intake intake;
    private final MessageQueue queue;
    private final Metrics metrics;
    private final long commitTimeoutMillis;
    private final String authSource;
    private final RuleStage rules;

    public GatewayMailHandler(RecipientAttribution attribution, Intake intake, MessageQueue queue, Metrics metrics,
                              long commitTimeoutMillis, String authSource) {
        this(attribution, intake, queue, metrics, commitTimeoutMillis, authSource, null);
    }

    /** @param rules the mail flow rules stage, run before the durable commit (null: no rules) */
    public GatewayMailHandler(RecipientAttribution attribution, Intake intake, MessageQueue queue, Metrics metrics,
                              long commitTimeoutMillis, String authSource, RuleStage rules) {
        this.rules = rules;
        this.authSource = authSource;
        this.attribution = attribution;
        this.intake = intake;
        this.queue = queue;
        this.metrics = metrics;
        this.commitTimeoutMillis = commitTimeoutMillis;
    }

    @Override
    public RcptDecision onRcptTo(SessionInfo session, MailFrom from, String recipient) {
        RcptDecision d = attribution.decide(session, from, recipient);
        if (d instanceof RcptDecision.Reject r) {
            // RejectDirectSend refusals leave no trace record: this protocol log line is all there is (spec §2.3).
            String reason = RecipientAttribution.reasonOf(r.reply());
            metrics.refused(reason);
            log.info("rcpt refused session={} ip={} tls={} from=<{}> to=<{}> reason={} reply=\"{}\"", session.sessionId(),
                    session.clientIp().getHostAddress(), session.isTls(), from.address(), recipient, reason, r.reply());
        }
        return d;
    }

    @Override
    public SmtpReply onData(SessionInfo session, MailTransaction tx, byte[] content) {
        long start = System.nanoTime();
        String id = dev.gatehouse.queue.NetworkMessageIds.next().toString();
        Instant now = Instant.now();
        var tls = session.tls();
        Intake.Result stamped = intake.process(content, new Intake.Hop(session.helo(), session.clientIp().getHostAddress(),
                tls == null ? null : tls.protocol(), tls == null ? null : tls.cipherSuite(), session.esmtp(), id,
                now.atZone(ZoneOffset.UTC)));
        if (stamped.tooManyHops()) { // counted by the same header parse that stamped the message
            metrics.refused("mail_loop");
            return LOOP;
        }
        SmtpReply headerFromRefusal = HeaderFromCheck.refusal(attribution, tx, stamped.headerFrom());
        if (headerFromRefusal != null) {
            metrics.refused("reject_direct_send_header_from");
            log.info("data refused session={} ip={} from=<{}> header_from=\"{}\" reason=reject_direct_send_header_from reply=\"{}\"",
                    session.sessionId(), session.clientIp().getHostAddress(), tx.from().address(), stamped.headerFrom(), headerFromRefusal);
            return headerFromRefusal;
        }
        List<Map.Entry<String, String>> crossPremises = crossPremisesFields(tx, content);
        List<QueuedRecipient> rcpts = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (MailTransaction.AcceptedRecipient r : tx.recipients()) {
            var route = (RecipientAttribution.Route) r.route();
            if (seen.add(route.tenantId() + "\0" + route.address())) { // RCPT given twice: deliver once
                var a = route.attribution();
                rcpts.add(new QueuedRecipient(route.tenantId(), route.address(), route.mailboxId(),
                        a.relay() ? QueuedRecipient.AWAITING_RELAY : QueuedRecipient.PENDING, a.connector(), a.directionality(),
                        a.authAs(), a.directSend(), a.stampHeaders(route.tenantGuid(), authSource, crossPremises)));
            }
        }
        IncomingMessage msg = new IncomingMessage(id, now, tx.from().address(), session.clientIp().getHostAddress(),
                session.helo(), tls == null ? null : tls.protocol(), tls == null ? null : tls.cipherSuite(),
                stamped.internetMessageId(), stamped.subject(), stamped.headerFrom(), stamped.content(), rcpts);
        if (rules != null) { // mail flow rules: the verdict is committed with the message, or refuses it here
            RuleStage.Result v = rules.apply(id, now, stamped.content(), tx.from().address(), session.clientIp(),
                    stamped.subject(), stamped.internetMessageId(), rcpts);
            if (v.reply() != null) {
                metrics.refused("transport_rule");
                return v.reply();
            }
            msg = new IncomingMessage(msg.networkMessageId(), msg.receivedAt(), msg.mailFrom(), msg.clientIp(), msg.helo(),
                    msg.tlsProtocol(), msg.tlsCipher(), msg.internetMessageId(), msg.subject(), msg.headerFrom(), msg.content(),
                    v.recipients(), v.variants(), v.events(), v.hook());
        }
        PendingWrite<Void> commit = queue.enqueue(msg);
        try {
            try {
                commit.get(commitTimeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException slow) {
                // 451 only if the write can still be taken back; once the committer has started it, the
                // outcome of that commit decides (a 4xx message must never be delivered, RFC 5321 §4.2.5)
                if (commit.withdraw()) throw new ExecutionException("commit did not start within " + commitTimeoutMillis + " ms", slow);
                commit.get();
            }
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            metrics.refused("queue_failed");
            log.error("queue failed session={} id={} error=\"{}\"", session.sessionId(), id, String.valueOf(e.getCause() != null ? e.getCause() : e));
            return QUEUE_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (commit.withdraw()) return QUEUE_FAILED;
            commit.join(); // interrupted while the commit runs: its outcome still decides the reply
        }
        long nanos = System.nanoTime() - start;
        metrics.accepted();
        metrics.endOfDataToReply(nanos);
        log.info("accepted id={} session={} ip={} from=<{}> rcpts={} size={} tls={} ms={}", id, session.sessionId(),
                session.clientIp().getHostAddress(), tx.from().address(), rcpts.size(), stamped.content().length,
                tls == null ? "none" : tls.protocol(), nanos / 1_000_000);
        return SmtpReply.of(250, "2.0.0", "OK: queued as " + id);
    }

    /**
     * The {@code X-MS-Exchange-CrossPremises-*} fields as received (name suffix → value), read only when a
     * recipient came through a hybrid connector that promotes them; empty otherwise.
     */
    private static List<Map.Entry<String, String>> crossPremisesFields(MailTransaction tx, byte[] content) {
        boolean hybrid = tx.recipients().stream()
                .anyMatch(r -> ((RecipientAttribution.Route) r.route()).attribution().promotesCrossPremisesHeaders());
        if (!hybrid) return List.of();
        String prefix = "x-ms-exchange-crosspremises-";
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (HeaderBlock.Field f : HeaderBlock.parse(content).fields()) {
            if (HeaderBlock.hasPrefix(f, prefix)) out.add(Map.entry(f.name().substring(prefix.length()), f.value()));
        }
        return out;
    }
}
