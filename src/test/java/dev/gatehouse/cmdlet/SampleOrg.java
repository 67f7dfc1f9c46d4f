// Test fixture shared by the runner-level tests: one organization's accepted domains and Exchange-like
// cmdlets over them (Get-AcceptedDomain, Set-AcceptedDomain), run through a real PipelineRunner.
package dev.gatehouse.cmdlet;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The handlers' context and the registry its cmdlets live in; tests may register more cmdlets. */
final class SampleOrg {
    enum DomainType { Authoritative, InternalRelay }

    record AcceptedDomain(String identity, DomainType domainType, boolean matchSubDomains, int priority,
            ByteQuantifiedSize maxMessageSize, OffsetDateTime whenCreated) {}

    static final AcceptedDomain CONTOSO = new AcceptedDomain("contoso.com", DomainType.Authoritative, false, 0,
            new ByteQuantifiedSize(35L << 20), OffsetDateTime.of(2025, 7, 1, 13, 5, 9, 0, ZoneOffset.UTC));
    static final AcceptedDomain FABRIKAM = new AcceptedDomain("fabrikam.com", DomainType.InternalRelay, true, 1,
            new ByteQuantifiedSize(10L << 20), OffsetDateTime.of(2025, 12, 24, 0, 0, 0, 0, ZoneOffset.UTC));
    static final AcceptedDomain TAILSPIN = new AcceptedDomain("tailspintoys.com", DomainType.Authoritative, false, 2,
            null, OffsetDateTime.of(2026, 1, 15, 8, 30, 0, 0, ZoneOffset.UTC));

    final Map<String, AcceptedDomain> domains = new LinkedHashMap<>();
    /** What the handlers did, in order: "get" and "set IDENTITY". */
    final List<String> calls = new ArrayList<>();
    final CmdletRegistry<SampleOrg> registry = new CmdletRegistry<>();

    SampleOrg() {
        for (AcceptedDomain d : List.of(CONTOSO, FABRIKAM, TAILSPIN)) domains.put(d.identity(), d);
        registry.register(CmdletDefinition.<SampleOrg>builder("Get-AcceptedDomain")
                .synopsis("Lists the organization's accepted domains.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0))
                .handler((p, org) -> {
                    org.calls.add("get");
                    String id = p.string("Identity");
                    if (id == null) return List.copyOf(org.domains.values());
                    return List.of(org.find(id));
                }).build());
        registry.register(CmdletDefinition.<SampleOrg>builder("Set-AcceptedDomain").supportsShouldProcess()
                .synopsis("Changes an accepted domain.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0)
                        .fromPipelineByPropertyName())
                .parameter(ParameterDefinition.of("Priority", ParameterType.int32(0, 100)))
                .parameter(ParameterDefinition.of("MatchSubDomains", ParameterType.bool()))
                .handler((p, org) -> {
                    AcceptedDomain d = org.find(p.string("Identity"));
                    if (p.shouldProcess(d.identity(), "Set accepted domain")) {
                        int priority = p.find("Priority", Integer.class).orElse(d.priority());
                        boolean sub = p.find("MatchSubDomains", Boolean.class).orElse(d.matchSubDomains());
                        org.domains.put(d.identity(), new AcceptedDomain(d.identity(), d.domainType(), sub, priority,
                                d.maxMessageSize(), d.whenCreated()));
                        org.calls.add("set " + d.identity());
                    }
                    return List.of();
                }).build());
    }

    AcceptedDomain find(String identity) {
        AcceptedDomain d = domains.get(identity);
        if (d == null) throw CmdletException.notFound("The accepted domain '" + identity + "' couldn't be found.");
        return d;
    }

    RunResult run(String script) { return run(script, PipelineRunner.Options.defaults()); }

    RunResult run(String script, PipelineRunner.Options options) {
        return new PipelineRunner<>(registry, options).run(script, this);
    }

    /** Runs {@code script} and fails the test if any statement reported an error. */
    RunResult runOk(String script) {
        RunResult r = run(script);
        if (!r.succeeded()) throw new AssertionError(script + ": " + r.errors().getFirst().formatted());
        return r;
    }
}
