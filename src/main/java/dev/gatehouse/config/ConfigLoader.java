package dev.gatehouse.config;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves {@link GatewayConfig} from three layers: command-line options (highest), environment
 * variables {@code GATEHOUSE_<KEY>} (key upper-cased, dashes as underscores), and a config file in
 * Java properties syntax ({@code smtp-port = 2525}). Unknown keys in the file are an error, so a typo
 * never silently falls back to a default.
 */
public final class ConfigLoader {

    /** Every key with its default ("" = none). Keys are the long option names without dashes. */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    static {
        DEFAULTS.put("data-dir", "./data");
        DEFAULTS.put("hostname", "");
        DEFAULTS.put("smtp-bind", "0.0.0.0");
        DEFAULTS.put("smtp-port", "2525");
        DEFAULTS.put("http-bind", "127.0.0.1");
        DEFAULTS.put("http-port", "8080");
        DEFAULTS.put("store", "");
        DEFAULTS.put("tls-cert", "");
        DEFAULTS.put("tls-key", "");
        DEFAULTS.put("tls-client-ca", "");
        DEFAULTS.put("max-message-size", "36MB");
        DEFAULTS.put("max-recipients", "1000");
        DEFAULTS.put("max-connections", "20000");
        DEFAULTS.put("max-connections-per-ip", "50");
        DEFAULTS.put("smtp-timeout", "300s");
        DEFAULTS.put("data-timeout", "10m");
        DEFAULTS.put("http-request-timeout", "30s");
        DEFAULTS.put("http-tls", "false");
        DEFAULTS.put("shutdown-grace", "30s");
        DEFAULTS.put("node-id", "");
        DEFAULTS.put("relay-host", "");
        DEFAULTS.put("trace-retention", "90d");
        DEFAULTS.put("dns-server", "");
        DEFAULTS.put("dns-timeout", "2s");
        DEFAULTS.put("public-suffix-list", "");
        DEFAULTS.put("proxy-protocol-from", "");
    }

    /** True when {@code key} (an option's long name without dashes) is a setting of {@code serve}. */
    public static boolean isSetting(String key) { return DEFAULTS.containsKey(key); }

    private final Map<String, String> cli;
    private final Map<String, String> env;
    private final Path configFile;

    /**
     * @param cli        values given on the command line, by key (absent keys are not given)
     * @param env        the process environment
     * @param configFile the config file, or null
     */
    public ConfigLoader(Map<String, String> cli, Map<String, String> env, Path configFile) {
        this.cli = cli;
        this.env = env;
        this.configFile = configFile;
    }

    public GatewayConfig load() {
        Map<String, String> file = readFile();
        Map<String, String> v = new HashMap<>();
        Map<String, String> source = new HashMap<>();
        for (var e : DEFAULTS.entrySet()) {
            String key = e.getKey();
            String envKey = "GATEHOUSE_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
            if (cli.containsKey(key)) { v.put(key, cli.get(key)); source.put(key, "--" + key); }
            else if (env.containsKey(envKey)) { v.put(key, env.get(envKey)); source.put(key, envKey); }
            else if (file.containsKey(key)) { v.put(key, file.get(key)); source.put(key, configFile + ": " + key); }
            else { v.put(key, e.getValue()); source.put(key, "default " + key); }
        }
        Fields f = new Fields(v, source);
        String host = v.get("hostname").isBlank() ? localHostName() : v.get("hostname").trim();
        if (!host.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
            throw new ConfigException(source.get("hostname") + " '" + host + "' is not a valid host name");
        }
        Path cert = f.optionalPath("tls-cert");
        Path key = f.optionalPath("tls-key");
        if ((cert == null) != (key == null)) {
            throw new ConfigException("--tls-cert and --tls-key must be given together (got only "
                    + (cert != null ? "--tls-cert" : "--tls-key") + ")");
        }
        for (Path p : new Path[] {cert, key}) {
            if (p != null && !Files.isReadable(p)) throw new ConfigException("TLS file '" + p + "' does not exist or is not readable");
        }
        Path psl = f.optionalPath("public-suffix-list");
        if (psl != null && !Files.isReadable(psl)) {
            throw new ConfigException(source.get("public-suffix-list") + " '" + psl + "' does not exist or is not readable");
        }
        List<Path> cas = new ArrayList<>();
        for (String s : v.get("tls-client-ca").split(",")) {
            if (s.isBlank()) continue;
            Path p = Path.of(s.trim());
            if (!Files.isReadable(p)) throw new ConfigException(source.get("tls-client-ca") + " '" + p + "' does not exist or is not readable");
            cas.add(p);
        }
        String store = v.get("store").trim();
        if (!store.isEmpty() && !store.startsWith("jdbc:postgresql://") && !store.startsWith("jdbc:sqlite:")) {
            throw new ConfigException(source.get("store") + " '" + store + "': use a jdbc:postgresql://host:port/db URL, a jdbc:sqlite:FILE URL, or leave it empty for the embedded store");
        }
        int smtpPort = f.port("smtp-port");
        int httpPort = f.port("http-port");
        if (smtpPort != 0 && smtpPort == httpPort) throw new ConfigException("--smtp-port and --http-port are both " + smtpPort);
        Path dataDir = Path.of(v.get("data-dir")).toAbsolutePath().normalize();
        // stable across restarts (a restarted node reclaims its own delivery leases at once), distinct per data dir
        String nodeId = v.get("node-id").isBlank()
                ? host + "-" + Integer.toHexString(dataDir.toString().hashCode()) : v.get("node-id").trim();
        return new GatewayConfig(
                dataDir, host,
                f.address("smtp-bind"), smtpPort, f.address("http-bind"), httpPort,
                store.isEmpty() ? null : store, cert, key, cas,
                f.bytes("max-message-size"), f.intRange("max-recipients", 100, 100_000),
                f.intRange("max-connections", 1, 1_000_000), f.intRange("max-connections-per-ip", 1, 100_000),
                f.positiveDuration("smtp-timeout"), f.duration("shutdown-grace"), nodeId, f.relayHost("relay-host"),
                f.retention("trace-retention"), f.positiveDuration("data-timeout"),
                f.positiveDuration("http-request-timeout"), f.bool("http-tls"),
                DnsServers.parse(v.get("dns-server"), source.get("dns-server")), f.dnsTimeout("dns-timeout"), psl,
                f.cidrs("proxy-protocol-from"));
    }

    private Map<String, String> readFile() {
        Map<String, String> out = new HashMap<>();
        if (configFile == null) return out;
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file '" + configFile + "': " + e.getMessage());
        }
        for (String k : p.stringPropertyNames()) {
            String key = k.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            if (!DEFAULTS.containsKey(key)) {
                throw new ConfigException(configFile + ": unknown setting '" + k + "' (known: " + String.join(", ", DEFAULTS.keySet()) + ")");
            }
            out.put(key, p.getProperty(k).trim());
        }
        return out;
    }

    /**
     * The machine's fully qualified name for the greeting and {@code Received:}: the canonical name of the local
     * host, else its host name, else the kernel's ({@code /proc/sys/kernel/hostname}, {@code /etc/hostname}), the
     * first that is a real name (not {@code localhost}, not an address), preferring one with a dot; "localhost"
     * only when that is all there is.
     */
    static String localHostName() {
        List<String> candidates = new ArrayList<>();
        try {
            InetAddress local = InetAddress.getLocalHost();
            candidates.add(local.getCanonicalHostName());
            candidates.add(local.getHostName());
        } catch (UnknownHostException | RuntimeException e) {
            // no name resolves for this host: read the kernel's
        }
        for (String file : List.of("/proc/sys/kernel/hostname", "/etc/hostname")) {
            try {
                candidates.add(java.nio.file.Files.readString(java.nio.file.Path.of(file)).strip());
            } catch (java.io.IOException | RuntimeException e) {
                // not there
            }
        }
        List<String> real = candidates.stream().filter(h -> h != null && !h.isBlank()).map(String::strip)
                .filter(h -> !h.toLowerCase(Locale.ROOT).startsWith("localhost") && !h.matches("[0-9.:]+") && h.matches("[A-Za-z0-9.-]+"))
                .toList();
        return real.stream().filter(h -> h.contains(".")).findFirst().orElse(real.isEmpty() ? "localhost" : real.getFirst());
    }

    /** Typed readers that name the setting, where it came from and the value when it is wrong. */
    private record Fields(Map<String, String> v, Map<String, String> source) {
        ConfigException bad(String key, String why) {
            return new ConfigException(source.get(key) + " '" + v.get(key) + "': " + why);
        }

        boolean bool(String key) {
            String b = v.get(key).trim().toLowerCase(java.util.Locale.ROOT);
            if (b.equals("true") || b.equals("yes") || b.equals("1")) return true;
            if (b.equals("false") || b.equals("no") || b.equals("0") || b.isEmpty()) return false;
            throw bad(key, "must be true or false");
        }

        int port(String key) {
            int p = intRange(key, 0, 65535);
            return p;
        }

        int intRange(String key, int min, int max) {
            try {
                int n = Integer.parseInt(v.get(key).trim());
                if (n < min || n > max) throw bad(key, "must be between " + min + " and " + max);
                return n;
            } catch (NumberFormatException e) {
                throw bad(key, "is not a whole number");
            }
        }

        String address(String key) {
            String a = v.get(key).trim();
            try {
                InetAddress.getByName(a);
                return a;
            } catch (UnknownHostException e) {
                throw bad(key, "is not a local address to listen on");
            }
        }

        /** {@code host:port} (a host name, an IPv4 address or a bracketed IPv6 address; port 1-65535), or null when empty. */
        String relayHost(String key) {
            String s = v.get(key).trim();
            if (s.isEmpty()) return null;
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) throw bad(key, "must be HOST:PORT, e.g. smtp.example.net:25");
            String host = s.substring(0, colon);
            boolean ok = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1).matches("[0-9A-Fa-f:.]+")
                    : host.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
            if (!ok) throw bad(key, "'" + host + "' is not a host name or address (an IPv6 address goes in brackets: [2001:db8::1]:25)");
            try {
                int port = Integer.parseInt(s.substring(colon + 1));
                if (port < 1 || port > 65535) throw bad(key, "the port must be between 1 and 65535");
            } catch (NumberFormatException e) {
                throw bad(key, "the port '" + s.substring(colon + 1) + "' is not a number");
            }
            return s;
        }

        /**
         * Comma-separated IPv4/IPv6 addresses or CIDR blocks. Only literals: a dotted quad must have four parts
         * without leading zeros (no octal reading), and a block's host bits must be zero (a typo, not a wider block).
         */
        List<GatewayConfig.Cidr> cidrs(String key) {
            List<GatewayConfig.Cidr> out = new ArrayList<>();
            for (String part : v.get(key).split(",")) {
                String s = part.trim();
                if (s.isEmpty()) continue;
                GatewayConfig.Cidr c = cidr(s);
                if (c == null) throw bad(key, "'" + s + "' is not an IP address or CIDR block such as 10.0.0.0/8 or 2001:db8::/32");
                byte[] a = c.network().getAddress();
                byte[] masked = a.clone();
                for (int i = c.prefixLength(); i < a.length * 8; i++) masked[i / 8] &= (byte) ~(0x80 >>> (i % 8));
                if (!java.util.Arrays.equals(a, masked)) {
                    throw bad(key, "'" + s + "' has host bits set; did you mean " + literal(masked).getHostAddress() + "/" + c.prefixLength() + "?");
                }
                out.add(c);
            }
            return out;
        }

        /** {@code ADDRESS} or {@code ADDRESS/PREFIX} in literal form, or null. */
        static GatewayConfig.Cidr cidr(String s) {
            int slash = s.indexOf('/');
            InetAddress a = literal(slash < 0 ? s : s.substring(0, slash));
            if (a == null) return null;
            int bits = a.getAddress().length * 8;
            if (slash < 0) return new GatewayConfig.Cidr(a, bits);
            String p = s.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) return null;
            return new GatewayConfig.Cidr(a, Integer.parseInt(p));
        }

        /** A dotted quad (four parts, no leading zeros) or an IPv6 literal, decoded without any lookup; else null. */
        static InetAddress literal(String s) {
            boolean ok = s.indexOf(':') >= 0 ? s.matches("[0-9A-Fa-f:.]{2,45}")
                    : s.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
            if (!ok) return null;
            try {
                return InetAddress.ofLiteral(s);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        static InetAddress literal(byte[] address) {
            try {
                return InetAddress.getByAddress(address);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);   // 4 or 16 octets: cannot happen
            }
        }

        Path optionalPath(String key) {
            String s = v.get(key).trim();
            return s.isEmpty() ? null : Path.of(s);
        }

        long bytes(String key) {
            String s = v.get(key).trim().toUpperCase(Locale.ROOT).replace(" ", "");
            long mult = 1;
            for (var u : List.of(Map.entry("KB", 1024L), Map.entry("MB", 1024L * 1024), Map.entry("GB", 1024L * 1024 * 1024), Map.entry("B", 1L))) {
                if (s.endsWith(u.getKey())) { mult = u.getValue(); s = s.substring(0, s.length() - u.getKey().length()); break; }
            }
            try {
                long n = (long) (Double.parseDouble(s) * mult);
                if (n < 1024 || n > 2L * 1024 * 1024 * 1024) throw bad(key, "must be between 1KB and 2GB");
                return n;
            } catch (NumberFormatException e) {
                throw bad(key, "is not a size such as 36MB or 500KB");
            }
        }

        Duration duration(String key) {
            String s = v.get(key).trim().toLowerCase(Locale.ROOT);
            try {
                if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
                if (s.endsWith("s")) return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
                if (s.endsWith("m")) return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
                if (s.endsWith("h")) return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
                if (s.endsWith("d")) return Duration.ofDays(Long.parseLong(s.substring(0, s.length() - 1)));
                return Duration.ofSeconds(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw bad(key, "is not a duration such as 300s, 5m, 12h, 90d or 500ms");
            }
        }

        /** A duration of at least a millisecond. */
        Duration positiveDuration(String key) {
            Duration d = duration(key);
            if (d.isZero() || d.isNegative()) throw bad(key, "must be longer than 0");
            return d;
        }

        /** A DNS lookup's time limit: positive, at most a minute (a session waits for it). */
        Duration dnsTimeout(String key) {
            Duration d = positiveDuration(key);
            if (d.compareTo(Duration.ofMinutes(1)) > 0) throw bad(key, "must be at most 60s");
            return d;
        }

        /** A retention period: 0 keeps forever, otherwise at least a day (trace must outlive delivery). */
        Duration retention(String key) {
            Duration d = duration(key);
            if (d.isNegative() || (!d.isZero() && d.compareTo(Duration.ofDays(1)) < 0)) {
                throw bad(key, "must be 0 (keep forever) or at least 1d");
            }
            return d;
        }
    }
}
