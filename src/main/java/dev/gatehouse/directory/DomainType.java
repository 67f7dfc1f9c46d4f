// Exchange's accepted-domain types that apply to a cloud tenant.
package dev.gatehouse.directory;

import dev.gatehouse.kernel.ValidationException;

/** Authoritative: every recipient must exist (DBEB). InternalRelay: unknown recipients are relayed on. */
public enum DomainType {
    Authoritative, InternalRelay;

    public static DomainType parse(String value) {
        for (DomainType t : values()) if (t.name().equalsIgnoreCase(value)) return t;
        throw new ValidationException("DomainType '" + value + "' is not valid: use Authoritative or InternalRelay");
    }
}
