// Keeps the hunting tables current: appends the rows of each committed message event, from 30 days back to now.
package dev.gatehouse.hunting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.directory.Directory;
import dev.gatehouse.mail.Addresses;
import dev.gatehouse.mail.Message;
import dev.gatehouse.queue.EventFeed;
import dev.gatehouse.queue.TraceEventType;
import dev.gatehouse.queue.TraceRow;
import dev.gatehouse.store.Store;

/**
 * One loop does both the rebuild and the tail, so there is no hand-over to get wrong: at start it looks up the
 * event id from which the last 30 days begin ({@link EventFeed#idBefore}, with a day's margin; older rows are
 * skipped) and reads on from there in batches, remembering the last id it appended; when a batch comes back short it
 * is caught up and waits for a commit ({@link #wakeUp}, called by the store's commit listener) or a poll interval.
 * Each id is appended once: ids only grow past the cursor, and an id re-read from the gap list leaves it.
 *
 * <p>Gaps: when several nodes share PostgreSQL, an id is taken at insert but seen only at commit, so a transaction
 * still committing leaves a hole below ids already read. A hole below a recent event is remembered and asked for again
 * at every pass for {@link #GAP_WAIT}; holes below old events (purged messages, rolled back writes) are not.
 *
 * <p>Content: the message's attachments and URLs come from the accept-time parse: the accept path hands each message
 * it is committing to {@link #committing} (the stored view it parsed once, whose MIME walk the rules may already have
 * made), which reads its {@link ContentFacts} there and holds them in memory until the feed sees the message's events,
 * so the steady state neither reads the message's bytes back nor parses them again. The feed keeps them
 * ({@link ContentFactsStore}) before its rows are appended, so a rebuild after the bytes are dropped lists the same. A
 * message whose facts the feed does not hold (committed before a restart but not yet fed, another node's mail, one the
 * accept path handed over while the feed was {@link #MAX_HANDED_OVER} behind) is read the old way: the kept facts, else
 * the stored bytes, parsed once more with the same parser (decision hunting-content-facts). A message whose bytes are
 * gone and whose facts were never kept (rows older than this feature) gets null AttachmentCount/UrlCount and no
 * attachment or URL rows.
 */
public final class HuntingFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HuntingFeed.class);

    static final int BATCH = 1000;
    static final Duration GAP_WAIT = Duration.ofMinutes(2);
    /** Only holes below events this recent are waited for (an accept's events carry its receive time). */
    static final Duration GAP_HORIZON = Duration.ofHours(1);
    static final int MAX_GAPS = 100_000;
    static final Duration START_MARGIN = Duration.ofDays(1);
    private static final int FACTS_CACHE = 4096;
    /** Messages whose facts are held for the feed at most; past that the feed reads the stored bytes instead. */
    static final int MAX_HANDED_OVER = 20_000;
    /** Bytes of held messages at most (their parsed form is about as large again). */
    static final long MAX_HANDED_OVER_BYTES = 64L << 20;
    /** Messages held this long are dropped (their message never committed, or its events were not the feed's to show). */
    static final Duration HANDED_OVER_TTL = Duration.ofMinutes(10);

    private final EventFeed events;
    private final ContentFactsStore facts;
    private final Directory directory;
    private final HuntingTables tables;
    private final Clock clock;
    private final Duration poll;
    private final Semaphore wake = new Semaphore(0);
    /**
     * The least time between two reads of a woken feed: under load one read takes this long's commits. The lag the
     * hunting tables may have behind mail is this plus a pass; a wake after a quieter spell reads at once.
     */
    static final Duration COALESCE = Duration.ofMillis(250);
    private final TreeMap<Long, Long> gaps = new TreeMap<>(); // id -> give up after (epoch ms)
    private final Map<String, Optional<ContentFacts>> recentFacts = new LinkedHashMap<>(256, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, Optional<ContentFacts>> e) { return size() > FACTS_CACHE; }
    };
    /** network message id -> the accept-time parse, until the feed sees the message's events. */
    private final ConcurrentHashMap<String, HandedOver> handedOver = new ConcurrentHashMap<>();
    private final AtomicLong factsHandedOver = new AtomicLong();
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicLong factsParsed = new AtomicLong();
    private long lastExpiry = System.nanoTime();
    private long lastPass = System.nanoTime() - COALESCE.toNanos();
    private long cursor = -1;
    private volatile long appendedThrough = -1;
    private volatile boolean running;
    private Thread thread;

    public HuntingFeed(Store store, Directory directory, HuntingTables tables, Clock clock, Duration poll) {
        this.events = new EventFeed(store);
        this.facts = new ContentFactsStore(store);
        this.directory = directory;
        this.tables = tables;
        this.clock = clock;
        this.poll = poll;
    }

    /** Starts the loop on a virtual thread; the tables fill in the background (queries meanwhile see what is there). */
    public synchronized HuntingFeed start() {
        if (running) return this;
        running = true;
        thread = Thread.ofVirtual().name("gatehouse-hunting-feed").start(this::run);
        return this;
    }

    private record HandedOver(Message message, long atNanos) {}

    /**
     * The accept path is committing this message (this node's SMTP accept, its stored view as parsed once): holds the
     * parsed message for the feed, which reads its content facts on its own thread (off the path to the 250; the MIME
     * walk is the one the rules may already have made). Call it before handing the message to the queue, so it is
     * there whenever the feed sees the committed events; tell {@link #notCommitted} if the commit fails. At most
     * {@link #MAX_HANDED_OVER} messages and {@link #MAX_HANDED_OVER_BYTES} are held: past that (the feed far behind,
     * large mail) the feed reads the stored bytes, as after a restart. Never throws.
     */
    public void committing(String networkMessageId, Message stored) {
        if (handedOver.size() >= MAX_HANDED_OVER) return;
        long size = stored.size();
        if (heldBytes.addAndGet(size) > MAX_HANDED_OVER_BYTES) {
            heldBytes.addAndGet(-size);
            return;
        }
        HandedOver previous = handedOver.put(networkMessageId, new HandedOver(stored, System.nanoTime()));
        if (previous != null) heldBytes.addAndGet(-previous.message().size());
    }

    /** Takes the held message, if any, and gives back its share of the byte budget. */
    private Message takeHandedOver(String networkMessageId) {
        HandedOver h = handedOver.remove(networkMessageId);
        if (h == null) return null;
        heldBytes.addAndGet(-h.message().size());
        return h.message();
    }

    /** The message {@link #committing} was told of was not committed: drops its facts. */
    public void notCommitted(String networkMessageId) { takeHandedOver(networkMessageId); }

    /** How many messages' facts came from the accept-time parse, and how many the feed parsed from stored bytes. */
    public record ContentSources(long handedOver, long parsed) {}

    public ContentSources contentSources() { return new ContentSources(factsHandedOver.get(), factsParsed.get()); }

    /** A commit happened: read now instead of at the next poll. Cheap; safe on the committer thread. */
    public void wakeUp() {
        if (wake.availablePermits() == 0) wake.release();
    }

    /** The id of the last event looked at (-1 before the first pass): a test waits for it to pass an id it knows. */
    public long position() { return appendedThrough; }

    /** Deletes the kept content facts of messages past the hunting window (Housekeeping). */
    public int purgeContentFacts(Instant now) {
        return facts.purgeBefore(now.minus(HuntingTables.RETENTION).minus(START_MARGIN));
    }

    private void run() {
        while (running) {
            int n;
            try {
                if (cursor < 0) cursor = events.idBefore(clock.instant().minus(HuntingTables.RETENTION).minus(START_MARGIN));
                lastPass = System.nanoTime();
                n = pass();
            } catch (RuntimeException e) {
                if (!running) return;
                log.warn("event=hunting_feed_failed cursor={} error=\"{}\"", cursor, e.toString());
                n = 0;
            }
            if (n >= BATCH) continue;
            try {
                if (wake.tryAcquire(poll.toMillis(), TimeUnit.MILLISECONDS)) {
                    // under load every group commit wakes the feed: it reads at most once a quarter second, so one read
                    // takes many commits' events instead of the store being queried once per commit beside the sessions
                    long wait = readDelayMillis(lastPass, System.nanoTime());
                    if (wait > 0) Thread.sleep(wait);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** How long a feed woken at {@code now} waits before it reads, its last pass having started at {@code lastPass} (nanos). */
    static long readDelayMillis(long lastPass, long now) {
        return Math.max(0, COALESCE.toMillis() - TimeUnit.NANOSECONDS.toMillis(now - lastPass));
    }

    /** One batch after the cursor, plus the holes that have filled since; returns how many events the batch had. */
    int pass() {
        List<EventFeed.Entry> batch = events.after(cursor, BATCH);
        long now = clock.millis();
        List<EventFeed.Entry> filled = gaps.isEmpty() ? List.of() : refill(now);
        long expected = cursor + 1;
        for (EventFeed.Entry e : batch) {
            if (e.id() > expected && recent(e, now)) remember(expected, e.id(), now + GAP_WAIT.toMillis());
            expected = e.id() + 1;
        }
        List<EventFeed.Entry> all = new ArrayList<>(filled);
        all.addAll(batch);
        append(all);
        if (!batch.isEmpty()) cursor = batch.getLast().id();
        appendedThrough = cursor;
        tables.enforceBudget();
        expireHandedOver();
        return batch.size();
    }

    /** Drops facts held past {@link #HANDED_OVER_TTL}, about once a minute. */
    private void expireHandedOver() {
        long now = System.nanoTime();
        if (now - lastExpiry < Duration.ofMinutes(1).toNanos()) return;
        lastExpiry = now;
        for (var e : handedOver.entrySet()) {
            if (now - e.getValue().atNanos() > HANDED_OVER_TTL.toNanos()) takeHandedOver(e.getKey());
        }
    }

    private static boolean recent(EventFeed.Entry e, long now) {
        return e.at().toEpochMilli() >= now - GAP_HORIZON.toMillis();
    }

    private void remember(long from, long to, long until) {
        if (to - from > MAX_GAPS - gaps.size()) {
            log.warn("event=hunting_feed_gap_too_large from={} to={} (not waited for)", from, to - 1);
            return;
        }
        for (long id = from; id < to; id++) gaps.put(id, until);
    }

    /** The holes that are now filled (removed from the list), after dropping those waited for long enough. */
    private List<EventFeed.Entry> refill(long now) {
        gaps.values().removeIf(until -> until < now);
        List<EventFeed.Entry> out = new ArrayList<>();
        List<Long> ids = new ArrayList<>(gaps.keySet());
        for (int from = 0; from < ids.size(); from += BATCH) {
            for (EventFeed.Entry e : events.byIds(ids.subList(from, Math.min(ids.size(), from + BATCH)))) {
                if (gaps.remove(e.id()) != null) out.add(e);
            }
        }
        return out;
    }

    private void append(List<EventFeed.Entry> entries) {
        Map<String, ContentFacts> content = contentOf(entries);
        for (EventFeed.Entry e : entries) {
            if (e.copy() == null) continue;
            if (e.copy().event() == TraceEventType.Receive && receivedOverSmtp(e)) {
                TraceRow c = e.copy().copy();
                if (!tables.inWindow(c.received())) continue;
                HuntingTables.TenantTables t = tables.of(e.tenantId());
                ContentFacts f = content.get(c.networkMessageId());
                boolean accepted = "Originating".equals(c.directionality()) && directory.isAcceptedDomain(e.tenantId(), Addresses.domainOf(c.recipient()));
                EmailRows.Sender from = EmailRows.sender(c.headerFrom()); // an address parse: once for the copy's rows
                t.emailEvents().append(EmailRows.emailEvent(e, from, accepted, f));
                if (f == null) continue;
                for (int i = 0; i < f.attachments().size(); i++) t.emailAttachmentInfo().append(EmailRows.attachment(e, from, f.attachments().get(i), i));
                if (e.firstCopy()) for (int i = 0; i < f.urls().size(); i++) t.emailUrlInfo().append(EmailRows.url(e, f.urls().get(i), i));
            } else if (e.copy().event() == TraceEventType.Release && tables.inWindow(e.copy().at())) {
                tables.of(e.tenantId()).emailPostDeliveryEvents().append(EmailRows.release(e));
            }
        }
    }

    /**
     * Copies that came in over SMTP: their connector is recorded ("" for none). The gateway's own reports (NDRs,
     * notifications) have none, and are not mail the tenant received.
     */
    private static boolean receivedOverSmtp(EventFeed.Entry e) {
        return e.copy().copy().inboundConnector() != null;
    }

    /**
     * The content facts of the batch's messages: remembered, handed over by the accept path, kept in the store, or read
     * now from the bytes; those not kept yet are kept before any row shows them.
     */
    private Map<String, ContentFacts> contentOf(List<EventFeed.Entry> entries) {
        Set<String> wanted = new LinkedHashSet<>();
        Map<String, Instant> receivedAt = new LinkedHashMap<>();
        for (EventFeed.Entry e : entries) {
            if (e.copy() == null || e.copy().event() != TraceEventType.Receive || !receivedOverSmtp(e)) continue;
            String id = e.copy().copy().networkMessageId();
            if (!recentFacts.containsKey(id)) {
                wanted.add(id);
                receivedAt.put(id, e.copy().copy().received());
            }
        }
        if (!wanted.isEmpty()) {
            List<ContentFactsStore.Pending> fresh = new ArrayList<>();
            for (Iterator<String> it = wanted.iterator(); it.hasNext(); ) {
                String id = it.next();
                Message held = takeHandedOver(id);
                if (held == null) continue;
                ContentFacts f;
                try {
                    f = ContentFacts.of(held);
                } catch (RuntimeException e) {
                    log.warn("event=hunting_content_unreadable network_message_id={} error=\"{}\"", id, e.toString());
                    continue; // read from the stored bytes below, as before
                }
                factsHandedOver.incrementAndGet();
                fresh.add(new ContentFactsStore.Pending(id, receivedAt.get(id), f));
                recentFacts.put(id, Optional.of(f));
                it.remove();
            }
            Map<String, ContentFacts> kept = wanted.isEmpty() ? Map.of() : facts.get(wanted);
            for (String id : wanted) {
                ContentFacts f = kept.get(id);
                if (f == null) {
                    f = read(id);
                    if (f != null) fresh.add(new ContentFactsStore.Pending(id, receivedAt.get(id), f));
                }
                recentFacts.put(id, Optional.ofNullable(f));
            }
            facts.put(fresh); // durable before any row that shows them: a restart then lists the same
        }
        Map<String, ContentFacts> out = new LinkedHashMap<>();
        for (EventFeed.Entry e : entries) {
            if (e.copy() == null) continue;
            Optional<ContentFacts> f = recentFacts.get(e.copy().copy().networkMessageId());
            if (f != null && f.isPresent()) out.put(e.copy().copy().networkMessageId(), f.get());
        }
        return out;
    }

    private ContentFacts read(String networkMessageId) {
        byte[] content = events.content(networkMessageId);
        if (content == null) return null;
        factsParsed.incrementAndGet();
        try {
            return ContentFacts.of(content);
        } catch (RuntimeException e) {
            log.warn("event=hunting_content_unreadable network_message_id={} error=\"{}\"", networkMessageId, e.toString());
            return null;
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t == null) return;
        wakeUp(); // ends the wait; a pass under way finishes first, so the store is not closed under a write
        try {
            if (!t.join(Duration.ofSeconds(10))) {
                t.interrupt();
                t.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
