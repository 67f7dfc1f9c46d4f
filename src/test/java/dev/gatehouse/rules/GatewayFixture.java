// An in-process gateway with two tenants (spec reference configuration) for end-to-end rule and quarantine tests.
package dev.gatehouse.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.gatehouse.admin.AdminCmdlets;
import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.AdminServices;
import dev.gatehouse.admin.Principal;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.PipelineRunner;
import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.config.GatewayConfig;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.it.RawSmtpClient;
import dev.gatehouse.server.Gateway;
import dev.gatehouse.store.Store;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.trace.TraceService;

/** T1 Contoso (contoso.com; alice, bob) and T2 Fabrikam (fabrikam.com; carol). */
final class GatewayFixture implements AutoCloseable {
    final Path dir;
    final Gateway gateway;
    final Store store;
    final AdminServices services;
    final Tenant contoso;
    final Tenant fabrikam;
    private final CmdletRegistry<AdminContext> registry = AdminCmdlets.registry();

    GatewayFixture() throws IOException { this(null); }

    /** @param storeUrl null for SQLite in the temp dir, or a PostgreSQL URL (a fresh schema) */
    GatewayFixture(String storeUrl) throws IOException {
        dir = Files.createTempDirectory("gh-rules-");
        gateway = new Gateway(new GatewayConfig(dir, "mx.gatehouse.test", "127.0.0.1", 0, "127.0.0.1", 0, storeUrl, null, null, List.of(),
                10L << 20, 1000, 100, 100, Duration.ofSeconds(60), Duration.ofSeconds(2), "node-test")
                .withDns(dev.gatehouse.dns.testing.DnsServer.OFF, java.time.Duration.ofSeconds(1))).start();
        store = gateway.store();
        services = AdminServices.over(store);
        contoso = services.tenants().create("Contoso");
        fabrikam = services.tenants().create("Fabrikam");
        services.domains().create(contoso.id(), "contoso.com", "contoso.com", DomainType.Authoritative, false);
        services.domains().create(fabrikam.id(), "fabrikam.com", "fabrikam.com", DomainType.Authoritative, false);
        services.mailboxes().create(contoso.id(), "Alice", "alice@contoso.com", null);
        services.mailboxes().create(contoso.id(), "Bob", "bob@contoso.com", null);
        services.mailboxes().create(fabrikam.id(), "Carol", "carol@fabrikam.com", null);
    }

    RunResult run(Tenant t, String script) {
        return new PipelineRunner<>(registry).run(script, new AdminContext(new Principal.Operator("admin@ops"), t, services));
    }

    RunResult ok(Tenant t, String script) {
        RunResult r = run(t, script);
        if (!r.succeeded()) throw new AssertionError(script + " failed: " + r.errors());
        return r;
    }

    /** Sends one message from {@code localIp} and returns the reply to the end of data. */
    String send(String localIp, String mailFrom, List<String> rcpts, String content) throws IOException {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", gateway.smtpPort(), localIp)) {
            RawSmtpClient.expect(c.reply(), "220");
            RawSmtpClient.expect(c.cmd("EHLO client.example"), "250");
            return c.sendMessage(mailFrom, rcpts, content);
        }
    }

    static String message(String from, String to, String subject, String extraHeaders, String body) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + System.nanoTime() + "@client.example>\r\n"
                + extraHeaders + "\r\n" + body + "\r\n";
    }

    static String queuedId(String reply) {
        return reply.substring(reply.indexOf("queued as ") + "queued as ".length()).strip();
    }

    /** The messages delivered to a mailbox's Maildir so far. */
    List<String> delivered(Tenant t, String primary) throws IOException {
        Path dirNew = dir.resolve("mail").resolve(t.Guid()).resolve(primary).resolve("new");
        if (!Files.isDirectory(dirNew)) return List.of();
        try (Stream<Path> files = Files.list(dirNew)) {
            return files.sorted().map(p -> {
                try { return Files.readString(p, StandardCharsets.UTF_8); } catch (IOException e) { throw new RuntimeException(e); }
            }).toList();
        }
    }

    List<MessageTraceEvent> events(Tenant t, String nmid) { return new TraceService(store).events(t.id(), nmid); }

    @Override public void close() throws IOException {
        gateway.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
