package dev.gatehouse.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything {@code gatehouse serve} needs to start, resolved and validated once by {@link ConfigLoader}.
 * Each value comes from the command line, else a {@code GATEHOUSE_*} environment variable, else the
 * config file, else the default shown in {@link ConfigLoader}.
 *
 * @param storeUrl      null for the embedded SQLite file in the data directory, else a JDBC URL
 * @param tlsCert       PEM certificate chain for STARTTLS, or null to generate a self-signed pair
 * @param tlsClientCas  PEM files of CA certificates trusted for client certificates (connectors)
 * @param relayHost     the next hop (smart host) for outbound mail as {@code host:port}, or null for none
 * @param traceRetention how long a message's envelope, recipients and trace events are kept once every
 *                      recipient is final (null: {@link #DEFAULT_TRACE_RETENTION}; zero: forever)
 * @param dataTimeout   the whole transfer of one message's content, DATA or all its BDAT chunks (null:
 *                      {@link #DEFAULT_DATA_TIMEOUT})
 * @param httpRequestTimeout the longest the HTTP port waits for one request's header and body (null:
 *                      {@link #DEFAULT_HTTP_REQUEST_TIMEOUT})
 * @param httpTls       serve the HTTP port over TLS (HTTPS) with the SMTP port's certificate
 * @param dnsServers    the recursive DNS servers sender authentication asks, in order; empty for the system's
 *                      (/etc/resolv.conf)
 * @param dnsTimeout    the longest one DNS lookup may take, over all servers (null: {@link #DEFAULT_DNS_TIMEOUT})
 * @param publicSuffixList a newer copy of the Public Suffix List to use for DMARC's organizational domains instead of
 *                      the packaged one, or null for the packaged one (read and checked when the gateway starts)
 * @param proxyProtocolFrom load balancers whose SMTP connections must start with a PROXY protocol header (empty: off)
 */
public record GatewayConfig(
        Path dataDir,
        String hostname,
        String smtpBind,
        int smtpPort,
        String httpBind,
        int httpPort,
        String storeUrl,
        Path tlsCert,
        Path tlsKey,
        List<Path> tlsClientCas,
        long maxMessageSize,
        int maxRecipients,
        int maxConnections,
        int maxConnectionsPerIp,
        Duration smtpTimeout,
        Duration shutdownGrace,
        String nodeId,
        String relayHost,
        Duration traceRetention,
        Duration dataTimeout,
        Duration httpRequestTimeout,
        boolean httpTls,
        List<InetSocketAddress> dnsServers,
        Duration dnsTimeout,
        Path publicSuffixList,
        List<Cidr> proxyProtocolFrom) {

    /**
     * One IPv4 or IPv6 block ({@code 10.0.0.0/8}, or one address as /32 or /128) of {@code proxy-protocol-from}:
     * decoded and checked here, where the setting can be named; the SMTP listener gets the same blocks.
     */
    public record Cidr(InetAddress network, int prefixLength) {
        @Override public String toString() { return network.getHostAddress() + "/" + prefixLength; }
    }

    /** Exchange Online keeps message trace for 90 days. */
    public static final Duration DEFAULT_TRACE_RETENTION = Duration.ofDays(90);

    /** Postfix's whole-message limit is of this order; a message trickled slower than that is dropped. */
    public static final Duration DEFAULT_DATA_TIMEOUT = Duration.ofMinutes(10);

    /** A browser or an API client sends a request in well under a second; a trickler is cut here. */
    public static final Duration DEFAULT_HTTP_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** A recursive resolver nearby answers in milliseconds; two seconds covers a slow upstream without holding a session long. */
    public static final Duration DEFAULT_DNS_TIMEOUT = Duration.ofSeconds(2);

    public GatewayConfig {
        tlsClientCas = List.copyOf(tlsClientCas);
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        if (dnsTimeout == null) dnsTimeout = DEFAULT_DNS_TIMEOUT;
        proxyProtocolFrom = proxyProtocolFrom == null ? List.of() : List.copyOf(proxyProtocolFrom);
        if (traceRetention == null) traceRetention = DEFAULT_TRACE_RETENTION;
        if (dataTimeout == null) dataTimeout = DEFAULT_DATA_TIMEOUT;
        if (httpRequestTimeout == null) httpRequestTimeout = DEFAULT_HTTP_REQUEST_TIMEOUT;
        relayHost = relayHost == null || relayHost.isBlank() ? null : relayHost;
    }

    /** The packaged Public Suffix List. */
    public GatewayConfig(Path dataDir, String hostname, String smtpBind, int smtpPort, String httpBind, int httpPort, String storeUrl,
                         Path tlsCert, Path tlsKey, List<Path> tlsClientCas, long maxMessageSize, int maxRecipients, int maxConnections,
                         int maxConnectionsPerIp, Duration smtpTimeout, Duration shutdownGrace, String nodeId, String relayHost,
                         Duration traceRetention, Duration dataTimeout, Duration httpRequestTimeout, boolean httpTls,
                         List<InetSocketAddress> dnsServers, Duration dnsTimeout) {
        this(dataDir, hostname, smtpBind, smtpPort, httpBind, httpPort, storeUrl, tlsCert, tlsKey, tlsClientCas, maxMessageSize,
                maxRecipients, maxConnections, maxConnectionsPerIp, smtpTimeout, shutdownGrace, nodeId, relayHost, traceRetention,
                dataTimeout, httpRequestTimeout, httpTls, dnsServers, dnsTimeout, null, List.of());
    }

    /** The system's DNS servers, with the default timeout. */
    public GatewayConfig(Path dataDir, String hostname, String smtpBind, int smtpPort, String httpBind, int httpPort, String storeUrl,
                         Path tlsCert, Path tlsKey, List<Path> tlsClientCas, long maxMessageSize, int maxRecipients, int maxConnections,
                         int maxConnectionsPerIp, Duration smtpTimeout, Duration shutdownGrace, String nodeId, String relayHost,
                         Duration traceRetention, Duration dataTimeout, Duration httpRequestTimeout, boolean httpTls) {
        this(dataDir, hostname, smtpBind, smtpPort, httpBind, httpPort, storeUrl, tlsCert, tlsKey, tlsClientCas, maxMessageSize,
                maxRecipients, maxConnections, maxConnectionsPerIp, smtpTimeout, shutdownGrace, nodeId, relayHost, traceRetention,
                dataTimeout, httpRequestTimeout, httpTls, List.of(), null, null, List.of());
    }

    /** Plain HTTP on the HTTP port. */
    public GatewayConfig(Path dataDir, String hostname, String smtpBind, int smtpPort, String httpBind, int httpPort, String storeUrl,
                         Path tlsCert, Path tlsKey, List<Path> tlsClientCas, long maxMessageSize, int maxRecipients, int maxConnections,
                         int maxConnectionsPerIp, Duration smtpTimeout, Duration shutdownGrace, String nodeId, String relayHost,
                         Duration traceRetention, Duration dataTimeout, Duration httpRequestTimeout) {
        this(dataDir, hostname, smtpBind, smtpPort, httpBind, httpPort, storeUrl, tlsCert, tlsKey, tlsClientCas, maxMessageSize,
                maxRecipients, maxConnections, maxConnectionsPerIp, smtpTimeout, shutdownGrace, nodeId, relayHost, traceRetention,
                dataTimeout, httpRequestTimeout, false);
    }

    /** Without a relay host (outbound mail is deferred until one is configured). */
    public GatewayConfig(Path dataDir, String hostname, String smtpBind, int smtpPort, String httpBind, int httpPort, String storeUrl,
                         Path tlsCert, Path tlsKey, List<Path> tlsClientCas, long maxMessageSize, int maxRecipients, int maxConnections,
                         int maxConnectionsPerIp, Duration smtpTimeout, Duration shutdownGrace, String nodeId) {
        this(dataDir, hostname, smtpBind, smtpPort, httpBind, httpPort, storeUrl, tlsCert, tlsKey, tlsClientCas, maxMessageSize,
                maxRecipients, maxConnections, maxConnectionsPerIp, smtpTimeout, shutdownGrace, nodeId, null, null, null, null);
    }

    public GatewayConfig withRelayHost(String hostPort) {
        return new GatewayConfig(dataDir, hostname, smtpBind, smtpPort, httpBind, httpPort, storeUrl, tlsCert, tlsKey, tlsClientCas,
                maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerIp, smtpTimeout, shutdownGrace, nodeId, hostPort,
                traceRetention, dataTimeout, httpRequestTimeout, httpTls, dnsServers, dnsTimeout, publicSuffixList, proxyProtocolFrom);
    }

    /** The same, asking {@code servers} (empty: the system's) with {@code timeout} per lookup. */
    public GatewayConfig withDns(List<InetSocketAddress> servers, Duration timeout) {
        return new GatewayConfig(dataDir, hostname, smtpBind, smtpPort, httpBind, httpPort, storeUrl, tlsCert, tlsKey, tlsClientCas,
                maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerIp, smtpTimeout, shutdownGrace, nodeId, relayHost,
                traceRetention, dataTimeout, httpRequestTimeout, httpTls, servers, timeout, publicSuffixList, proxyProtocolFrom);
    }

    /** The same, with a newer Public Suffix List file (null: the packaged copy). */
    public GatewayConfig withPublicSuffixList(Path file) {
        return new GatewayConfig(dataDir, hostname, smtpBind, smtpPort, httpBind, httpPort, storeUrl, tlsCert, tlsKey, tlsClientCas,
                maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerIp, smtpTimeout, shutdownGrace, nodeId, relayHost,
                traceRetention, dataTimeout, httpRequestTimeout, httpTls, dnsServers, dnsTimeout, file, proxyProtocolFrom);
    }

    /** The relay host's name or address (brackets removed from an IPv6 literal), or null. */
    public String relayHostName() {
        if (relayHost == null) return null;
        String h = relayHost.substring(0, relayHost.lastIndexOf(':'));
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    public int relayPort() { return relayHost == null ? 0 : Integer.parseInt(relayHost.substring(relayHost.lastIndexOf(':') + 1)); }

    public Path mailRoot() { return dataDir.resolve("mail"); }

    public Path operatorTokenFile() { return dataDir.resolve("operator.token"); }

    /** A short description of the store for logs, without credentials. */
    public String storeDescription() {
        if (storeUrl == null) return "sqlite:" + dataDir.resolve("gatehouse.db");
        int q = storeUrl.indexOf('?');
        return q < 0 ? storeUrl : storeUrl.substring(0, q);
    }

    /** The same, with SMTP connections from these blocks required to start with a PROXY protocol header. */
    public GatewayConfig withProxyProtocolFrom(List<Cidr> blocks) {
        return new GatewayConfig(dataDir, hostname, smtpBind, smtpPort, httpBind, httpPort, storeUrl, tlsCert, tlsKey, tlsClientCas,
                maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerIp, smtpTimeout, shutdownGrace, nodeId, relayHost,
                traceRetention, dataTimeout, httpRequestTimeout, httpTls, dnsServers, dnsTimeout, publicSuffixList, blocks);
    }
}
