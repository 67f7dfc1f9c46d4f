package dev.gatehouse.admin;

import java.util.function.Supplier;

import dev.gatehouse.cmdlet.CmdletException;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.kernel.ValidationException;

/**
 * What every admin cmdlet runs with: who is calling, which organization the call acts on (chosen by the
 * URL, the shell's {@code --tenant}, or implied by a tenant admin token; null when none was chosen), and
 * the services. Tenant scoping is enforced here and in the service layer: a cmdlet can only reach the
 * tenant in this context, and service lookups are filtered by its id.
 *
 * <p>{@code tenantName} is an organization the operator named that did not exist when the request came in
 * (only for the operator): it is looked up when a cmdlet needs it, so a script (or a shell started with
 * {@code --tenant Contoso}) can run {@code New-Tenant Contoso} and then {@code New-AcceptedDomain …}.
 */
public record AdminContext(Principal principal, Tenant tenant, AdminServices services, String tenantName) {

    public AdminContext {
        if (tenantName != null && !(principal instanceof Principal.Operator)) {
            throw new IllegalArgumentException("only the operator may name an organization that doesn't exist yet");
        }
    }

    public AdminContext(Principal principal, Tenant tenant, AdminServices services) {
        this(principal, tenant, services, null);
    }

    /** The organization this call acts on, or null when none was chosen. */
    public Tenant currentTenant() {
        if (tenant != null || tenantName == null) return tenant;
        try {
            return services.tenants().get(tenantName);
        } catch (NotFoundException e) {
            throw CmdletException.notFound("The organization '" + tenantName + "' couldn't be found.");
        }
    }

    /** The organization this call acts on, or a clear error when none was chosen. */
    public Tenant requireTenant(String cmdlet) {
        Tenant t = currentTenant();
        if (t == null) {
            throw new CmdletException("This cmdlet acts on one organization: choose it with --tenant NAME in the shell, "
                    + "or /adminapi/v1/{tenant}/InvokeCommand in the REST API.");
        }
        return t;
    }

    public long tenantId(String cmdlet) { return requireTenant(cmdlet).id(); }

    public void requireOperator(String cmdlet) {
        if (!(principal instanceof Principal.Operator)) {
            throw new CmdletException(cmdlet + " needs the operator token; a tenant admin token can't run it.");
        }
    }

    /** Runs a service call, turning the service layer's errors into cmdlet errors (not found → 404 in REST). */
    public static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (NotFoundException e) {
            throw CmdletException.notFound(e.getMessage());
        } catch (ValidationException e) {
            throw new CmdletException(e.getMessage());
        }
    }

    public static void run(Runnable action) {
        call(() -> { action.run(); return null; });
    }
}
