// Public face of the rules tests' in-process gateway, for the quarantine package's tests.
package dev.gatehouse.rules;

import java.io.IOException;
import java.util.List;

import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.store.Store;

public final class QuarantineFixture implements AutoCloseable {
    private final GatewayFixture g;

    public QuarantineFixture(String storeUrl) throws IOException { g = new GatewayFixture(storeUrl); }

    public Tenant contoso() { return g.contoso; }

    public Tenant fabrikam() { return g.fabrikam; }

    public Store store() { return g.store; }

    public RunResult ok(Tenant t, String script) { return g.ok(t, script); }

    public RunResult run(Tenant t, String script) { return g.run(t, script); }

    public String send(String from, List<String> rcpts, String content) throws IOException { return g.send("127.0.0.1", from, rcpts, content); }

    public List<String> delivered(Tenant t, String primary) throws IOException { return g.delivered(t, primary); }

    @Override public void close() throws IOException { g.close(); }
}
