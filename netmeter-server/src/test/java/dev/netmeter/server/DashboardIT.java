package dev.netmeter.server;

import static dev.netmeter.server.HttpContract.body;
import static dev.netmeter.server.HttpContract.newProject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.api.ApiServer;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's Chromium, headless) against a real server with usage stored through
 * the API and static tokens: an admin, a tenant, and another project whose names and figures the tenant must
 * never meet, neither in the page nor in any answer the page receives. Screenshots go to
 * {@code target/dashboard-*.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardIT {
    private static final String LABELS = "/v2.0/metering/metering-labels";
    private static final String REPORTS = "/v2.0/metering/usage_reports";
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final String adminProject = newProject();
    private final String tenant = newProject();
    private final String other = newProject();
    private RunningServer server;
    private ApiClient api;
    private String adminToken;
    private String tenantToken;
    private String otherLabel;
    private HeadlessChromium chromium;

    @BeforeAll
    void start_a_server_with_usage_of_two_projects(@TempDir Path dir) {
        chromium = HeadlessChromium.start();
        Path tokens = dir.resolve("tokens.json");
        server = RunningServer.start(Backend.H2, TokenAuthorizationMatrixTest.tokenAuth(tokens, 1000));
        api = server.client();
        adminToken = TokenAuthorizationMatrixTest.issue(tokens, adminProject, Optional.empty(), "admin", "member");
        tenantToken = TokenAuthorizationMatrixTest.issue(tokens, tenant, Optional.empty(), "member", "reader");
        String web = createLabel(tenant, "tenant-web");
        String backup = createLabel(tenant, "tenant-backup");
        otherLabel = createLabel(other, "other-secret-label");
        String router = UUID.randomUUID().toString();
        // Six five-minute windows ending at the last five-minute mark, none before this month's start, so that the
        // current billing period (calendar months in UTC) holds them all.
        Instant end = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 300 * 300);
        for (int i = 6; i >= 1; i--) {
            Instant start = end.minus(WINDOW.multipliedBy(i));
            // tenant-web is counted per direction (1.0 and 0.5 MB a window of i), tenant-backup both ways as one
            post(adminToken, REPORTS, report("net-1", start, List.of(
                    directed(row(router, web, tenant, 1_000_000L * i, 600 + i, start), "ingress"),
                    directed(row(router, web, tenant, 500_000L * i, 400, start), "egress"),
                    row(router, backup, tenant, 250_000_000L + i, 200_000 + i, start),
                    row(router, otherLabel, other, 123_456_789L, 4_242, start))));
        }
    }

    @BeforeEach
    void forget_the_previous_session() {
        // On a page of the same origin that runs no script: the dashboard would start loading with the old token.
        chromium.driver().get(url("/dashboard/dashboard.css"));
        chromium.driver().executeScript("sessionStorage.clear()");
        chromium.driver().get(url("/dashboard"));
        chromium.console();
        chromium.requests();
    }

    @AfterEach
    void the_console_has_no_errors() {
        List<LogEntry> errors = chromium.console().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors").isEmpty();
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * The page and its files need no token, and carry the dashboard's policy; the API keeps its own. That each
     * tag's integrity matches its file is DashboardTest's; a browser would refuse a file that does not match.
     */
    @Test
    void the_page_is_public_under_a_strict_policy_and_the_api_is_not() {
        for (String path : List.of("/dashboard", "/dashboard/app.js", "/dashboard/uPlot.iife.min.js")) {
            ApiClient.Response file = api.send("GET", path, Map.of(), BodyPublishers.noBody());
            assertThat(file.status()).as(path).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Security-Policy")).as(path).contains("default-src 'none'; "
                    + "script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                    + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        }
        assertThat(api.send("GET", "/dashboard/../v2.0/metering/usage", Map.of(), BodyPublishers.noBody()).status())
                .isIn(400, 401, 404);
        ApiClient.Response labels = api.send("GET", LABELS, Map.of(), BodyPublishers.noBody());
        assertThat(labels.status()).as("the API still needs a token").isEqualTo(401);
        assertThat(labels.headers().firstValue("Content-Security-Policy"))
                .contains("default-src 'none'; frame-ancestors 'none'");
    }

    @Test
    void a_tenant_sees_its_project_only_in_the_page_and_in_every_answer_it_receives() {
        signIn(tenantToken);
        ChromeDriver driver = chromium.driver();

        assertThat(driver.findElement(By.id("who")).getText()).contains(tenant).doesNotContain("every project");
        assertThat(driver.findElement(By.id("project-field")).isDisplayed()).as("no project picker").isFalse();
        assertThat(driver.findElement(By.id("agents-view")).isDisplayed()).as("no agents").isFalse();
        assertThat(driver.getPageSource()).contains("tenant-web", "tenant-backup")
                .doesNotContain(other, otherLabel, "other-secret-label");
        List<HeadlessChromium.Exchange> exchanges = chromium.requests();
        List<HeadlessChromium.Exchange> apiCalls = exchanges.stream()
                .filter(exchange -> exchange.url().contains("/v2.0/")).toList();
        assertThat(apiCalls).extracting(HeadlessChromium.Exchange::url)
                .anySatisfy(url -> assertThat(url).contains("/v2.0/metering/usage"))
                .anySatisfy(url -> assertThat(url).contains("/v2.0/metering/statements"))
                .noneSatisfy(url -> assertThat(url).contains("/v2.0/metering/agents"));
        for (HeadlessChromium.Exchange exchange : exchanges) {
            assertThat(exchange.url()).doesNotContain(other, otherLabel, tenantToken);
            assertThat(exchange.requestHeaders()).doesNotContainKey("Cookie");
            assertThat(exchange.responseBody()).as(exchange.url())
                    .hasValueSatisfying(answer -> assertThat(answer).doesNotContain(other, otherLabel,
                            "other-secret-label"));
        }
        assertThat(apiCalls).allSatisfy(exchange ->
                assertThat(exchange.requestHeaders()).containsEntry("X-Auth-Token", tenantToken));
        assertThat(driver.getCurrentUrl()).doesNotContain(tenantToken);
        assertThat(driver.executeScript("return document.cookie")).isEqualTo("");

        chromium.screenshot("tenant");
        // At 200 % zoom (half the CSS pixels across): nothing wider than the window, the chart follows.
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 640, "height", 900,
                "deviceScaleFactor", 2, "mobile", false));
        try {
            assertThat((Long) driver.executeScript("return document.documentElement.scrollWidth - innerWidth"))
                    .as("horizontal overflow at 200 %").isLessThanOrEqualTo(0L);
            new WebDriverWait(driver, Duration.ofSeconds(5)).until(browser -> browser.findElement(
                    By.cssSelector("#usage-chart canvas")).getSize().getWidth() <= 640);
            chromium.screenshot("tenant-zoom-200");
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
        for (String view : List.of("usage-view", "top-view", "statement-view", "quota-view")) {
            chromium.screenshot("tenant-" + view, view);
        }
    }

    @Test
    void the_total_the_page_shows_is_the_apis() {
        signIn(tenantToken);
        long shown = value("usage-total");
        long api = 0;
        for (JsonNode row : get(tenantToken, "/v2.0/metering/usage?granularity=project").path("usage")) {
            api += row.path("bytes").asLong();
        }
        assertThat(shown).isEqualTo(api).isEqualTo(6 * (250_000_000L) + 21 + 21 * 1_500_000L);
        WebElement chart = chromium.driver().findElement(By.cssSelector("#usage-chart canvas"));
        assertThat(chart.getSize().getWidth()).as("the chart is drawn").isGreaterThan(300);
        WebElement table = chromium.driver().findElement(By.cssSelector("#usage-details summary"));
        table.sendKeys(Keys.ENTER);     // opened with the keyboard: the table is made when opened
        // The details element fires its toggle event as a task of its own, after the key press returned.
        List<WebElement> tableRows = new WebDriverWait(chromium.driver(), Duration.ofSeconds(10)).until(browser -> {
            List<WebElement> made = browser.findElements(By.cssSelector("#usage-table tbody tr"));
            return made.isEmpty() ? null : made;
        });
        long tableTotal = tableRows.stream()
                .mapToLong(row -> Long.parseLong(row.findElement(By.tagName("data")).getDomAttribute("value")))
                .sum();
        assertThat(tableTotal).as("the chart's data table adds up to the total").isEqualTo(shown);
        assertThat(chromium.driver().findElement(By.id("usage-chart")).getText())
                .as("a label counted per direction is a series per direction")
                .contains("tenant-web (ingress)", "tenant-web (egress)", "tenant-backup");
    }

    @Test
    void the_statement_is_the_apis() {
        signIn(tenantToken);
        JsonNode cycle = get(tenantToken, "/v2.0/metering/billing_cycles/" + tenant).path("billing_cycle");
        JsonNode statement = get(tenantToken, "/v2.0/metering/statements?project_id=" + tenant + "&period="
                + cycle.path("current_period").path("name").asText()).path("statement");
        List<List<String>> expected = new ArrayList<>();
        long total = 0;
        for (JsonNode line : statement.path("lines")) {
            expected.add(List.of(line.path("label_name").asText(), line.path("bytes").asText(),
                    line.path("p95_bps").asText(), line.path("peak_bps").asText()));
            total += line.path("bytes").asLong();
        }
        List<List<String>> shown = chromium.driver().findElements(By.cssSelector("#statement-table tbody tr"))
                .stream().map(row -> {
                    List<WebElement> cells = row.findElements(By.tagName("td"));
                    List<WebElement> figures = row.findElements(By.tagName("data"));
                    return List.of(cells.get(0).getText(), figures.get(0).getDomAttribute("value"),
                            figures.get(1).getDomAttribute("value"), figures.get(2).getDomAttribute("value"));
                }).toList();
        assertThat(shown).isEqualTo(expected).hasSize(3);     // tenant-web per direction, tenant-backup
        assertThat(value("statement-total")).isEqualTo(total);
        assertThat(chromium.driver().findElement(By.id("statement-summary")).getText())
                .contains(statement.path("period").asText());
        // Human units on the page, the exact figure in the element; the viewer's time, UTC on hover.
        assertThat(chromium.driver().findElement(By.cssSelector("#top-labels tbody")).getText())
                .contains("1.40 GiB", "30.0 MiB");
        assertThat(chromium.driver().findElement(By.cssSelector("#statement-summary time")).getDomAttribute("title"))
                .isEqualTo(statement.path("start").asText() + " (UTC)");
    }

    @Test
    void an_admin_sees_every_project_a_picker_and_the_agents() {
        signIn(adminToken);
        ChromeDriver driver = chromium.driver();
        assertThat(driver.findElement(By.id("project-field")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("project")).getText()).contains(tenant, other);
        assertThat(driver.getPageSource()).contains("tenant-web", "other-secret-label");
        long everyProject = 0;
        for (JsonNode row : get(adminToken, "/v2.0/metering/usage?granularity=project").path("usage")) {
            everyProject += row.path("bytes").asLong();
        }
        assertThat(value("usage-total")).isEqualTo(everyProject);
        assertThat(driver.findElement(By.id("agents-table")).getText()).contains("net-1", "Reporting");
        assertThat(driver.findElement(By.id("statement-summary")).getText()).contains("Choose a project");
        chromium.screenshot("admin");
        chromium.screenshot("admin-agents-view", "agents-view");

        // The keyboard alone: pick the other project and show it.
        WebElement picker = driver.findElement(By.id("project"));
        picker.sendKeys(other);
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(browser ->
                browser.findElement(By.id("statement-summary")).getText().contains(other));
        chromium.awaitLoaded(30);
        assertThat(value("usage-total")).isEqualTo(6 * 123_456_789L);
        assertThat(driver.findElement(By.id("statement-table")).getText()).contains("other-secret-label");
        chromium.screenshot("admin-statement-view", "statement-view");
    }

    @Test
    void a_bad_token_is_refused_and_nothing_is_kept() {
        ChromeDriver driver = chromium.driver();
        driver.findElement(By.id("token")).sendKeys("nmt_not-a-token" + Keys.ENTER);
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(browser -> !browser.findElement(By.id("sign-in-error")).getText().isEmpty());
        assertThat(driver.findElement(By.id("app")).isDisplayed()).isFalse();
        assertThat(driver.executeScript("return sessionStorage.length")).isEqualTo(0L);
        chromium.screenshot("sign-in");
        // The browser reports the 401 on its console: expected here, and the only entry.
        assertThat(chromium.console()).allSatisfy(entry -> assertThat(entry.getMessage()).contains("401"));
    }

    /**
     * Not a pass or fail figure: prints how long the page takes to show a month of five-minute usage of 100 labels
     * (8,640 reports of 100 rows, 864,000 stored rows), from sign-in and for the month at two steps.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Backend.class, names = {"H2", "POSTGRESQL"})
    void a_month_of_five_minute_usage_for_100_labels_is_shown(Backend backend, @TempDir Path dir) throws Exception {
        Path tokens = dir.resolve("tokens.json");
        try (RunningServer big = RunningServer.start(backend, TokenAuthorizationMatrixTest.tokenAuth(tokens, 1000))) {
            String project = newProject();
            String token = TokenAuthorizationMatrixTest.issue(tokens, project, Optional.empty(), "member");
            String admin = TokenAuthorizationMatrixTest.issue(tokens, adminProject, Optional.empty(), "admin");
            long seeding = System.nanoTime();
            int reports = storeAMonth(big.client(), admin, project);
            List<String> figures = new ArrayList<>();
            figures.add("%s: stored %d reports of 100 rows in %.1f s".formatted(backend, reports,
                    (System.nanoTime() - seeding) / 1e9));

            ChromeDriver driver = chromium.driver();
            driver.get("http://127.0.0.1:" + big.port() + "/dashboard");
            long started = System.nanoTime();
            driver.findElement(By.id("token")).sendKeys(token + Keys.ENTER);
            chromium.awaitLoaded(300);
            figures.add("sign-in to the last day shown: %d ms".formatted((System.nanoTime() - started) / 1_000_000));
            new Select(driver.findElement(By.id("range"))).selectByValue("month");
            for (String step : List.of("auto", "300")) {
                new Select(driver.findElement(By.id("step"))).selectByValue(step);
                driver.findElement(By.cssSelector("#controls button[type=submit]")).click();
                new WebDriverWait(driver, Duration.ofSeconds(10)).until(browser ->
                        !"ready".equals(browser.findElement(By.id("app")).getDomAttribute("data-state")));
                chromium.awaitLoaded(300);
                figures.add("the month in %s steps: %s ms, of which drawing the chart %s ms".formatted(
                        step.equals("auto") ? "one-hour" : "five-minute",
                        driver.findElement(By.id("app")).getDomAttribute("data-load-ms"),
                        driver.findElement(By.id("usage-chart")).getDomAttribute("data-draw-ms")));
            }
            chromium.screenshot("month-" + backend.name().toLowerCase(Locale.ROOT));
            System.out.println("dashboard load: " + String.join("; ", figures));
            driver.executeScript("sessionStorage.clear()");
        }
    }

    /** A month of five-minute reports of 100 labels of {@code project}, sent four at a time; answers how many. */
    private static int storeAMonth(ApiClient client, String admin, String project) throws Exception {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ApiClient.Response created = client.send("POST", LABELS, headers(admin, true), BodyPublishers.ofString(
                    body("metering_label", "name", "label-%03d".formatted(i), "tenant_id", project)));
            labels.add(created.json().path("metering_label").path("id").asText());
        }
        String router = UUID.randomUUID().toString();
        Instant end = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 300 * 300);
        int windows = (int) (Duration.ofDays(30).toSeconds() / WINDOW.toSeconds());
        try (ExecutorService senders = Executors.newFixedThreadPool(ApiServer.USAGE_REPORTS_AT_ONCE)) {
            List<Future<ApiClient.Response>> sent = new ArrayList<>();
            for (int w = 1; w <= windows; w++) {
                int window = w;
                sent.add(senders.submit(() -> {     // made by the sender: a month of reports is 170 MB of JSON
                    Instant start = end.minus(WINDOW.multipliedBy(window));
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (int l = 0; l < labels.size(); l++) {
                        rows.add(row(router, labels.get(l), project,
                                1_000 + (window * 7919L + l * 104_729L) % 10_000_000, 10 + l, start));
                    }
                    return client.send("POST", REPORTS, headers(admin, true),
                            BodyPublishers.ofString(report("bench-host", start, rows)));
                }));
            }
            for (Future<ApiClient.Response> one : sent) {
                assertThat(one.get().status()).isEqualTo(201);
            }
        }
        return windows;
    }

    private void signIn(String token) {
        chromium.driver().findElement(By.id("token")).sendKeys(token + Keys.ENTER);
        chromium.awaitLoaded(30);
    }

    private long value(String id) {
        return Long.parseLong(chromium.driver().findElement(By.id(id)).getDomAttribute("value"));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private String createLabel(String project, String name) {
        return post(adminToken, LABELS, body("metering_label", "name", name, "tenant_id", project))
                .path("metering_label").path("id").asText();
    }

    private JsonNode post(String token, String path, String json) {
        ApiClient.Response created = api.send("POST", path, headers(token, true), BodyPublishers.ofString(json));
        assertThat(created.status()).as("POST %s: %s", path, created).isEqualTo(201);
        return created.json();
    }

    private JsonNode get(String token, String path) {
        ApiClient.Response answer = api.send("GET", path, headers(token, false), BodyPublishers.noBody());
        assertThat(answer.status()).as("GET %s: %s", path, answer).isEqualTo(200);
        return answer.json();
    }

    private static Map<String, String> headers(String token, boolean json) {
        return json ? Map.of("X-Auth-Token", token, "Content-Type", "application/json")
                : Map.of("X-Auth-Token", token);
    }

    private static Map<String, Object> row(String router, String label, String project, long bytes, long packets,
                                           Instant windowStart) {
        long first = windowStart.getEpochSecond();
        return Map.of("router_id", router, "label_id", label, "project_id", project, "bytes", bytes,
                "pkts", packets, "first_update", first, "last_update", first + WINDOW.toSeconds() - 1);
    }

    private static Map<String, Object> directed(Map<String, Object> row, String direction) {
        Map<String, Object> directed = new java.util.HashMap<>(row);
        directed.put("direction", direction);
        return directed;
    }

    private static String report(String host, Instant windowStart, List<Map<String, Object>> rows) {
        return HttpContract.json(Map.of("usage_report", Map.of("id", UUID.randomUUID().toString(), "host", host,
                "window_start", windowStart.toString(), "window_end", windowStart.plus(WINDOW).toString(),
                "usage", rows)));
    }
}
