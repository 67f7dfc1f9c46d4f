package dev.gatehouse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatewayConfig;
import dev.gatehouse.server.Gateway;
import dev.gatehouse.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse serve}: loads the configuration (options, {@code GATEHOUSE_*} variables, config
 * file), starts the gateway, writes the operator token on first start, logs one ready line, and on
 * SIGTERM drains in-flight commits before exiting.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Run the gateway: SMTP intake, delivery, and the HTTP admin/metrics port.")
final class ServeCommand implements Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--config", description = "Config file (Java properties: smtp-port = 2525, ...). Env: GATEHOUSE_CONFIG") Path configFile;
    @Option(names = "--data-dir", description = "Data directory (store, mail, token, TLS). Default ./data") String dataDir;
    @Option(names = "--hostname", description = "Host name used in the greeting and Received fields") String hostname;
    @Option(names = "--smtp-bind", description = "SMTP listen address. Default 0.0.0.0") String smtpBind;
    @Option(names = "--smtp-port", description = "SMTP port. Default 2525") String smtpPort;
    @Option(names = "--http-bind", description = "HTTP listen address. Default 127.0.0.1") String httpBind;
    @Option(names = "--http-port", description = "HTTP port (/healthz, /metrics, admin API). Default 8080") String httpPort;
    @Option(names = "--store", description = "Store: empty for SQLite in the data dir, or jdbc:postgresql://host:port/db?user=...") String store;
    @Option(names = "--tls-cert", description = "PEM certificate chain for STARTTLS (default: self-signed, generated)") String tlsCert;
    @Option(names = "--tls-key", description = "PEM private key for --tls-cert") String tlsKey;
    @Option(names = "--tls-client-ca", description = "PEM file of CA certificates trusted for client certificates (repeatable)") List<String> tlsClientCa;
    @Option(names = "--max-message-size", description = "Largest message (SIZE). Default 36MB") String maxMessageSize;
    @Option(names = "--max-recipients", description = "Recipients per message. Default 1000") String maxRecipients;
    @Option(names = "--max-connections", description = "Concurrent SMTP connections. Default 20000") String maxConnections;
    @Option(names = "--max-connections-per-ip", description = "Concurrent SMTP connections per client IP. Default 50") String maxConnectionsPerIp;
    @Option(names = "--smtp-timeout", description = "Command timeout. Default 300s") String smtpTimeout;
    @Option(names = "--http-tls", arity = "0..1", fallbackValue = "true",
            description = "Serve the HTTP port (admin centre, APIs) over TLS with the --tls-cert certificate. Default false") String httpTls;
    @Option(names = "--http-request-timeout", description = "Longest the HTTP port waits for one request (header and body). Default 30s") String httpRequestTimeout;
    @Option(names = "--data-timeout", description = "Longest transfer of one message's content (DATA, or all its BDAT chunks). Default 10m") String dataTimeout;
    @Option(names = "--shutdown-grace", description = "How long SIGTERM waits for sessions in a transaction. Default 30s") String shutdownGrace;
    @Option(names = "--relay-host", description = "Next hop (smart host) for outbound mail, HOST:PORT. Default none (outbound mail is deferred)") String relayHost;
    @Option(names = "--trace-retention", description = "How long message trace (envelope, recipients, events) is kept once final, e.g. 90d; 0 keeps it forever. Default 90d") String traceRetention;
    @Option(names = "--dns-server", split = ",", description = "Recursive DNS server for sender authentication, IP:PORT or [IPv6]:PORT (repeatable, or comma-separated; asked in order). Default: the system's (/etc/resolv.conf)") List<String> dnsServer;
    @Option(names = "--dns-timeout", description = "Longest one DNS lookup may take, over all DNS servers. Default 2s") String dnsTimeout;
    @Option(names = "--public-suffix-list", description = "A newer Public Suffix List file (public_suffix_list.dat) for DMARC's organizational domains, instead of the packaged copy; checked at start") String publicSuffixList;
    @Option(names = "--proxy-protocol-from", description = "Load balancers (IP or CIDR, repeatable or comma-separated) whose SMTP"
            + " connections must start with a PROXY protocol v1/v2 header naming the real client. Default none (PROXY protocol off)")
    List<String> proxyProtocolFrom;
    @Option(names = "--node-id", description = "This node's id for delivery claims on a shared store") String nodeId;

    @Override
    public Integer call() {
        GatewayConfig config;
        Gateway gateway;
        try {
            config = new ConfigLoader(cliValues(), System.getenv(), configFile()).load();
            gateway = new Gateway(config).start();
        } catch (ConfigException | StoreException e) {
            System.err.println("gatehouse: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("gatehouse: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("gatehouse stopping: draining sessions and commits");
            gateway.close();
            log.info("gatehouse stopped");
            stopped.countDown();
        }, "shutdown"));
        exitZeroOnSigterm();
        try {
            String tokenNote = OperatorToken.ensure(config.operatorTokenFile(), gateway);
            if (tokenNote != null) log.info(tokenNote);
        } catch (IOException e) {
            System.err.println("gatehouse: cannot write the operator token: " + e.getMessage());
            return 1;
        }
        AotCacheStatus.log(log); // before the ready line, which whoever waits for it reads as "startup is over"
        log.info("gatehouse ready smtp={}:{} http={}:{} store={} data={} hostname={}", config.smtpBind(), gateway.smtpPort(),
                config.httpBind(), gateway.httpPort(), config.storeDescription(), config.dataDir(), config.hostname());
        String host = config.httpBind().contains(":") ? "[" + config.httpBind() + "]" : config.httpBind();
        log.info("admin centre: {}://{}:{}/ (sign in with the operator token or a tenant admin token)", config.httpTls() ? "https" : "http",
                host.equals("0.0.0.0") ? config.hostname() : host, gateway.httpPort());
        log.info("outbound next hop: {}", config.relayHost() == null ? "none (mail to other domains is deferred: give --relay-host)" : config.relayHost());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * A JVM stopped by SIGTERM exits with status 143 even when its shutdown hooks ran to completion, which
     * process supervisors report as a failure. SIGTERM is the planned way to stop the gateway, so turn it
     * into {@code System.exit(0)}: the same shutdown hook drains sessions and commits, then the status is 0.
     */
    @SuppressWarnings("sunapi")
    private static void exitZeroOnSigterm() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> System.exit(0));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.debug("cannot install a SIGTERM handler ({}); SIGTERM will exit with 143", e.toString());
        }
    }

    private Path configFile() {
        if (configFile != null) return configFile;
        String env = System.getenv("GATEHOUSE_CONFIG");
        return env == null || env.isBlank() ? null : Path.of(env);
    }

    /**
     * The options given on the command line, by setting key: every option named like a {@link ConfigLoader}
     * key ({@code --smtp-port} → {@code smtp-port}), read from picocli's model so the key list lives in one place.
     */
    private Map<String, String> cliValues() {
        if (configFile != null && !Files.isReadable(configFile)) {
            throw new ConfigException("--config '" + configFile + "' does not exist or is not readable");
        }
        Map<String, String> m = new HashMap<>();
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            String key = o.longestName().replaceFirst("^--", "");
            Object v = o.getValue();
            if (v == null || !ConfigLoader.isSetting(key)) continue;
            m.put(key, v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : v.toString());
        }
        return m;
    }
}
