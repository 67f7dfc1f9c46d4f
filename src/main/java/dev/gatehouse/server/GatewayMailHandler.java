// The gateway's answer to the SMTP engine: attribution at RCPT TO, the pipeline's stages at end of data, then the durable commit.
package dev.gatehouse.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.attribution.RecipientAttribution;
import dev.gatehouse.attribution.RefusalLog;
import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.NetworkMessageIds;
import dev.gatehouse.observability.Metrics;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Refusal;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.pipeline.Route;
import dev.gatehouse.pipeline.Stage;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.smtp.MailFrom;
import dev.gatehouse.smtp.MailHandler;
import dev.gatehouse.smtp.MailTransaction;
import dev.gatehouse.smtp.RcptDecision;
import dev.gatehouse.smtp.SessionInfo;
import dev.gatehouse.smtp.SmtpReply;
import dev.gatehouse.store.PendingWrite;

/**
 * At RCPT TO, attribution decides each recipient; a refusal is answered with its reply and goes to the
 * refusal log. At end of data the message is parsed once ({@link Message#parse}) and run through the
 * stages in the order the gateway gave them; a stage's refusal is the reply (a refusal the rules made is
 * kept in message trace first). Otherwise the message is handed to the queue and the 250 goes out only after
 * the group commit that holds it has been fsynced. If the commit fails, or has not even started when the
 * commit timeout expires (the write is then withdrawn and never runs), the client gets a 451 and keeps
 * responsibility for the message; a commit already under way is waited for, so a message answered 4xx is
 * never delivered (RFC 5321 §4.2.5).
 */
public final class GatewayMailHandler implements MailHandler<Route> {

    private static final Logger log = LoggerFactory.getLogger(GatewayMailHandler.class);
    static final SmtpReply QUEUE_FAILED = SmtpReply.of(451, "4.3.0", "Error: queueing failed, try again later");

    private final RecipientAttribution attribution;
    private final RefusalLog refusals;
    private final List<Stage> stages;
    private final MessageQueue queue;
    private final Metrics metrics;
    private final long commitTimeoutMillis;
    private final CommitDeadlines commitDeadlines;
    private volatile Committing committing = Committing.NONE;

    /**
     * Told of each accepted message on its way into the queue: advanced hunting reads the message's content facts
     * from this parse instead of reading the stored bytes back and parsing them again after the commit.
     */
    public interface Committing {
        Committing NONE = new Committing() {
            @Override public void committing(Accepting m) { }
            @Override public void notCommitted(String networkMessageId) { }
        };

        /**
         * The message goes to the queue next: whatever this keeps is in place before the commit can wake a reader of
         * the committed events. Runs on the session's thread; must not throw.
         */
        void committing(Accepting m);

        /** The commit failed (the client is answered 4xx): forget what {@link #committing} kept. */
        void notCommitted(String networkMessageId);
    }

    /**
     * @param refusals where refusals at RCPT TO are logged (null: the server log only)
     * @param stages   the accept path after end of data, in order
     */
    public GatewayMailHandler(RecipientAttribution attribution, RefusalLog refusals, List<Stage> stages, MessageQueue queue,
                              Metrics metrics, long commitTimeoutMillis) {
        this.attribution = attribution;
        this.refusals = refusals;
        this.stages = List.copyOf(stages);
        this.queue = queue;
        this.metrics = metrics;
        this.commitTimeoutMillis = commitTimeoutMillis;
        this.commitDeadlines = new CommitDeadlines(commitTimeoutMillis);
    }

    /** Sets who is told of each accepted message as it is committed (one; the gateway's hunting feed). */
    public void onCommitting(Committing c) { this.committing = c == null ? Committing.NONE : c; }

    @Override
    public RcptDecision<Route> onRcptTo(SessionInfo session, MailFrom from, String recipient) {
        return switch (attribution.decide(session, from, recipient)) {
            case RecipientAttribution.Decision.Accepted a -> new RcptDecision.Accept<>(a.route());
            case RecipientAttribution.Decision.Refused r -> {
                String reason = r.reason().label();
                metrics.refused(reason);
                log.info("rcpt refused session={} ip={} tls={} from=<{}> to=<{}> reason={} reply=\"{}\"", session.sessionId(),
                        session.clientIp().getHostAddress(), session.isTls(), from.address(), recipient, reason, r.reply());
                if (refusals != null) {
                    refusals.record(new RefusalLog.Refusal(r.tenantId(), Instant.now(), session.clientIp().getHostAddress(), session.helo(),
                            session.tls() == null ? null : session.tls().protocol(), from.address(), recipient, r.reason(),
                            r.reply().toString(), r.connector()));
                }
                yield new RcptDecision.Reject<>(r.reply(), reason);
            }
        };
    }

    @Override
    public SmtpReply onData(SessionInfo session, MailTransaction<Route> tx, byte[] content) {
        long start = System.nanoTime();
        String id = NetworkMessageIds.next().toString();
        var tls = session.tls();
        Message received = Message.parse(content);
        if (!received.repairs().isEmpty()) {
            metrics.headerRepaired(received.repairs());
            log.info("header normalised id={} session={} ip={} repairs={}", id, session.sessionId(), session.clientIp().getHostAddress(),
                    received.repairs());
        }
        List<Route> routes = new ArrayList<>(tx.recipients().size());
        for (MailTransaction.AcceptedRecipient<Route> r : tx.recipients()) routes.add(r.route());
        Accepting m = new Accepting(id, Instant.now(), new Accepting.Client(session.sessionId(), session.clientIp(), session.helo(),
                session.esmtp(), tls == null ? null : tls.protocol(), tls == null ? null : tls.cipherSuite()), tx.from().address(), routes, received);
        for (Stage stage : stages) {
            Refusal refusal = stage.apply(m);
            if (refusal != null) return refused(session, m, refusal);
        }
        IncomingMessage msg = m.toIncoming();
        SmtpReply failed = commit(session, msg, m);
        if (failed != null) return failed;
        long nanos = System.nanoTime() - start;
        metrics.accepted();
        metrics.endOfDataToReply(nanos);
        metrics.quarantined((int) msg.recipients().stream().filter(r -> r.status() == dev.gatehouse.queue.RecipientStatus.Quarantined).count());
        metrics.bounced(m.ndrs());
        log.info("accepted id={} session={} ip={} from=<{}> rcpts={} size={} tls={} ms={}{}", id, session.sessionId(),
                session.clientIp().getHostAddress(), tx.from().address(), msg.recipients().size(), msg.size(),
                tls == null ? "none" : tls.protocol(), nanos / 1_000_000, m.logFields());
        return SmtpReply.of(250, "2.0.0", "OK: queued as " + id);
    }

    /** Answers a stage's refusal; one the rules made is first kept in message trace (status Failed, the rule named). */
    private SmtpReply refused(SessionInfo session, Accepting m, Refusal refusal) {
        metrics.refused(refusal.reason().label());
        log.info("data refused id={} session={} ip={} from=<{}> reason={} reply=\"{}\"{}", m.networkMessageId(), session.sessionId(),
                session.clientIp().getHostAddress(), m.mailFrom(), refusal.reason().label(), refusal.reply(), m.logFields());
        if (refusal.recorded() && !m.recipients().isEmpty()) {
            SmtpReply failed = commit(session, m.toRecord(refusal), null);
            if (failed != null) log.warn("event=refusal_not_traced id={} reason={}", m.networkMessageId(), refusal.reason().label());
        }
        return refusal.reply();
    }

    /**
     * Commits the message durably; null once it is, else the 451 to answer.
     *
     * @param accepted the accepted message {@link Committing} is told of, or null (a refusal's trace record)
     */
    private SmtpReply commit(SessionInfo session, IncomingMessage msg, Accepting accepted) {
        Committing told = accepted == null ? Committing.NONE : committing;
        told.committing(accepted);
        PendingWrite<Void> commit = queue.enqueue(msg);
        SmtpReply reply = awaitCommit(session, msg, commit);
        if (reply != null) told.notCommitted(msg.networkMessageId());
        return reply;
    }

    private SmtpReply awaitCommit(SessionInfo session, IncomingMessage msg, PendingWrite<Void> commit) {
        // 451 only if the write can still be taken back: commitDeadlines withdraws it if it has not started in time;
        // once the committer has started it, the outcome of that commit decides (a 4xx message must never be
        // delivered, RFC 5321 §4.2.5)
        commitDeadlines.watch(commit);
        try {
            commit.get();
            return null;
        } catch (ExecutionException | CancellationException e) {
            metrics.refused(RefusalReason.QUEUE_FAILED.label());
            log.error("queue failed session={} id={} error=\"{}\"", session.sessionId(), msg.networkMessageId(),
                    e instanceof CancellationException ? "commit did not start within " + commitTimeoutMillis + " ms"
                            : String.valueOf(e.getCause() != null ? e.getCause() : e));
            return QUEUE_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (commit.withdraw()) return QUEUE_FAILED;
            commit.join(); // interrupted while the commit runs: its outcome still decides the reply
            return null;
        }
    }
}
