// The web admin centre's frame: sessions, sign-in and sign-out, CSRF, security headers, templates, and the page modules.
package dev.gatehouse.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.AdminServices;
import dev.gatehouse.admin.Principal;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ErrorRecord;
import dev.gatehouse.cmdlet.PipelineRunner;
import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.kernel.NotFoundException;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.http.HttpSession;

/**
 * The admin centre: server-rendered pages (JTE templates compiled at build time, htmx for partial updates) on the same
 * port as the APIs. This class is the frame every page shares; each area is a {@link PageModule}. Pages are thin: they
 * read through the services and change things by running the same cmdlets as the shell and the REST API, so a form's
 * errors are the cmdlet's, shown next to the field its parameter names.
 *
 * <p>Security, for every page:
 * <ul>
 * <li>Sign-in takes a tenant admin token or the operator token in a POST form (never in a URL), and starts a new
 *     session: cookie {@code gatehouse_session}, HttpOnly, SameSite=Strict, Secure when the request came over TLS.
 *     The token is checked again on every request, so removing it signs its sessions out.</li>
 * <li>Every POST carries the session's CSRF token ({@code X-CSRF-Token} from htmx, or the form field {@code _csrf}),
 *     and a browser's {@code Origin}/{@code Sec-Fetch-Site} must say same origin.</li>
 * <li>The organization comes from the session only: a tenant admin's own, or the one the operator chose.</li>
 * <li>Answers carry a strict Content-Security-Policy (no inline script, nothing from other origins), are never
 *     framed, and are not cached.</li>
 * </ul>
 */
public final class AdminCentre {
    private static final Logger log = LoggerFactory.getLogger(AdminCentre.class);
    static final String SESSION_COOKIE = "gatehouse_session";
    /** Idle time after which a session ends. */
    static final int IDLE_SECONDS = 60 * 60;
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self';"
            + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** Paths that are not pages: the APIs, probes and static files have their own rules. */
    private static final List<String> NOT_PAGES = List.of("/api/", "/adminapi/", "/healthz", "/metrics", "/assets/", "/webjars/");
    private static final String ATTR = "gatehouse.web";

    /** One area of the admin centre (home, reports, mail flow, quarantine, trace, hunting): its routes. */
    public interface PageModule {
        void mount(JavalinConfig config, AdminCentre centre);
    }

    private final AdminServices services;
    private final CmdletRegistry<AdminContext> registry;
    private final List<PageModule> modules;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    public AdminCentre(AdminServices services, CmdletRegistry<AdminContext> registry, List<PageModule> modules) {
        this.services = services;
        this.registry = registry;
        this.modules = List.copyOf(modules);
    }

    public AdminServices services() { return services; }

    public void mount(HttpApi http) {
        http.configure(this::configure);
        http.pageNotFound(this::notFound);
    }

    /** A page for a path nothing serves: never a bare 404. */
    private void notFound(Context ctx) {
        ctx.status(404);
        ctx.header("Content-Security-Policy", CSP);
        render(ctx, "notfound.jte", Map.of("path", ctx.path(), "signedIn", current(ctx).isPresent()));
    }

    private void configure(JavalinConfig config) {
        config.staticFiles.enableWebjars();
        config.staticFiles.add(sf -> {
            sf.hostedPath = "/assets";
            sf.directory = "/web/assets";
            sf.location = Location.CLASSPATH;
            sf.headers = Map.of("Cache-Control", "max-age=300", "X-Content-Type-Options", "nosniff");
        });
        config.jetty.modifyServletContextHandler(h -> h.setSessionHandler(sessionHandler()));
        config.routes.before(this::guard);
        config.routes.get("/signin", ctx -> signInPage(ctx, null, null));
        config.routes.post("/signin", this::signIn);
        config.routes.post("/signout", this::signOut);
        config.routes.get("/organization", this::organizationPage);
        config.routes.post("/organization", this::chooseOrganization);
        for (PageModule m : modules) m.mount(config, this);
    }

    private static SessionHandler sessionHandler() {
        SessionHandler s = new SessionHandler();
        s.setSessionCookie(SESSION_COOKIE);
        s.setHttpOnly(true);
        s.setSameSite(HttpCookie.SameSite.STRICT);
        s.setSecureRequestOnly(true); // Secure on a cookie set over TLS
        s.setMaxInactiveInterval(IDLE_SECONDS);
        s.setUsingUriParameters(false);
        s.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE));
        return s;
    }

    static boolean isPage(String path) {
        for (String p : NOT_PAGES) if (path.startsWith(p) || path.equals(p.substring(0, p.length() - 1))) return false;
        return true;
    }

    /** Runs before every route: headers, the session, its token, CSRF, and the organization. */
    private void guard(Context ctx) {
        if (!isPage(ctx.path())) return;
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin"); // "no-referrer" would make browsers send "Origin: null" on our own forms
        ctx.header("Cache-Control", "no-store");
        boolean unsafe = ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD;
        if (unsafe && !sameOrigin(ctx)) {
            log.warn("event=web_cross_site_refused path={} origin={} site={}", ctx.path(), ctx.header("Origin"), ctx.header("Sec-Fetch-Site"));
            ctx.status(403).result("Refused: this request came from another site.");
            ctx.skipRemainingHandlers();
            return;
        }
        if (ctx.path().equals("/signin")) return;
        WebSession s = current(ctx).orElse(null);
        if (s == null) {
            toSignIn(ctx, null);
            return;
        }
        Optional<Principal> still = services.tokens().authenticate(s.token());
        if (still.isEmpty()) {
            invalidate(ctx);
            toSignIn(ctx, "You were signed out: the token you signed in with is no longer valid.");
            return;
        }
        s.principal(still.get());
        if (unsafe && !csrfMatches(ctx, s)) {
            log.warn("event=web_csrf_refused principal={} path={}", s.principal().name(), ctx.path());
            ctx.status(403).result("Refused: this form is out of date or came from another site. Reload the page and try again.");
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.attribute(ATTR, s);
        if (s.tenantId() != null && s.operator() && !exists(s.tenantId())) s.tenantId(null); // removed since it was chosen
        if (s.tenantId() == null && !ctx.path().equals("/organization") && !ctx.path().equals("/signout")) {
            redirect(ctx, "/organization");
        }
    }

    private boolean exists(long tenantId) {
        try {
            services.tenants().get(tenantId);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * A browser says where a request came from: {@code Sec-Fetch-Site} (every current browser) must be same-origin, or
     * else {@code Origin} must be this host. A client that sends neither is not a browser, and needs the CSRF token anyway.
     */
    private static boolean sameOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null) return site.equals("same-origin") || site.equals("none");
        String origin = ctx.header("Origin");
        if (origin == null) return true;
        try {
            URI o = URI.create(origin);
            String host = ctx.header("Host");
            return host != null && (o.getHost() + (o.getPort() == -1 ? "" : ":" + o.getPort())).equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean csrfMatches(Context ctx, WebSession s) {
        String given = ctx.header("X-CSRF-Token");
        if (given == null) given = ctx.formParam("_csrf");
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), s.csrf().getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<WebSession> current(Context ctx) {
        HttpSession http = ctx.req().getSession(false);
        return http == null ? Optional.empty() : Optional.ofNullable((WebSession) http.getAttribute(WebSession.ATTRIBUTE));
    }

    private static void invalidate(Context ctx) {
        HttpSession http = ctx.req().getSession(false);
        if (http != null) http.invalidate();
    }

    private static void toSignIn(Context ctx, String notice) {
        String next = ctx.method() == HandlerType.GET && !ctx.path().equals("/") ? ctx.path() : null;
        String url = "/signin" + (next != null ? "?next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8) : "")
                + (notice != null ? (next != null ? "&" : "?") + "expired=1" : "");
        redirect(ctx, url);
    }

    /** A redirect that works for a plain request (303) and for an htmx one (HX-Redirect: the whole page moves). */
    public static void redirect(Context ctx, String location) {
        if (ctx.header("HX-Request") != null) {
            ctx.header("HX-Redirect", location);
            ctx.status(204);
        } else {
            ctx.header("Location", location);
            ctx.status(303);
        }
        ctx.skipRemainingHandlers();
    }

    /** The signed-in session of this request (set by the guard; every page route runs after it). */
    public WebSession session(Context ctx) { return ctx.attribute(ATTR); }

    /** The organization the pages show: the session's, looked up now (the guard made sure there is one). */
    public Tenant tenant(Context ctx) { return services.tenants().get(session(ctx).tenantId()); }

    /** The frame of a page: who, which organization, the CSRF token. */
    public Page page(Context ctx, String title, String section) {
        WebSession s = session(ctx);
        Tenant t = s.tenantId() == null ? null : services.tenants().get(s.tenantId());
        List<String> tenants = s.operator() ? services.tenants().list().stream().map(Tenant::Name).toList() : List.of();
        return new Page(title, section, s.principal().name(), t == null ? null : t.Name(), s.operator(), tenants, s.csrf(),
                s.takeNotice());
    }

    /** Renders {@code template} (a path under src/main/jte) with its parameters as the answer. */
    public void render(Context ctx, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        ctx.attribute(HttpApi.ANSWERED, Boolean.TRUE);
        ctx.html(out.toString());
    }

    /** Runs one cmdlet as the signed-in admin on the session's organization: the same checks and messages as the shell. */
    public RunResult run(Context ctx, String cmdlet, Map<String, ?> parameters) {
        WebSession s = session(ctx);
        AdminContext ac = new AdminContext(s.principal(), tenant(ctx), services);
        RunResult r = new PipelineRunner<>(registry, PipelineRunner.Options.defaults().withStopOnError(true))
                .runCommand(cmdlet, new LinkedHashMap<>(parameters), ac);
        log.info("web principal={} tenant={} command={} ok={}", s.principal().name(), ac.tenant().Name(), cmdlet, r.succeeded());
        return r;
    }

    /**
     * A failed cmdlet's errors by the form field they concern: the parameter's name (as the form names its fields), or
     * {@code ""} for an error that names none. A binding error carries its parameter; a service's refusal names it by
     * opening with it, as every error a user causes does ({@code -StartDate '2026-01-01' is too far back: ...}).
     */
    public static Map<String, String> fieldErrors(RunResult r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ErrorRecord e : r.errors()) {
            out.merge(e.parameter() == null ? "" : e.parameter(), e.message(), (a, b) -> a + " " + b);
        }
        return out;
    }

    // ---- sign-in, sign-out, organization ----

    private void signInPage(Context ctx, String error, Integer status) {
        if (current(ctx).isPresent() && error == null) {
            redirect(ctx, "/");
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        m.put("next", safeNext(ctx.queryParam("next")));
        m.put("expired", ctx.queryParam("expired") != null);
        m.put("signedOut", ctx.queryParam("signedout") != null);
        if (status != null) ctx.status(status);
        render(ctx, "signin.jte", m);
    }

    /** Only a path of this site: never a full URL, never {@code //host}. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.length() > 512) return null;
        for (char c : next.toCharArray()) if (c < 0x21 || c > 0x7e) return null;
        return next;
    }

    private void signIn(Context ctx) {
        String token = ctx.formParam("token");
        Optional<Principal> who = token == null || token.isBlank() ? Optional.empty() : services.tokens().authenticate(token.strip());
        if (who.isEmpty()) {
            log.warn("event=web_signin_refused remote={}", ctx.ip());
            signInPage(ctx, token == null || token.isBlank() ? "Enter your admin token."
                    : "This token isn't valid: it may have been removed. Use a tenant admin token (New-AdminToken) or the operator token"
                      + " (operator.token in the data directory).", 401);
            return;
        }
        invalidate(ctx); // a new session for every sign-in: an id set before it (session fixation) is never promoted
        HttpSession http = ctx.req().getSession(true);
        http.setAttribute(WebSession.ATTRIBUTE, new WebSession(token.strip(), who.get()));
        log.info("event=web_signin principal={} remote={}", who.get().name(), ctx.ip());
        String next = safeNext(ctx.formParam("next"));
        redirect(ctx, next != null ? next : "/");
    }

    private void signOut(Context ctx) {
        WebSession s = session(ctx);
        invalidate(ctx);
        if (s != null) log.info("event=web_signout principal={}", s.principal().name());
        redirect(ctx, "/signin?signedout=1");
    }

    private void organizationPage(Context ctx) {
        WebSession s = session(ctx);
        if (!s.operator()) {
            redirect(ctx, "/");
            return;
        }
        Page page = page(ctx, "Choose an organization", "organization");
        render(ctx, "organization.jte", Map.of("page", page, "error", ""));
    }

    private void chooseOrganization(Context ctx) {
        WebSession s = session(ctx);
        String name = ctx.formParam("tenant");
        if (!s.operator()) {
            redirect(ctx, "/");
            return;
        }
        try {
            Tenant t = services.tenants().get(name == null ? "" : name.strip());
            s.tenantId(t.id());
            redirect(ctx, "/");
        } catch (NotFoundException e) {
            ctx.status(400);
            render(ctx, "organization.jte", Map.of("page", page(ctx, "Choose an organization", "organization"),
                    "error", "The organization '" + name + "' couldn't be found."));
        }
    }
}
