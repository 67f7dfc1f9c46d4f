// What a signed-in browser session holds: the token it signed in with, who that is, the organization chosen, its CSRF token.
package dev.gatehouse.web;

import java.security.SecureRandom;
import java.util.Base64;

import dev.gatehouse.admin.Principal;

/**
 * One signed-in browser. Held in the server's memory only (Jetty's session store, keyed by the HttpOnly cookie); the
 * token is kept so that each request checks it again, so a token removed with {@code Remove-AdminToken} ends its
 * sessions at their next click. The operator chooses the organization ({@link #tenantId}); a tenant admin's is fixed.
 */
public final class WebSession {
    static final String ATTRIBUTE = "gatehouse.session";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    private final String csrf;
    private volatile Principal principal;
    private volatile Long tenantId;

    WebSession(String token, Principal principal) {
        this.token = token;
        this.principal = principal;
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        this.csrf = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        this.tenantId = principal instanceof Principal.TenantAdmin ta ? ta.tenantId() : null;
    }

    String token() { return token; }

    public Principal principal() { return principal; }

    void principal(Principal p) { principal = p; }

    /** The CSRF token every change (POST) from this session must carry, as {@code X-CSRF-Token} or the form field {@code _csrf}. */
    public String csrf() { return csrf; }

    /** The organization the pages show, or null while the operator hasn't chosen one. */
    public Long tenantId() { return tenantId; }

    void tenantId(Long id) {
        if (principal instanceof Principal.TenantAdmin ta && (id == null || id != ta.tenantId())) {
            throw new IllegalArgumentException("a tenant admin's organization is fixed");
        }
        tenantId = id;
    }

    private volatile String notice;

    /** A one-line message for the next page shown (after a change and its redirect): kept server-side, never in a URL. */
    public void notice(String text) { notice = text; }

    String takeNotice() {
        String n = notice;
        notice = null;
        return n;
    }

    public boolean operator() { return principal instanceof Principal.Operator; }
}
