// gatehouse auth-check: SPF, DKIM, DMARC, ARC and compauth for one message, from the command line, without a gateway.
package dev.gatehouse.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.compauth.AuthenticationReport;
import dev.gatehouse.compauth.DnsSenderChecks;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.DnsServers;
import dev.gatehouse.directory.AntiPhishSettings;
import dev.gatehouse.dmarc.PublicSuffixList;
import dev.gatehouse.dns.DnsResolver;
import dev.gatehouse.mail.Message;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What {@code Test-MessageAuthentication} does in a running gateway, as a standalone tool in the spirit of
 * {@code spfquery} and {@code opendmarc-check}: the same checks and table, with the resolver given by
 * {@code --dns-server} (default: the system's) and the organization's side given as options. Exit code 0 when
 * the checks ran, 2 for a usage error.
 */
@Command(name = "auth-check", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Check SPF, DKIM, DMARC, ARC and composite authentication for a message, and say why.")
final class AuthCheckCommand implements Callable<Integer> {
    @Option(names = "--client-ip", required = true, description = "The client's IPv4 or IPv6 address") String clientIp;
    @Option(names = "--helo", required = true, description = "The HELO/EHLO name") String helo;
    @Option(names = "--mail-from", required = true, description = "The MAIL FROM address; \"\" for the null sender") String mailFrom;
    @Option(names = "--message-file", description = "The message (.eml) for DKIM, ARC and the From domain") Path messageFile;
    @Option(names = "--dns-server", description = "DNS server IP:PORT (repeatable). Default: the system's resolvers") List<String> dnsServers;
    @Option(names = "--dns-timeout", description = "Longest one DNS lookup may take, in seconds. Default 2") int dnsTimeoutSeconds = 2;
    @Option(names = "--accepted-domain", description = "One of the organization's accepted domains (repeatable; subdomains too)")
    List<String> acceptedDomains = new ArrayList<>();
    @Option(names = "--trusted-arc-sealer", description = "A trusted ARC sealer's domain (repeatable)") List<String> sealers = new ArrayList<>();
    @Option(names = "--public-suffix-list", description = "A newer Public Suffix List file than the packaged one") Path publicSuffixList;
    @Option(names = "--hostname", description = "The receiver's name in Received-SPF. Default localhost") String hostname = "localhost";
    @Option(names = "--json", description = "Print the lines as JSON") boolean json;

    @Override
    public Integer call() throws Exception {
        InetAddress ip;
        try {
            ip = InetAddress.ofLiteral(clientIp.strip());
        } catch (IllegalArgumentException e) {
            return usage("--client-ip '" + clientIp + "': give an IPv4 or IPv6 address");
        }
        List<InetSocketAddress> servers;
        try {
            servers = DnsServers.parse(dnsServers == null ? "" : String.join(",", dnsServers), "--dns-server");
        } catch (ConfigException e) {
            return usage(e.getMessage());
        }
        String from = mailFrom.strip();
        if (from.startsWith("<") && from.endsWith(">")) from = from.substring(1, from.length() - 1);
        byte[] content;
        if (messageFile != null) {
            if (!Files.isReadable(messageFile)) return usage("--message-file '" + messageFile + "': cannot read it");
            content = Files.readAllBytes(messageFile);
        } else {
            content = ((from.isEmpty() ? "" : "From: <" + from + ">\r\n") + "Subject: auth-check\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        PublicSuffixList psl;
        if (publicSuffixList == null) {
            psl = PublicSuffixList.packaged();
        } else {
            switch (PublicSuffixList.read(publicSuffixList)) {
                case PublicSuffixList.Loaded.Ok ok -> psl = ok.list();
                case PublicSuffixList.Loaded.Invalid bad -> { return usage(bad.message()); }
            }
        }
        Duration timeout = Duration.ofSeconds(Math.max(1, dnsTimeoutSeconds));
        DnsResolver dns = servers.isEmpty() ? DnsResolver.system(timeout) : new DnsResolver(servers, timeout);
        var checks = new DnsSenderChecks(dns, psl, hostname);
        var tenant = new AuthenticationReport.Tenant(this::accepted, sealers.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList(),
                AntiPhishSettings.DEFAULTS);
        List<AuthenticationReport.Line> lines = AuthenticationReport.run(checks, ip, helo, from, Message.parse(crlf(content)), tenant);
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(lines));
        } else {
            for (AuthenticationReport.Line l : lines) {
                System.out.printf("%-22s %-9s %s%n", l.Check(), l.Result(), l.Reason());
            }
        }
        return 0;
    }

    private boolean accepted(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        for (String a : acceptedDomains) {
            String name = a.strip().toLowerCase(Locale.ROOT);
            if (d.equals(name) || d.endsWith("." + name)) return true;
        }
        return false;
    }

    /** A file saved with bare LF line ends (as most tools save .eml) read as the CRLF it was sent with. */
    static byte[] crlf(byte[] content) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(content.length + 64);
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n' && (i == 0 || content[i - 1] != '\r')) out.write('\r');
            out.write(content[i]);
        }
        return out.toByteArray();
    }

    private static int usage(String message) {
        System.err.println("gatehouse auth-check: " + message);
        return 2;
    }
}
