package dev.netmeter.api;

import dev.netmeter.domain.error.ResourceNotFoundException;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard at {@code /dashboard}: a page and its scripts and styles, read from the class path once at start
 * (our files under {@code dashboard/}, uPlot from its WebJar). The page holds no data: its scripts ask the API
 * with the token the user typed, so it shows exactly what the API shows that token. Anyone may fetch the files,
 * as anyone may fetch {@code /}. Every script and style tag of the page carries the SHA-384 of the file it
 * names ({@code integrity}), computed here, so the page cannot run a file other than the one it was made with.
 * Thread-safe (immutable).
 */
final class Dashboard {
    static final String PATH = "/dashboard";
    /**
     * Scripts and styles from this server only, nothing inline, no other origin; requests to the API only.
     * The API's own policy ({@link SecurityHeaders}) stays {@code default-src 'none'}.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String OURS = "dashboard/";
    private static final String UPLOT_PROPERTIES = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final Map<String, String> OUR_FILES = Map.of(
            "app.js", "text/javascript", "api.js", "text/javascript", "format.js", "text/javascript",
            "views.js", "text/javascript", "chart.js", "text/javascript", "dashboard.css", "text/css");
    private static final Map<String, String> UPLOT_FILES = Map.of(
            "uPlot.iife.min.js", "text/javascript", "uPlot.min.css", "text/css");
    private static final Pattern INTEGRITY = Pattern.compile("\\{\\{integrity:([A-Za-z.]+)}}");

    /** A file as served: its bytes, its type and its Subresource Integrity value. */
    record Asset(byte[] body, String contentType, String integrity) {
        static Asset of(byte[] body, String contentType) {
            return new Asset(body, contentType, "sha384-" + Base64.getEncoder().encodeToString(sha384(body)));
        }
    }

    private final Map<String, Asset> assets;
    private final byte[] page;

    private Dashboard(Map<String, Asset> assets, byte[] page) {
        this.assets = assets;
        this.page = page;
    }

    /**
     * Reads the files and makes the page with their hashes.
     *
     * @throws IllegalStateException if a file is missing, or the page names one that is not served
     */
    static Dashboard load() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        OUR_FILES.forEach((name, type) -> assets.put(name, Asset.of(resource(OURS + name), type)));
        String uplot = "META-INF/resources/webjars/uplot/%s/dist/".formatted(uplotVersion());
        UPLOT_FILES.forEach((name, type) -> assets.put(name, Asset.of(resource(uplot + name), type)));
        String template = new String(resource(OURS + "index.html"), StandardCharsets.UTF_8);
        Matcher named = INTEGRITY.matcher(template);
        String page = named.replaceAll(match -> {
            Asset asset = assets.get(match.group(1));
            if (asset == null) {
                throw new IllegalStateException("dashboard/index.html names %s, which is not served"
                        .formatted(match.group(1)));
            }
            return asset.integrity();
        });
        return new Dashboard(Map.copyOf(assets), page.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code path} is the dashboard's, which needs no token (its data does). */
    static boolean serves(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    /** The files served under {@code /dashboard/}, by name. */
    Map<String, Asset> assets() {
        return assets;
    }

    /** The page, with its files' integrity values. */
    byte[] page() {
        return page.clone();
    }

    /** {@code GET /dashboard}: the page. */
    void page(Context ctx) {
        respond(ctx, page, "text/html");
    }

    /** {@code GET /dashboard/{file}}: a script or style of the page; 404 for any other name. */
    void asset(Context ctx) {
        Asset asset = assets.get(ctx.pathParam("file"));
        if (asset == null) {
            throw new ResourceNotFoundException("The resource could not be found.");
        }
        respond(ctx, asset.body(), asset.contentType());
    }

    private static void respond(Context ctx, byte[] body, String contentType) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.status(200).contentType(contentType + "; charset=utf-8").result(body);
    }

    private static String uplotVersion() {
        Properties properties = new Properties();
        try (InputStream in = new ByteArrayInputStream(resource(UPLOT_PROPERTIES))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static byte[] resource(String name) {
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("%s is missing from the class path".formatted(name));
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha384(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-384").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-384", e);
        }
    }
}
