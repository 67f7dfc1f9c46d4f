// A tenant (Exchange organization): the unit of isolation.
package dev.gatehouse.directory;

import java.time.Instant;

/** @param Guid the tenant id Exchange would show (X-MS-Exchange-CrossTenant-Id) */
public record Tenant(long id, String Name, String Guid, Instant WhenCreated) {
    public String Identity() { return Name; }
}
