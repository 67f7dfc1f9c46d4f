// The admin centre with a million messages in the store: each page's time at the server and its paint in Chromium.
//
//   bench/web-pages.sh [--messages 1000000] [--runs 10] [--store jdbc:postgresql://127.0.0.1:5432/test?user=postgres]
//   (see bench/README.md; with --store the store is a fresh schema of that PostgreSQL database, dropped afterwards)
//
// Loads N delivered messages over the last 90 days with TraceScale's loader (the queue's own tables, as the accept path
// and delivery leave them), starts the whole gateway on that store, signs in as the operator in a real headless
// Chromium (Debian's), and opens every page RUNS times after one untimed visit. For each page it prints the p50 and max
// of: the server's time (Navigation Timing: request sent to first response byte, over loopback) and the first
// contentful paint (navigation start to first paint). Targets (issue 13): every page < 300 ms at the server and
// painted < 1 s; the inbound report over 90 days < 2 s.
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import dev.gatehouse.admin.AdminTokenService;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.directory.AcceptedDomainService;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.TenantService;
import dev.gatehouse.server.Gateway;
import dev.gatehouse.store.Store;

public class WebPages {
    public static void main(String[] args) throws Exception {
        long messages = 1_000_000;
        int runs = 10;
        String pg = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Long.parseLong(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--store" -> pg = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("gh-web-pages");
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        String schema = pg == null ? null : "gh_bench_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = pg == null ? null : pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        if (pg != null) sql(pg, "CREATE SCHEMA " + schema);
        try (Store store = Store.open(url, dir.resolve("data"))) {
            long tenant = new TenantService(store).create("Contoso").id();
            new AcceptedDomainService(store).create(tenant, "contoso.com", DomainType.Authoritative, false);
            TraceScale.load(store, tenant, messages, now);
            if (pg != null) { // what autovacuum does after a bulk load on a running server: table statistics for the planner
                store.writeAndWait(ctx -> { ctx.prepare("ANALYZE").execute(); return null; });
            }
        }
        System.out.printf("store=%s: loaded %,d messages (%,d events) over 90 days in %.0f s%n", pg == null ? "sqlite" : "postgresql",
                messages, messages * 2, (System.nanoTime() - t0) / 1e9);
        Map<String, String> cli = new java.util.HashMap<>();
        cli.put("data-dir", dir.resolve("data").toString());
        if (url != null) cli.put("store", url);
        cli.put("smtp-bind", "127.0.0.1");
        cli.put("smtp-port", "0");
        cli.put("http-port", "0");
        try (Gateway gw = new Gateway(new ConfigLoader(cli, Map.of(), null).load()).start()) {
            String token = AdminTokenService.newTokenText(true);
            new AdminTokenService(gw.store()).registerOperatorToken(token);
            String base = "http://127.0.0.1:" + gw.httpPort();
            ChromeDriver driver = browser();
            try {
                driver.get(base + "/signin");
                driver.findElement(By.id("token")).sendKeys(token);
                driver.findElement(By.cssSelector("form button[type=submit]")).click();
                driver.findElement(By.cssSelector("main form button[type=submit]")).click(); // Contoso, the only organization
                String today = LocalDate.now(ZoneOffset.UTC).toString();
                String from90 = LocalDate.now(ZoneOffset.UTC).minusDays(89).toString();
                String sender = "sender4242@partner71.example";
                List<String[]> pages = List.of(
                        new String[] {"Home", "/"},
                        new String[] {"Inbound messages, 7 days", "/reports/inbound"},
                        new String[] {"Inbound messages, 90 days", "/reports/inbound?StartDate=" + from90 + "&EndDate=" + today},
                        new String[] {"Connectors", "/mailflow/connectors"},
                        new String[] {"Rules", "/mailflow/rules"},
                        new String[] {"Accepted domains", "/mailflow/domains"},
                        new String[] {"Quarantine", "/quarantine"},
                        new String[] {"Message trace (last 48 h)", "/trace"},
                        new String[] {"Trace: one sender", "/trace?q=" + sender},
                        new String[] {"Historical searches", "/trace/searches"},
                        new String[] {"Advanced hunting", "/hunting"});
                System.out.printf("%-28s %12s %12s %12s %12s%n", "page", "server p50", "server max", "paint p50", "paint max");
                for (String[] p : pages) {
                    List<Double> server = new ArrayList<>();
                    List<Double> paint = new ArrayList<>();
                    for (int r = 0; r <= runs; r++) {
                        driver.get(base + p[1]);
                        @SuppressWarnings("unchecked")
                        Map<String, Object> t = (Map<String, Object>) ((JavascriptExecutor) driver).executeScript(
                                "const n = performance.getEntriesByType('navigation')[0];"
                                + "const f = performance.getEntriesByName('first-contentful-paint')[0];"
                                + "return {server: n.responseStart - n.requestStart, paint: f ? f.startTime : -1, status: n.responseStatus};");
                        if (r == 0) {
                            if (((Number) t.get("status")).intValue() != 200) {
                                System.out.printf("%-28s answered %s%n", p[0], t.get("status"));
                                break;
                            }
                            continue;
                        }
                        server.add(((Number) t.get("server")).doubleValue());
                        paint.add(((Number) t.get("paint")).doubleValue());
                    }
                    if (server.isEmpty()) continue;
                    Collections.sort(server);
                    Collections.sort(paint);
                    System.out.printf("%-28s %9.1f ms %9.1f ms %9.1f ms %9.1f ms%n", p[0], server.get(server.size() / 2), server.getLast(),
                            paint.get(paint.size() / 2), paint.getLast());
                }
            } finally {
                driver.quit();
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            if (pg != null) sql(pg, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static void sql(String url, String statement) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(url); var st = c.createStatement()) {
            st.execute(statement);
        }
    }

    static ChromeDriver browser() throws Exception {
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1366,900",
                "--user-data-dir=" + Files.createTempDirectory("gh-bench-chromium"));
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build(), o);
    }
}
