// SignInBrowserTest: the admin centre's front door in a real browser: sign-in, the session cookie, sign-out, CSRF, tenant scope.
package dev.gatehouse.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;

import dev.gatehouse.admin.AdminHarness;
import dev.gatehouse.store.TestDatabase;

class SignInBrowserTest {
    static AdminHarness h;
    static Browser b;
    static String contosoToken;

    @BeforeAll static void start() throws Exception {
        Browser.assumeInstalled();
        h = new AdminHarness(TestDatabase.Kind.SQLITE);
        h.organization("Contoso", "contoso.com", "Alice");
        h.organization("Fabrikam", "fabrikam.com", "Bob");
        contosoToken = h.adminToken("Contoso", "contoso-admin");
        b = new Browser(h.base);
    }

    @AfterAll static void stop() {
        if (b != null) b.close();
        if (h != null) h.close();
    }

    @Test void theRootIsTheSignInPageThenHomeAndSignOutEndsTheSession() {
        b.driver.manage().deleteAllCookies();
        b.open("/");
        assertThat(b.driver.getCurrentUrl()).endsWith("/signin");
        assertThat(b.find("label[for=token]").getText()).isEqualTo("Admin token");
        b.shot("signin");
        b.type("token", "ghta_not-a-token");
        b.find("form button[type=submit]").click();
        assertThat(b.waitFor("#token-error").getText()).contains("This token isn't valid");
        assertThat(b.find("#token").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(b.consoleErrors()).as("the refused sign-in's 401, and nothing else").hasSize(1).allMatch(e -> e.contains("401"));

        b.signIn(contosoToken);
        assertThat(b.find("#organization").getText()).contains("Contoso");
        Cookie c = b.driver.manage().getCookieNamed("gatehouse_session");
        assertThat(c).isNotNull();
        assertThat(c.isHttpOnly()).isTrue();
        assertThat(c.getSameSite()).isEqualTo("Strict");
        assertThat(b.driver.getPageSource()).doesNotContain(contosoToken);
        b.assertNoConsoleErrors();
        b.shot("home");

        b.find("form.signout button").click();
        b.waitFor("#token");
        b.open("/");
        assertThat(b.driver.getCurrentUrl()).contains("/signin");
    }

    @Test void aChangeWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
        b.driver.manage().deleteAllCookies();
        b.signIn(contosoToken);
        String cookie = b.driver.manage().getCookieNamed("gatehouse_session").getValue();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(h.base + "/signout"))
                .header("Cookie", "gatehouse_session=" + cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=wrong")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(URI.create(h.base + "/signout"))
                .header("Cookie", "gatehouse_session=" + cookie).header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(crossSite.statusCode()).isEqualTo(403);
        b.open("/");
        assertThat(b.driver.getCurrentUrl()).as("still signed in: the forged sign-outs did nothing").doesNotContain("/signin");
    }

    @Test void aRemovedTokenSignsItsSessionsOut() {
        String temp = h.adminToken("Fabrikam", "temp-admin");
        b.driver.manage().deleteAllCookies();
        b.signIn(temp);
        assertThat(b.find("#organization").getText()).contains("Fabrikam");
        h.ok("Fabrikam", "Remove-AdminToken", Map.of("Identity", "temp-admin", "Confirm", false));
        b.open("/");
        assertThat(b.driver.getCurrentUrl()).contains("/signin");
    }

    @Test void theTokenAppearsInNoLogLineAndNoUrl() {
        var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var seen = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        seen.start();
        root.addAppender(seen);
        java.util.List<String> urls = new java.util.ArrayList<>();
        try {
            b.driver.manage().deleteAllCookies();
            b.signIn(contosoToken);
            urls.add(b.driver.getCurrentUrl());
            b.open("/signin?next=/mailflow/rules");
            urls.add(b.driver.getCurrentUrl());
            b.driver.manage().deleteAllCookies();
            b.open("/mailflow/rules");
            urls.add(b.driver.getCurrentUrl());
            b.type("token", contosoToken);
            b.find("form button[type=submit]").click();
            b.waitFor("header.top");
            urls.add(b.driver.getCurrentUrl());
        } finally {
            root.detachAppender(seen);
        }
        assertThat(urls.getLast()).as("sign-in returns to the page asked for").endsWith("/mailflow/rules");
        assertThat(seen.list).as("signing in was logged").anyMatch(e -> e.getFormattedMessage().contains("web_signin principal=contoso-admin"));
        assertThat(seen.list).noneMatch(e -> e.getFormattedMessage().contains(contosoToken));
        assertThat(urls).noneMatch(u -> u.contains(contosoToken));
    }

    @Test void anUnknownPathIsAPageNotABare404() {
        b.driver.manage().deleteAllCookies();
        b.signIn(contosoToken);
        b.open("/no/such/page");
        assertThat(b.find("h1").getText()).isEqualTo("There is no page here");
        assertThat(b.find("main").getText()).contains("/no/such/page");
    }

    @Test void anOrganizationRemovedWhileTheOperatorLooksAtItSendsThemBackToChoose() {
        h.ok(null, "New-Tenant", Map.of("Name", "Shortlived"));
        b.driver.manage().deleteAllCookies();
        b.signIn(h.operatorToken);
        new org.openqa.selenium.support.ui.Select(b.find("#tenant")).selectByVisibleText("Shortlived");
        b.find("main form button[type=submit]").click();
        b.waitForText("#organization", "Shortlived");
        h.ok(null, "Remove-Tenant", Map.of("Identity", "Shortlived", "Confirm", false));
        b.open("/");
        assertThat(b.driver.getCurrentUrl()).endsWith("/organization");
        assertThat(b.find("#organization").getText()).contains("no organization chosen");
    }

    @Test void theOperatorChoosesAnOrganizationFirst() {
        b.driver.manage().deleteAllCookies();
        b.signIn(h.operatorToken);
        assertThat(b.driver.getCurrentUrl()).endsWith("/organization");
        new org.openqa.selenium.support.ui.Select(b.find("#tenant")).selectByVisibleText("Fabrikam");
        b.find("main form button[type=submit]").click();
        b.waitFor("#organization");
        assertThat(b.find("#organization").getText()).contains("Fabrikam");
    }
}
