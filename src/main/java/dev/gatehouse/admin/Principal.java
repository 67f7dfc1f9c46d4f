package dev.gatehouse.admin;

/**
 * Who is calling the admin surface: the operator (every tenant, can create tenants and tokens) or a
 * tenant admin (exactly one tenant). Tenant scoping everywhere starts from this value.
 */
public sealed interface Principal {

    String name();

    record Operator(String name) implements Principal {}

    record TenantAdmin(String name, long tenantId) implements Principal {}

    /** True when this principal may act on the given tenant. */
    default boolean mayAct(long tenantId) {
        return switch (this) {
            case Operator o -> true;
            case TenantAdmin t -> t.tenantId() == tenantId;
        };
    }
}
