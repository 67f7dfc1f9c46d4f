// Test fixture: a real headless Chromium (Debian's chromium + chromium-driver) driven by Selenium against a running gateway.
package dev.gatehouse.web.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One browser for a test class. The browser is Debian's ({@code /usr/bin/chromium}, installed by {@code .ci/run});
 * nothing is downloaded at test time. Without it the test is skipped with the reason printed. Screenshots go to
 * {@code target/screenshots/NAME.png}. The browser's console errors (a CSP violation, a script error) fail
 * {@link #assertNoConsoleErrors()}.
 */
public final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    public final ChromeDriver driver;
    public final String base;

    /** Skips the calling test (printing why) when no browser is installed. */
    public static void assumeInstalled() {
        String missing = !Files.isExecutable(CHROMIUM) ? CHROMIUM + " (Debian package chromium)"
                : !Files.isExecutable(DRIVER) ? DRIVER + " (Debian package chromium-driver)" : null;
        if (missing != null) System.out.println("browser tests skipped: " + missing + " is not installed; .ci/run installs it");
        Assumptions.assumeTrue(missing == null, "no browser: " + missing);
    }

    public Browser(String base) {
        assumeInstalled();
        this.base = base;
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1366,900",
                "--user-data-dir=" + tempDir());
        o.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("gh-chromium").toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A change to the browser that {@link #close()} takes back. */
    public interface Undo extends AutoCloseable {
        @Override void close();
    }

    /**
     * From the next page on, until the returned handle is closed, a timer that a page sets for {@code fromMs} fires
     * after {@code toMs} instead: htmx's {@code hx-trigger="every 5s"} polling is such a timer, so a test can watch a
     * page poll by itself without waiting out the interval. Nothing else on the page changes.
     */
    public Undo shortenTimers(int fromMs, int toMs) {
        Map<String, Object> added = driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "{ const set = window.setTimeout; window.setTimeout = function (f, ms, ...args) { return set.call(window, f, ms === "
                        + fromMs + " ? " + toMs + " : ms, ...args); }; }"));
        return () -> driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", added.get("identifier")));
    }

    public void open(String path) { driver.get(base + path); }

    public WebElement find(String css) { return driver.findElement(By.cssSelector(css)); }

    public List<WebElement> all(String css) { return driver.findElements(By.cssSelector(css)); }

    public WebElement waitFor(String css) {
        return new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /**
     * Waits until {@code css} holds {@code text} (after an htmx swap or a navigation, say). An element read while its
     * page goes away is read again: Chromium reports that as a stale element or as "Node with given id does not belong
     * to the document".
     */
    public void waitForText(String css, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(15))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.JavascriptException.class)
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    /** Types into the field labelled by {@code id}, replacing what is there. */
    public void type(String id, String text) {
        WebElement e = driver.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    /** Signs in with {@code token} on the sign-in page and waits for the page after it. */
    public void signIn(String token) {
        open("/signin");
        type("token", token);
        find("form button[type=submit]").click();
        waitFor("header.top");
    }

    public Path shot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path p = SCREENSHOTS.resolve(name + ".png");
            Files.write(p, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return p;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The browser console's SEVERE entries since the last call (script errors, CSP violations, failed loads). */
    public List<String> consoleErrors() {
        return driver.manage().logs().get("browser").getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).map(e -> e.getMessage()).toList();
    }

    public void assertNoConsoleErrors() {
        List<String> errors = consoleErrors();
        if (!errors.isEmpty()) throw new AssertionError("the browser console reported errors: " + errors);
    }

    @Override public void close() { driver.quit(); }
}
