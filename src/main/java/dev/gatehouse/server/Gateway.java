package dev.gatehouse.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.admin.AdminCmdlets;
import dev.gatehouse.admin.AdminServices;
import dev.gatehouse.attribution.CertificateTrust;
import dev.gatehouse.attribution.HeaderFromCheck;
import dev.gatehouse.attribution.RecipientAttribution;
import dev.gatehouse.attribution.RecipientStage;
import dev.gatehouse.attribution.RefusalLog;
import dev.gatehouse.connector.ConnectorDirectory;
import dev.gatehouse.connector.EnhancedFiltering;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.GatewayConfig;
import dev.gatehouse.delivery.DeliverySettings;
import dev.gatehouse.delivery.DeliveryWorker;
import dev.gatehouse.compauth.AuthenticationStage;
import dev.gatehouse.compauth.DnsSenderChecks;
import dev.gatehouse.compauth.SpoofActionStage;
import dev.gatehouse.dmarc.PublicSuffixList;
import dev.gatehouse.directory.Directory;
import dev.gatehouse.dns.Dns;
import dev.gatehouse.dns.DnsResolver;
import dev.gatehouse.hunting.HuntingFeed;
import dev.gatehouse.hunting.HuntingService;
import dev.gatehouse.hunting.HuntingTables;
import dev.gatehouse.intake.HeaderFirewall;
import dev.gatehouse.ndr.Bounces;
import dev.gatehouse.ndr.ReportStage;
import dev.gatehouse.pipeline.Accepting;
import dev.gatehouse.pipeline.Route;
import dev.gatehouse.pipeline.Stage;
import dev.gatehouse.relay.RelayWorker;
import dev.gatehouse.reports.HistoricalSearchService;
import dev.gatehouse.reports.HistoricalSearchWorker;
import dev.gatehouse.queue.MessageQueue;
import dev.gatehouse.queue.RecipientStatus;
import dev.gatehouse.quarantine.QuarantineService;
import dev.gatehouse.quarantine.QuarantineStage;
import dev.gatehouse.rules.RuleEngine;
import dev.gatehouse.rules.RuleStage;
import dev.gatehouse.smtp.AddressBlock;
import dev.gatehouse.smtp.SmtpConfig;
import dev.gatehouse.smtp.SmtpEvents;
import dev.gatehouse.smtp.SmtpReply;
import dev.gatehouse.smtp.SmtpServer;
import dev.gatehouse.smtp.Tls;
import dev.gatehouse.store.CommitListener;
import dev.gatehouse.store.Store;
import dev.gatehouse.web.AdminApi;
import dev.gatehouse.web.HttpApi;
import dev.gatehouse.observability.Metrics;

/**
 * One running gateway: store, durable queue, delivery worker, SMTP listener and HTTP listener, started
 * in dependency order and stopped in reverse. Stopping (SIGTERM) first closes the SMTP listener and lets
 * sessions in a transaction finish, then drains the queue so every commit in flight completes and its
 * client gets its 250, then stops delivery and closes the store. Both ports are bound before the store
 * is opened, so a port in use is reported without touching the data directory.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final Metrics metrics = new Metrics();
    private HttpApi http;
    private SmtpServer<Route> smtp;
    private java.net.ServerSocket smtpSocket; // bound early, until the server takes it
    private Store store;
    private MessageQueue queue;
    private DeliveryWorker delivery;
    private RelayWorker relay;
    private HistoricalSearchWorker searches;
    private HuntingFeed huntingFeed;
    private HuntingService hunting;
    private HuntingTables huntingTables;
    private Housekeeping housekeeping;
    private DnsResolver dns;
    private volatile boolean healthy;
    private PublicSuffixList publicSuffixes;

    public Gateway(GatewayConfig config) {
        this.config = config;
    }

    public Gateway start() throws IOException {
        try {
            FileModes.tightenDataDirectory(config.dataDir(), config.mailRoot());
        } catch (IOException e) {
            throw new ConfigException("--data-dir '" + config.dataDir() + "': cannot create it (" + e.getMessage() + ")");
        }
        // what the configuration names is checked, then both ports are bound, before the store is opened; whatever
        // fails, everything taken so far is given back (ports, store, data directory lock)
        SSLContext ssl = tlsContext();
        CertificateTrust clientTrust = clientCertificateTrust();
        publicSuffixes = publicSuffixList();
        boolean started = false;
        try {
            startAll(ssl, clientTrust);
            started = true;
            return this;
        } finally {
            if (!started) close();
        }
    }

    private void startAll(SSLContext ssl, CertificateTrust clientTrust) throws IOException {
        try {
            http = new HttpApi(config.httpBind(), config.httpPort(), metrics, () -> healthy, config.httpRequestTimeout(),
                    config.httpTls() ? ssl : null);
        } catch (BindException e) {
            throw new ConfigException("HTTP port " + config.httpBind() + ":" + config.httpPort() + " is already in use (" + e.getMessage() + ")");
        }
        try {
            smtpSocket = SmtpServer.bind(new InetSocketAddress(InetAddress.getByName(config.smtpBind()), config.smtpPort()));
        } catch (BindException e) {
            throw new ConfigException("SMTP port " + config.smtpBind() + ":" + config.smtpPort() + " is already in use (" + e.getMessage() + ")");
        }
        store = Store.open(config.storeUrl(), config.dataDir());
        store.addCommitListener(new CommitListener() {
            @Override public void onCommit(int tasks, long bytes, long commitNanos) { metrics.groupCommit(tasks, commitNanos); }
        });
        queue = new MessageQueue(store);
        metrics.queueDepth(queue::pendingRecipients);
        Directory directory = new Directory(store);
        Bounces bounces = new Bounces(directory, config.hostname());
        DeliverySettings deliverySettings = deliverySettings().withOwner(config.nodeId());
        delivery = new DeliveryWorker(store, directory, config.mailRoot(), deliverySettings, bounces);
        queue.handOverTo(delivery::handOver);
        queue.onEnqueued(RecipientStatus.Pending, delivery::wakeUp);
        delivery.start();
        relay = new RelayWorker(store, directory, config.relayHost() == null ? null : new RelayWorker.NextHop(config.relayHostName(), config.relayPort()),
                deliverySettings, bounces, config.hostname());
        queue.onEnqueued(RecipientStatus.AwaitingRelay, relay::wakeUp);
        relay.start();
        DeliveryWorker local = delivery;
        RelayWorker outbound = relay;
        metrics.deliveryAgent("local", new Metrics.Outcomes() {
            @Override public long delivered() { return local.stats().delivered(); }
            @Override public long deferred() { return local.stats().deferred(); }
            @Override public long failed() { return local.stats().failed(); }
            @Override public long bounced() { return local.stats().bounced(); }
        });
        metrics.deliveryAgent("relay", new Metrics.Outcomes() {
            @Override public long delivered() { return outbound.stats().relayed(); }
            @Override public long deferred() { return outbound.stats().deferred(); }
            @Override public long failed() { return outbound.stats().failed(); }
            @Override public long bounced() { return outbound.stats().bounced(); }
        });

        searches = new HistoricalSearchWorker(store, bounces, config.dataDir().resolve("reports"), config.nodeId(),
                () -> { local.wakeUp(); outbound.wakeUp(); }, java.time.Clock.systemUTC(), Duration.ofSeconds(5));
        HistoricalSearchWorker searchWorker = searches;
        var historicalSearch = new HistoricalSearchService(store, directory, config.dataDir().resolve("reports"),
                (config.httpTls() ? "https://" : "http://") + config.hostname() + ":" + http.port(), searchWorker::wakeUp, java.time.Clock.systemUTC());
        searches.serving(historicalSearch).start();
        // advanced hunting: the tables fill from the last 30 days of events in the background, then follow each commit
        huntingTables = new HuntingTables(java.time.Instant.now(), HuntingTables.defaultMaxRows());
        huntingFeed = new HuntingFeed(store, directory, huntingTables, java.time.Clock.systemUTC(), Duration.ofSeconds(1)).start();
        HuntingFeed feed = huntingFeed;
        HuntingTables hunted = huntingTables;
        store.addCommitListener(new CommitListener() {
            @Override public void onCommit(int tasks, long bytes, long commitNanos) { feed.wakeUp(); }
        });
        hunting = new HuntingService(huntingTables, java.time.Clock.systemUTC());
        dns = config.dnsServers().isEmpty() ? DnsResolver.system(config.dnsTimeout()) : new DnsResolver(config.dnsServers(), config.dnsTimeout());
        log.info("event=dns servers={} timeout={} source={}", dns.servers(), config.dnsTimeout(),
                config.dnsServers().isEmpty() ? "system" : "dns-server");
        var senderChecks = new DnsSenderChecks(dns, publicSuffixes, config.hostname());
        AdminServices adminServices = AdminServices.over(store, historicalSearch, hunting).withSenderChecks(senderChecks);
        new AdminApi(adminServices, AdminCmdlets.registry()).mount(http);
        new dev.gatehouse.web.HuntingApi(adminServices).mount(http);
        new dev.gatehouse.web.AdminCentre(adminServices, AdminCmdlets.registry(), dev.gatehouse.web.pages.Pages.all()).mount(http);
        ConnectorDirectory connectors = new ConnectorDirectory(store);
        var attribution = new RecipientAttribution(directory, connectors, clientTrust);
        RefusalLog refusals = new RefusalLog(store);
        // the accept path after end of data, in order (DESIGN.md: attribution, firewall, checks, rules, hooks)
        List<Stage> stages = List.of(
                new RecipientStage(config.hostname()),
                new EnhancedFiltering(connectors, directory),
                new HeaderFirewall(config.hostname()),
                new AuthenticationStage(senderChecks, directory),
                new HeaderFromCheck(directory, refusals),
                new RuleStage(new RuleEngine(store), RuleStage.organization(directory)),
                new SpoofActionStage(),
                new QuarantineStage(),
                new ReportStage(bounces));
        var handler = new GatewayMailHandler(attribution, refusals, stages, queue, metrics, Duration.ofMinutes(2).toMillis());
        handler.onCommitting(new GatewayMailHandler.Committing() { // hunting reads content facts from the accept-time parse
            @Override public void committing(Accepting m) { feed.committing(m.networkMessageId(), m.stored()); }
            @Override public void notCommitted(String networkMessageId) { feed.notCommitted(networkMessageId); }
        });
        QuarantineService quarantine = new QuarantineService(store);
        MessageQueue delivered = queue;
        housekeeping = new Housekeeping()
                .every(Duration.ofHours(1), "quarantine_expired", () -> quarantine.purgeExpired(java.time.Instant.now()))
                // an hour's grace after the last recipient is final, then only the envelope and trace remain
                .every(Duration.ofMinutes(10), "delivered_content",
                        () -> delivered.dropDeliveredContent(java.time.Instant.now().minus(Duration.ofHours(1))))
                .every(Duration.ofHours(1), "historical_search_retention", () -> searchWorker.purge(java.time.Instant.now()))
                .every(Duration.ofHours(1), "hunting_retention", () -> {
                    java.time.Instant now = java.time.Instant.now();
                    hunted.retain(now);
                    return feed.purgeContentFacts(now);
                });
        if (!config.traceRetention().isZero()) {
            Duration keep = config.traceRetention();
            housekeeping.every(Duration.ofHours(1), "trace_retention", () -> delivered.purgeFinalOlderThan(java.time.Instant.now().minus(keep)));
            housekeeping.every(Duration.ofHours(1), "refusal_retention", () -> refusals.purgeOlderThan(java.time.Instant.now().minus(keep)));
        }
        long fdLimit = FileDescriptors.raiseSoftLimit();
        int open = FileDescriptors.openNow();
        int cap = FileDescriptors.connectionCap(config.maxConnections(), fdLimit, open);
        if (cap < config.maxConnections()) {
            log.warn("event=connection_cap max_connections={} configured={} open_file_limit={} open_now={} reserved={} (raise the"
                    + " hard limit, e.g. LimitNOFILE=, for more)", cap, config.maxConnections(), fdLimit, open, FileDescriptors.RESERVE);
        } else {
            log.info("event=connection_cap max_connections={} open_file_limit={} open_now={}", cap, fdLimit, open);
        }
        if (config.proxyProtocolFrom().stream().anyMatch(c -> c.prefixLength() == 0)) {
            log.warn("event=proxy_protocol_from_everyone proxy_protocol_from={} (any client that reaches the SMTP port can name any"
                    + " client address; list only your load balancers)", config.proxyProtocolFrom());
        }
        smtp = new SmtpServer<>(smtpConfig(ssl, cap), handler, smtpEvents());
        smtp.start(smtpSocket);
        smtpSocket = null; // the server's now
        http.start();
        healthy = true;
    }

    /** Delivery tunables: the defaults, or (tests) those given with {@link #withDeliverySettings}. */
    private DeliverySettings deliverySettings() { return deliverySettings == null ? DeliverySettings.defaults() : deliverySettings; }

    private DeliverySettings deliverySettings;

    /** Before {@link #start()}: shorter backoff and max age (tests of retry and expiry). */
    public Gateway withDeliverySettings(DeliverySettings s) {
        this.deliverySettings = s;
        return this;
    }

    private SmtpConfig smtpConfig(SSLContext ssl, int maxConnections) {
        SmtpConfig d = SmtpConfig.defaults(config.hostname());
        return d.withMaxMessageSize(config.maxMessageSize()).withMaxRecipients(config.maxRecipients())
                .withConnectionLimits(maxConnections, Math.min(config.maxConnectionsPerIp(), maxConnections))
                .withTimeouts(config.smtpTimeout(), config.dataTimeout()).withSslContext(ssl).withShutdownGrace(config.shutdownGrace())
                .withProxyProtocolFrom(config.proxyProtocolFrom().stream().map(c -> new AddressBlock(c.network(), c.prefixLength())).toList());
    }

    private SmtpEvents smtpEvents() {
        return new SmtpEvents() {
            @Override public void connectionOpened(InetAddress ip) { metrics.connectionOpened(); }
            @Override public void connectionClosed(InetAddress ip) { metrics.connectionClosed(); }
            @Override public void connectionRefused(InetAddress ip, String reason) { metrics.connectionRefused(reason); }
            @Override public void commandRejected(SmtpReply reply) { metrics.smtpRejection(reply.code(), reply.enhanced()); }
        };
    }

    /** Client certificates count if they chain to the JDK's trust store or a --tls-client-ca certificate. */
    private CertificateTrust clientCertificateTrust() {
        try {
            return CertificateTrust.load(config.tlsClientCas(), true);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConfigException("--tls-client-ca " + config.tlsClientCas() + " cannot be used: " + e.getMessage());
        }
    }

    /** The configured PEM pair, or a self-signed pair generated once into the data directory. */
    private SSLContext tlsContext() {
        Path cert = config.tlsCert();
        Path key = config.tlsKey();
        try {
            if (cert == null) {
                cert = config.dataDir().resolve("tls-selfsigned.crt");
                key = config.dataDir().resolve("tls-selfsigned.key");
                if (!Files.exists(cert) || !Files.exists(key)) {
                    Tls.generateSelfSigned(config.hostname(), cert, key);
                    log.info("generated a self-signed TLS certificate for {} at {} (give --tls-cert/--tls-key for a real one)", config.hostname(), cert);
                }
            }
            return Tls.serverContext(cert, key);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConfigException("TLS certificate '" + cert + "' / key '" + key + "' cannot be used: " + e.getMessage());
        }
    }

    /**
     * The Public Suffix List DMARC uses: the file given with {@code --public-suffix-list}, else the packaged copy.
     * A file that is not a usable list stops the start with an error naming it.
     */
    private PublicSuffixList publicSuffixList() {
        if (config.publicSuffixList() == null) return PublicSuffixList.packaged();
        return switch (PublicSuffixList.read(config.publicSuffixList())) {
            case PublicSuffixList.Loaded.Ok ok -> {
                log.info("public suffix list loaded {}", ok.list().describe());
                yield ok.list();
            }
            case PublicSuffixList.Loaded.Invalid bad -> throw new ConfigException("--public-suffix-list: " + bad.message());
        };
    }

    /** The Public Suffix List in use (after {@link #start()}). */
    public PublicSuffixList publicSuffixes() { return publicSuffixes; }

    public int smtpPort() { return smtp.port(); }

    public int httpPort() { return http.port(); }

    public Store store() { return store; }

    public HttpApi http() { return http; }

    public Metrics metrics() { return metrics; }

    /** The DNS resolver sender authentication asks (one for the whole gateway, so its cache is shared); null before {@link #start()}. */
    public Dns dns() { return dns; }

    /** Advanced hunting queries over this gateway's tables. */
    public HuntingService hunting() { return hunting; }

    /** The hunting tables themselves (tests read their snapshots). */
    public HuntingTables huntingTables() { return huntingTables; }

    /** The feed that fills the hunting tables (tests wait for it to pass an event). */
    public HuntingFeed huntingFeed() { return huntingFeed; }

    @Override
    public synchronized void close() {
        healthy = false;
        if (smtp != null) { smtp.close(config.shutdownGrace()); smtp = null; }
        if (smtpSocket != null) {
            try { smtpSocket.close(); } catch (IOException ignored) { /* closing a listener that never accepted */ }
            smtpSocket = null;
        }
        if (housekeeping != null) { housekeeping.close(); housekeeping = null; }
        if (searches != null) { searches.close(); searches = null; }
        if (hunting != null) { hunting.close(); hunting = null; }
        if (huntingFeed != null) { huntingFeed.close(); huntingFeed = null; }
        if (relay != null) { relay.close(); relay = null; }
        if (delivery != null) { delivery.close(); delivery = null; }
        if (queue != null) { queue.close(); queue = null; }
        if (store != null) { store.close(); store = null; }
        if (http != null) { http.close(); http = null; }
    }
}
