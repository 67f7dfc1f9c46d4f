// Reads the dns-server setting: recursive DNS servers as IP:PORT, [IPv6]:PORT, or an address alone for port 53.
package dev.gatehouse.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS servers are given as addresses, never names: finding a DNS server by name would need DNS. Several may
 * be given, comma-separated or by repeating the option; each entry is checked on its own and the error names the
 * entry at fault, not just the whole list. No address is looked up: {@link InetAddress#ofLiteral} only parses.
 */
public final class DnsServers {
    private DnsServers() {}

    /** The servers in {@code value} (empty for none: the system's resolvers); {@code source} names where it came from. */
    public static List<InetSocketAddress> parse(String value, String source) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) continue;
            servers.add(server(entry.trim(), value, source));
        }
        return servers;
    }

    private static InetSocketAddress server(String entry, String value, String source) {
        String host = entry;
        String port = "53";
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) throw bad(value, source, "'" + entry + "' has no closing ']'");
            host = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw bad(value, source, "'" + entry + "' must be [IPv6]:PORT, e.g. [2001:db8::53]:53");
                port = rest.substring(1);
            }
        } else if (entry.indexOf(':') != entry.lastIndexOf(':')) {
            throw bad(value, source, "'" + entry + "': an IPv6 address goes in brackets, e.g. [2001:db8::53]:53");
        } else if (entry.contains(":")) {
            host = entry.substring(0, entry.indexOf(':'));
            port = entry.substring(entry.indexOf(':') + 1);
        }
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw bad(value, source, "'" + host + "' is not an IP address (DNS servers are given by address, e.g. 192.0.2.53:53)");
        }
        return new InetSocketAddress(address, port(entry, port, value, source));
    }

    private static int port(String entry, String port, String value, String source) {
        try {
            int n = Integer.parseInt(port);
            if (n >= 1 && n <= 65535) return n;
        } catch (NumberFormatException e) {
            // named below
        }
        throw bad(value, source, "the port '" + port + "' of '" + entry + "' must be a number between 1 and 65535");
    }

    private static ConfigException bad(String value, String source, String why) {
        return new ConfigException(source + " '" + value + "': " + why);
    }
}
