// Local delivery agent: claims due recipients from the queue and delivers them into Maildirs, with retry.
package dev.gatehouse.delivery;

import dev.gatehouse.directory.Directory;
import dev.gatehouse.ndr.Bounces;
import dev.gatehouse.queue.ClaimedRecipient;
import dev.gatehouse.queue.DeliveryLedger;
import dev.gatehouse.queue.IncomingMessage;
import dev.gatehouse.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers Pending recipients into {@code <mailRoot>/<tenant guid>/<mailbox primary address>/} Maildirs.
 *
 * <p>A {@link ClaimLoop} claims due recipients as a batch (up to {@code batchSize}, at most
 * {@link DeliverySettings#LOCAL_BATCHES_IN_FLIGHT} batches at once) and delivers each batch with two
 * flushes in all ({@link FileSystemFlush}: one for the files, one for their renames), so delivery, like
 * the accept path, is not held to one message per disk flush; the outcomes of a batch share a group
 * commit. An outcome is recorded only after the Maildir file is durable, so a crash between the two
 * re-delivers (a duplicate) and never loses. A failure (IOException) defers the recipient
 * with exponential backoff and a {@code Defer} event; once the message is older than {@code maxAge} it is
 * Failed with a {@code Fail} event. The tenant directory is the tenant's guid, which never changes when the
 * tenant is renamed.
 *
 * <p>Lifecycle: {@link #start()} releases stale claims and resumes every Pending recipient; {@link #close()}
 * stops claiming and waits for deliveries in flight. Close it before the queue and the store.
 */
public final class DeliveryWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final Path mailRoot;
    private final DeliverySettings settings;
    private final DeliveryLedger ledger;
    private final ClaimLoop loop;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deferred = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bounced = new AtomicLong();
    private final Bounces bounces;
    private final Directory directory;

    /** Without NDRs (unit tests of delivery alone). */
    public DeliveryWorker(Store store, Path mailRoot, DeliverySettings settings) {
        this(store, new Directory(store), mailRoot, settings, null);
    }

    /**
     * @param directory where each recipient goes (the tenant's guid, the mailbox's primary address)
     * @param bounces   builds the NDR of a recipient that finally fails (null: none is sent)
     */
    public DeliveryWorker(Store store, Directory directory, Path mailRoot, DeliverySettings settings, Bounces bounces) {
        this.directory = directory;
        this.bounces = bounces;
        this.mailRoot = mailRoot;
        this.settings = settings;
        this.ledger = new DeliveryLedger(store, settings.ownerId());
        // one claim is one batch; while it flushes, the next one gathers (as a group commit does)
        this.loop = new ClaimLoop("delivery", ledger,
                settings.withConcurrency(DeliverySettings.LOCAL_BATCHES_IN_FLIGHT),
                claimed -> claimed.isEmpty() ? List.of() : List.of(claimed), this::deliverBatch, settings.batchSize());
    }

    public void start() {
        loop.start();
        log.info("event=delivery_started owner={} batches_in_flight={} batch_size={} flush={} mail_root={}", settings.ownerId(),
                DeliverySettings.LOCAL_BATCHES_IN_FLIGHT, settings.batchSize(),
                FileSystemFlush.grouped() ? "syncfs_per_batch" : "fsync_per_file", mailRoot);
    }

    /** Outcomes recorded by this worker since start (for metrics). */
    /** @param bounced NDRs written for recipients that finally failed */
    public record Stats(long delivered, long deferred, long failed, long bounced) {}

    public Stats stats() { return new Stats(delivered.get(), deferred.get(), failed.get(), bounced.get()); }

    /** Look for due work now (call after an enqueue commits). */
    public void wakeUp() { loop.wakeUp(); }

    /** {@link dev.gatehouse.queue.MessageQueue#handOverTo}: keeps the accepted content for the first delivery. */
    public void handOver(IncomingMessage m, List<Long> recipientIds) { ledger.handOver(m, recipientIds); }

    /** Deliveries whose content came from {@link #handOver} rather than a read of the store. */
    public long handOversTaken() { return ledger.handOversTaken(); }

    /** A recipient whose message is written to its Maildir's {@code tmp/}, waiting for the batch flush. */
    private record Staged(ClaimedRecipient recipient, DeliveryLedger.Target target, Path file) {}

    /**
     * Delivers one claimed batch with two flushes in all, whatever its size: every message is written to
     * its Maildir's {@code tmp/} (one at a time, so memory holds one message), then one flush makes them all
     * durable, then each is renamed into {@code new/}, then one flush makes the renames durable, and only
     * then are the outcomes recorded (in one group commit). A crash at any point leaves at worst a stray tmp
     * file or, after a redelivery, a duplicate; never a recorded delivery whose file is not on disk. Whatever
     * goes wrong, every recipient of the batch ends with an outcome (or, when even that cannot be written,
     * with its claim left to expire), so one poisonous message cannot hold the others.
     *
     * <p>A batch of large messages is cut into flush groups of about {@link #FLUSH_GROUP_BYTES}, so the
     * unflushed data (page cache) stays bounded and the first outcomes are not held back by the last writes.
     */
    private void deliverBatch(List<ClaimedRecipient> batch) {
        for (int from = 0; from < batch.size(); ) from = deliverGroup(batch, from);
    }

    /** Unflushed bytes after which a flush group is closed (the message that crosses it is still in it). */
    static final long FLUSH_GROUP_BYTES = 64L << 20;

    /** Delivers {@code batch[from..]} up to the byte budget; returns where the next group starts. */
    private int deliverGroup(List<ClaimedRecipient> batch, int from) {
        int end = from;
        long bytes = 0;
        Set<ClaimedRecipient> open = new LinkedHashSet<>(); // no outcome yet
        Map<ClaimedRecipient, DeliveryLedger.Target> targets = new HashMap<>();
        List<Staged> staged = new ArrayList<>();
        try {
            try (DeliveryLedger.Targets reader = ledger.targets()) { // the group's reads: one connection, one prepare
                while (end < batch.size() && bytes < FLUSH_GROUP_BYTES) {
                    ClaimedRecipient r = batch.get(end++);
                    open.add(r);
                    try {
                        DeliveryLedger.Target target = reader.read(r);
                        Path dir = target == null ? null : directory(r);
                        if (dir != null && r.mailboxId() != null && JunkFolder.applies(target.content())) dir = dir.resolve(JunkFolder.FOLDER);
                        if (dir == null) {
                            open.remove(r);
                            recipientGone(r);
                            continue;
                        }
                        targets.put(r, target.withoutContent());
                        String name = Maildir.nameFor(target.receivedAt(), target.networkMessageId(), r.id());
                        // on a first claim no earlier attempt can have written the copy: nothing to look for
                        Path already = r.firstClaim() ? null : Maildir.find(dir, name, r.interrupted());
                        if (already != null) { // an interrupted attempt delivered it: record that, don't deliver it twice
                            FileSystemFlush.fsync(already);             // it may not have been made durable before the interruption
                            FileSystemFlush.fsync(already.getParent());
                            open.remove(r);
                            if (ledger.delivered(r, target.networkMessageId(), "maildir=" + mailRoot.relativize(already)
                                    + " (delivered by an interrupted attempt)").join()) delivered.incrementAndGet();
                            log.info("event=delivered_before network_message_id={} recipient_id={} claims={}", target.networkMessageId(),
                                    r.id(), r.claims());
                            continue;
                        }
                        Path tmp = Maildir.write(dir, name, target.content());
                        bytes += target.content().length;
                        staged.add(new Staged(r, targets.get(r), tmp));
                    } catch (IOException | RuntimeException e) {
                        log.warn("event=maildir_write_failed recipient_id={} tenant_id={} error=\"{}\"", r.id(), r.tenantId(), e.toString());
                        defer(open, r, targets.get(r), null, e);
                    }
                }
            }
            if (staged.isEmpty()) return end;
            try {
                FileSystemFlush.files(staged.stream().map(Staged::file).toList());
            } catch (IOException e) {
                log.warn("event=maildir_flush_failed files={} error=\"{}\"", staged.size(), e.toString());
                for (Staged s : staged) defer(open, s.recipient(), s.target(), s.file(), e);
                return end;
            }
            List<Staged> published = new ArrayList<>(staged.size());
            for (Staged s : staged) {
                try {
                    published.add(new Staged(s.recipient(), s.target(), Maildir.publish(s.file())));
                } catch (IOException | RuntimeException e) {
                    defer(open, s.recipient(), s.target(), s.file(), e);
                }
            }
            try {
                FileSystemFlush.directories(published.stream().map(s -> s.file().getParent()).distinct().toList());
            } catch (IOException e) {
                // the files may or may not survive a crash: retry them; the retry finds a copy that did survive in new/
                // by its name, makes it durable and records it, so this never delivers twice
                log.warn("event=maildir_flush_failed directories={} error=\"{}\"", published.size(), e.toString());
                for (Staged s : published) defer(open, s.recipient(), s.target(), null, e);
                return end;
            }
            // the whole group's outcomes in one write task (one commit, one wake-up of this thread)
            List<DeliveryLedger.Delivered> outcomes = new ArrayList<>(published.size());
            for (Staged s : published) {
                outcomes.add(new DeliveryLedger.Delivered(s.recipient(), s.target().networkMessageId(), "maildir=" + mailRoot.relativize(s.file())));
            }
            for (Staged s : published) open.remove(s.recipient());
            List<Boolean> recorded;
            try {
                recorded = published.isEmpty() ? List.of() : ledger.deliveredAll(outcomes).join();
            } catch (RuntimeException e) {
                // the store is failing: the claims are given back once it works again, and the redelivery finds the copies
                log.warn("event=outcome_not_recorded recipients={} error=\"{}\"", published.size(), e.toString());
                for (Staged s : published) loop.outcomeNotRecorded(s.recipient());
                return end;
            }
            for (int i = 0; i < published.size(); i++) {
                Staged s = published.get(i);
                if (recorded.get(i)) delivered.incrementAndGet();
                log.info("event=delivered network_message_id={} recipient_id={} tenant_id={}", s.target().networkMessageId(),
                        s.recipient().id(), s.recipient().tenantId());
            }
        } catch (Throwable t) { // an Error (out of memory on a huge message, say) or a bug: defer what is left
            log.error("event=delivery_batch_failed recipients_left={} error=\"{}\"", open.size(), t.toString(), t);
            for (ClaimedRecipient r : open) onFailure(r, targets.get(r), t instanceof Exception ex ? ex : new IOException(t.toString(), t));
            for (Staged s : staged) if (open.contains(s.recipient())) deleteQuietly(s.file());
            if (t instanceof Error err && !(t instanceof OutOfMemoryError)) throw err;
        }
        return end;
    }

    /** Takes {@code r} out of the batch's open set and defers (or fails) it; {@code tmpFile}, if any, goes. */
    private void defer(Set<ClaimedRecipient> open, ClaimedRecipient r, DeliveryLedger.Target target, Path tmpFile, Exception e) {
        if (tmpFile != null) deleteQuietly(tmpFile);
        open.remove(r);
        onFailure(r, target, e);
    }

    private void recipientGone(ClaimedRecipient r) {
        DeliveryLedger.Target h = ledger.header(r);
        IncomingMessage ndr = h == null ? null : ndr(r, h, "5.1.1", "550 5.1.1 the recipient no longer exists");
        if (ledger.failed(r, h == null ? "" : h.networkMessageId(), "the tenant or mailbox no longer exists", ndr).join()) {
            failed.incrementAndGet();
            if (ndr != null) bounced.incrementAndGet();
        }
        log.info("event=delivery_failed recipient_id={} reason=recipient_gone", r.id());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stray file in tmp/ is harmless; Maildir readers ignore tmp/
        }
    }

    /**
     * Mailbox: {@code <guid>/<primary>}. InternalRelay without a mailbox: {@code <guid>/_relay/<address>}.
     * Null when the tenant or the mailbox no longer exists (the directory says so; deleted since the accept).
     */
    private Path directory(ClaimedRecipient r) {
        String guid = directory.tenantGuid(r.tenantId());
        if (guid == null) return null;
        Path tenantDir = mailRoot.resolve(Maildir.segment(guid));
        if (r.mailboxId() == null) return tenantDir.resolve("_relay").resolve(Maildir.segment(r.address()));
        String mailbox = directory.mailboxAddress(r.tenantId(), r.mailboxId());
        return mailbox == null ? null : tenantDir.resolve(Maildir.segment(mailbox));
    }

    private void onFailure(ClaimedRecipient r, DeliveryLedger.Target target, Exception e) {
        // The reason goes into the tenant-visible trace: show paths relative to the mail root only.
        String reason = (e.getClass().getSimpleName() + ": " + e.getMessage()).replace(mailRoot.toAbsolutePath() + "/", "");
        try {
            DeliveryLedger.Target t = target != null ? target : ledger.header(r);
            String nmid = t == null ? "" : t.networkMessageId();
            Instant received = t == null ? Instant.EPOCH : t.receivedAt();
            if (Duration.between(received, Instant.now()).compareTo(settings.maxAge()) >= 0) {
                IncomingMessage ndr = t == null ? null : ndr(r, t, "5.4.7", "550 5.4.7 delivery expired (last error: " + reason + ")");
                if (ledger.failed(r, nmid, reason, ndr).join()) {
                    failed.incrementAndGet();
                    if (ndr != null) bounced.incrementAndGet();
                }
                log.warn("event=delivery_failed network_message_id={} recipient_id={} attempts={} reason=\"{}\"", nmid, r.id(), r.attempts() + 1, reason);
            } else {
                long next = System.currentTimeMillis() + settings.backoff(r.attempts() + 1).toMillis();
                if (ledger.deferred(r, nmid, reason, next).join()) deferred.incrementAndGet();
                log.info("event=delivery_deferred network_message_id={} recipient_id={} attempts={} reason=\"{}\"", nmid, r.id(), r.attempts() + 1, reason);
            }
        } catch (RuntimeException e2) {
            // The store is failing too: the claim is given back once it works again, and the recipient retried.
            log.warn("event=outcome_not_recorded recipient_id={} error=\"{}\"", r.id(), e2.toString());
            loop.outcomeNotRecorded(r);
        }
    }

    /** The NDR for a recipient that finally failed; null without a sender (or without a report builder). */
    private IncomingMessage ndr(ClaimedRecipient r, DeliveryLedger.Target t, String status, String diagnostic) {
        if (bounces == null) return null;
        byte[] original = t.content();
        if (original == null) {
            DeliveryLedger.Target full = ledger.target(r);
            original = full == null ? new byte[0] : full.content();
        }
        return bounces.ndr(r.tenantId(), t.networkMessageId(), t.mailFrom(), original, t.receivedAt(),
                List.of(new Bounces.Failure(r.address(), status, diagnostic)));
    }


    /** Stops claiming, then waits for the deliveries in flight to record their outcome. */
    @Override
    public void close() {
        loop.close();
        log.info("event=delivery_stopped owner={}", settings.ownerId());
    }
}
