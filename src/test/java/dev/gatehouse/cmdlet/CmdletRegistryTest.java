// The registry as the runner uses it: the guard that keeps operator-only cmdlets from tenant admins (per
// command, before binding piped objects, never for help or the dry run), lookups with typographic dashes,
// listing, aliases as suggestions, and the definition checks that keep names unambiguous.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CmdletRegistryTest {
    record Tenant(String identity) {}

    /** Who is calling, and the tenants the cmdlets manage. */
    static final class Caller {
        final boolean operator;
        final Set<String> tenants = new LinkedHashSet<>(List.of("t1", "t2"));

        Caller(boolean operator) { this.operator = operator; }
    }

    final List<String> guarded = new ArrayList<>();
    CmdletRegistry<Caller> registry;

    @BeforeEach void setUp() {
        registry = new CmdletRegistry<Caller>().guard((def, caller) -> {
            guarded.add(def.name());
            if (def.operatorOnly() && !caller.operator) {
                throw new CmdletException("Only the operator can run " + def.name() + ".");
            }
        });
        registry.register(CmdletDefinition.<Caller>builder("Get-Tenant").alias("gtn")
                .handler((p, c) -> c.tenants.stream().map(Tenant::new).toList()).build());
        registry.register(CmdletDefinition.<Caller>builder("Remove-Tenant").operatorOnly().supportsShouldProcess()
                .synopsis("Removes a tenant and all of its data.")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipelineByPropertyName())
                .handler((p, c) -> {
                    if (p.shouldProcess(p.string("Identity"))) c.tenants.remove(p.string("Identity"));
                    return List.of();
                }).build());
    }

    RunResult run(String script, Caller caller) { return new PipelineRunner<>(registry).run(script, caller); }

    @Test void anOperatorOnlyCmdletIsRefusedToATenantAdminBeforeItsHandlerRuns() {
        Caller admin = new Caller(false);
        RunResult r = run("Remove-Tenant t1", admin);
        assertThat(r.errors()).extracting(ErrorRecord::formatted).containsExactly("Remove-Tenant: Only the operator can run Remove-Tenant.");
        assertThat(admin.tenants).containsExactly("t1", "t2");
        Caller operator = new Caller(true);
        assertThat(run("Remove-Tenant t1", operator).errors()).isEmpty();
        assertThat(operator.tenants).containsExactly("t2");
        assertThat(registry.find("Remove-Tenant").orElseThrow().operatorOnly()).isTrue();
        assertThat(registry.find("Get-Tenant").orElseThrow().operatorOnly()).isFalse();
    }

    @Test void whatIfDoesNotGetPastTheGuard() {
        RunResult r = run("Remove-Tenant t1 -WhatIf", new Caller(false));
        assertThat(r.whatIf()).isEmpty();
        assertThat(r.errors()).extracting(ErrorRecord::message).containsExactly("Only the operator can run Remove-Tenant.");
    }

    @Test void theGuardChecksEachCommandOfAPipelineOnce() {
        Caller admin = new Caller(false);
        RunResult r = run("Get-Tenant | Remove-Tenant", admin);
        assertThat(r.errors()).hasSize(1);
        assertThat(admin.tenants).containsExactly("t1", "t2");
        assertThat(guarded).containsExactly("Get-Tenant", "Remove-Tenant");
        guarded.clear();
        Caller operator = new Caller(true);
        run("Get-Tenant | Remove-Tenant", operator);
        assertThat(operator.tenants).isEmpty();
        assertThat(guarded).as("once per command, not per piped object").containsExactly("Get-Tenant", "Remove-Tenant");
    }

    @Test void helpAndTheDryRunNeverCallTheGuard() {
        RunResult help = run("Get-Help Remove-Tenant; Remove-Tenant -?", new Caller(false));
        assertThat(help.errors()).isEmpty();
        assertThat(help.output()).contains("Removes a tenant and all of its data.");
        assertThat(new PipelineRunner<>(registry).check("Remove-Tenant t1")).isEmpty();
        assertThat(guarded).isEmpty();
    }

    @Test void everyTypographicDashInANameFindsTheCmdlet() {
        for (String dash : List.of("\u2013", "\u2014", "\u2015")) {
            assertThat(registry.find("Remove" + dash + "Tenant")).as("dash U+%04X", (int) dash.charAt(0)).isPresent();
        }
        assertThat(registry.find("Remove_Tenant")).isEmpty();
        assertThat(run("Get\u2014Tenant", new Caller(false)).objects()).hasSize(2);
    }

    @Test void allListsEachCmdletOnceSortedIgnoringCase() {
        registry.register(CmdletDefinition.<Caller>builder("add-Tenant").handler((p, c) -> List.of()).build());
        List<String> names = registry.all().stream().map(CmdletDefinition::name).toList();
        assertThat(names).startsWith("add-Tenant", "ConvertTo-Json", "Export-Csv").doesNotHaveDuplicates();
        assertThat(names).containsSubsequence("Get-Help", "Get-Tenant", "Remove-Tenant", "Select-Object");
    }

    @Test void aliasesAreSuggestedForATypoToo() {
        assertThat(registry.suggestions("gtm")).containsExactly("gcm", "gtn");
        assertThat(run("gtm", new Caller(false)).errors().getFirst().message()).endsWith(" Did you mean gcm or gtn?");
    }

    @Test void aCmdletAliasCannotShadowAnotherCmdletsNameOrAlias() {
        assertThatThrownBy(() -> registry.register(CmdletDefinition.<Caller>builder("Get-Tenants").alias("GTN")
                .handler((p, c) -> List.of()).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cmdlet name or alias already registered: GTN");
        assertThatThrownBy(() -> registry.register(CmdletDefinition.<Caller>builder("Get-Other").alias("get-tenant")
                .handler((p, c) -> List.of()).build())).hasMessageContaining("already registered: get-tenant");
        assertThat(registry.find("Get-Tenants")).as("a refused cmdlet is not half registered").isEmpty();
    }

    @Test void aParameterMayNotTakeTheNameOrAliasOfAFrameworkParameter() {
        assertThatThrownBy(() -> CmdletDefinition.<Caller>builder("Set-Tenant").supportsShouldProcess()
                .parameter(ParameterDefinition.of("Confirm", ParameterType.bool()))
                .handler((p, c) -> List.of()).build())
                .hasMessage("Set-Tenant: parameter name or alias used twice: Confirm");
        assertThatThrownBy(() -> CmdletDefinition.<Caller>builder("Get-Tenant")
                .parameter(ParameterDefinition.of("ExternalAddress", ParameterType.string()).alias("EA"))
                .handler((p, c) -> List.of()).build())
                .hasMessage("Get-Tenant: parameter name or alias used twice: ea");
    }
}
