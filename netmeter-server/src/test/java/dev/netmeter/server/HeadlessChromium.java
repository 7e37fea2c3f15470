package dev.netmeter.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium in headless mode, driven by its chromedriver (no Selenium Manager, nothing downloaded: the
 * network is closed), with a fresh profile, the browser's console and its network events recorded. Skipped
 * without {@code chromium} and {@code chromium-driver}, or failed under CI ({@code .ci/run} installs them).
 * Not thread-safe.
 */
final class HeadlessChromium implements AutoCloseable {
    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static HeadlessChromium start() {
        Path chromium = ExternalTool.require("chromium", "chromium");
        Path chromedriver = ExternalTool.require("chromedriver", "chromium-driver");
        System.setProperty("SE_OFFLINE", "true");
        Path profile;
        try {
            profile = Files.createTempDirectory("netmeter-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile());
        // Root needs --no-sandbox; with the network closed, the background services would hang on lookups.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,1024");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        return new HeadlessChromium(new ChromeDriver(service, options), profile);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Waits up to {@code seconds} for the dashboard to be loaded ({@code data-state} of {@code #app}). */
    void awaitLoaded(int seconds) {
        new WebDriverWait(driver, Duration.ofSeconds(seconds)).until(browser -> {
            String state = browser.findElement(By.id("app")).getDomAttribute("data-state");
            if ("failed".equals(state)) {
                throw new AssertionError("the dashboard failed: " + browser.findElement(By.id("status")).getText());
            }
            return "ready".equals(state);
        });
    }

    /** The console's entries since the last call. */
    List<LogEntry> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** A request the page made, and the body of its answer if the browser still has it. */
    record Exchange(String url, Map<String, String> requestHeaders, Optional<String> responseBody) {
    }

    /** The requests the page made since the last call, with their answers' bodies. */
    List<Exchange> requests() {
        List<Exchange> exchanges = new ArrayList<>();
        Map<String, Map<String, String>> headers = new HashMap<>();
        Map<String, String> urls = new LinkedHashMap<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            JsonNode message = NeutronTranscriptContract.json(entry.getMessage()).path("message");
            JsonNode params = message.path("params");
            if (message.path("method").asText().equals("Network.requestWillBeSent")) {
                String id = params.path("requestId").asText();
                urls.put(id, params.path("request").path("url").asText());
                Map<String, String> sent = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                params.path("request").path("headers").properties()
                        .forEach(header -> sent.put(header.getKey(), header.getValue().asText()));
                headers.put(id, sent);
            }
        }
        urls.forEach((id, url) -> exchanges.add(new Exchange(url, headers.get(id), body(id))));
        return exchanges;
    }

    private Optional<String> body(String requestId) {
        try {
            Map<String, Object> answer = driver.executeCdpCommand("Network.getResponseBody",
                    Map.of("requestId", requestId));
            return Optional.ofNullable((String) answer.get("body"));
        } catch (RuntimeException e) {
            return Optional.empty();    // no body (a preload, a data: URL) or no longer kept
        }
    }

    /** Writes the whole page, as tall as its content, to {@code target/dashboard-<name>.png}. */
    @SuppressWarnings("unchecked")
    Path screenshot(String name) {
        // Beyond the window: a headless window is no taller than its virtual screen.
        Map<String, Object> size = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of())
                .get("cssContentSize");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", size.get("width"),
                        "height", size.get("height"), "scale", 1)));
        return save(name, Base64.getDecoder().decode((String) shot.get("data")));
    }

    /** Writes the element {@code id} alone to {@code target/dashboard-<name>.png}. */
    Path screenshot(String name, String id) {
        return save(name, driver.findElement(By.id(id)).getScreenshotAs(OutputType.BYTES));
    }

    private static Path save(String name, byte[] png) {
        Path file = Path.of("target", "dashboard-" + name + ".png");
        try {
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + profile + ": " + e);
            }
        }
    }
}
