// What every admin-centre page's frame shows: title, section, who is signed in, the organization, the CSRF token.
package dev.gatehouse.web;

import java.util.List;

/**
 * The layout's model ({@code layout.jte}). {@code section} names the navigation entry to mark as current; {@code
 * tenants} is the operator's list of organizations to switch between (empty for a tenant admin); {@code notice} is
 * a one-line message shown above the page (after a change), or null.
 */
public record Page(String title, String section, String principalName, String tenantName, boolean operator,
                   List<String> tenants, String csrf, String notice) {

    /** The same frame with another title and section (each page's own). */
    public Page titled(String title, String section) {
        return new Page(title, section, principalName, tenantName, operator, tenants, csrf, notice);
    }

    public Page withNotice(String notice) {
        return new Page(title, section, principalName, tenantName, operator, tenants, csrf, notice);
    }
}
