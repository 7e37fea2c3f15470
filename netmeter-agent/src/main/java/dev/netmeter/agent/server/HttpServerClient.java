package dev.netmeter.agent.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.RuleId;
import dev.netmeter.domain.usage.UsageReport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server over HTTP: {@code GET /v2.0/metering/sync} (long poll) and {@code POST
 * /v2.0/metering/usage_reports}, authenticated with a token of the {@code agent} role. Thread-safe.
 */
public final class HttpServerClient implements ServerClient {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServerClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long an answer may take beyond the long poll's own wait. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The answers that refuse a report for what it is, when the server itself gives them (a NeutronError body):
     * invalid, or an id already stored with other content. Anything else (401 and 403 for a bad token, 404
     * from an older server, 413 from a proxy whose body limit is too small (the server takes any report the
     * agent makes), 5xx, or a 400 from something other than the server) is about the set-up and may pass: the
     * report is kept and sent again.
     */
    private static final Set<Integer> REFUSALS = Set.of(400, 409);

    private final URI server;
    private final String token;
    private final String host;
    private final Duration answerTimeout;
    private final HttpClient http;

    /**
     * @param server the server's base URL, e.g. {@code http://netmeter:9696}
     * @param host the agent's host name, whose routers it meters
     */
    public HttpServerClient(URI server, String token, String host) {
        this(server, token, host, ANSWER_TIMEOUT);
    }

    /** The same, waiting {@code answerTimeout} for an answer (beyond a long poll's wait). */
    HttpServerClient(URI server, String token, String host, Duration answerTimeout) {
        this.server = URI.create(server.toString().replaceAll("/+$", "") + "/");
        this.token = token;
        this.host = host;
        this.answerTimeout = answerTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public Optional<HostSync> sync(Optional<Long> since, Duration wait) throws IOException, InterruptedException {
        String query = "host=" + URLEncoder.encode(host, StandardCharsets.UTF_8)
                + since.map(revision -> "&since=" + revision + "&timeout=" + wait.toSeconds()).orElse("");
        HttpRequest request = request("v2.0/metering/sync?" + query, wait.plus(answerTimeout)).GET().build();
        HttpResponse<byte[]> response = send(request, wait.plus(answerTimeout));
        if (response.statusCode() == 304) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw failure(request, response);
        }
        try {
            return Optional.of(hostSync(JSON.readTree(response.body()).path("sync")));
        } catch (RuntimeException e) {
            throw new IOException("%s %s: unexpected sync data: %s".formatted(request.method(), request.uri(), e), e);
        }
    }

    @Override
    public Acknowledgement submit(UsageReport report) throws IOException, InterruptedException {
        HttpRequest request = request("v2.0/metering/usage_reports", answerTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(wire(report)))).build();
        HttpResponse<byte[]> response = send(request, answerTimeout);
        int status = response.statusCode();
        if (status == 201) {
            return Acknowledgement.STORED;
        }
        if (status == 200) {
            return Acknowledgement.ALREADY_STORED;
        }
        IOException failure = failure(request, response);
        if (REFUSALS.contains(status) && isNeutronError(response.body())) {
            throw new ReportRejectedException(failure.getMessage());
        }
        throw failure;
    }

    /**
     * Sends {@code request} and reads the whole answer within {@code timeout}: the request's own timeout ends
     * with the headers, and a server that stalls in the body must not hold the agent's thread for ever.
     */
    private HttpResponse<byte[]> send(HttpRequest request, Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("%s %s: no whole answer within %s".formatted(request.method(),
                    request.uri(), timeout));
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new IOException("%s %s: %s".formatted(request.method(), request.uri(), io), io);
            }
            throw new IOException("%s %s: %s".formatted(request.method(), request.uri(), e.getCause()), e.getCause());
        }
    }

    private static boolean isNeutronError(byte[] body) {
        try {
            return JSON.readTree(body).path("NeutronError").isObject();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The report in the server's format (docs/api.md, "Usage reports"). */
    ObjectNode wire(UsageReport report) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode item = body.putObject("usage_report").put("id", report.id().toString()).put("host", host)
                .put("window_start", report.windowStart().toString()).put("window_end", report.windowEnd().toString());
        ArrayNode usage = item.putArray("usage");
        report.usage().forEach((key, value) -> usage.addObject()
                .put("router_id", key.router().toString()).put("label_id", key.label().toString())
                .put("project_id", key.project().value())
                .put("pkts", value.packets()).put("bytes", value.bytes()).put("time", value.seconds())
                .put("first_update", value.firstUpdate().getEpochSecond())
                .put("last_update", value.lastUpdate().getEpochSecond()));
        return body;
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(server.resolve(path)).timeout(timeout).header("X-Auth-Token", token)
                .header("Accept", "application/json").header("User-Agent", "netmeter-agent");
    }

    /** The answer as an exception: {@link CredentialsRefusedException} for 401 and 403. */
    private static IOException failure(HttpRequest request, HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8).strip();
        String message = "%s %s answered %d: %s".formatted(request.method(), request.uri(), response.statusCode(),
                body.length() > 500 ? body.substring(0, 500) + "…" : body);
        return response.statusCode() == 401 || response.statusCode() == 403
                ? new CredentialsRefusedException(message) : new IOException(message);
    }

    static HostSync hostSync(JsonNode sync) {
        Map<LabelId, ProjectId> projects = new HashMap<>();
        Map<LabelId, LabelMetering> labels = new HashMap<>();
        for (JsonNode label : sync.path("metering_labels")) {
            LabelId id = id(label.path("id"), LabelId::parse);
            projects.put(id, new ProjectId(text(label.path("project_id"))));
            List<MeteringLabelRule> rules = new ArrayList<>();
            for (JsonNode rule : label.path("rules")) {
                rule(id, rule).ifPresent(rules::add);
            }
            labels.put(id, new LabelMetering(id, rules));
        }
        List<RouterMetering> routers = new ArrayList<>();
        for (JsonNode router : sync.path("routers")) {
            List<LabelMetering> applying = new ArrayList<>();
            for (JsonNode label : router.path("_metering_labels")) {
                LabelId id = id(label, LabelId::parse);
                LabelMetering metering = labels.get(id);
                if (metering == null) {
                    throw new IllegalArgumentException("router names label " + id + ", which is not in the data");
                }
                applying.add(metering);
            }
            routers.add(new RouterMetering(id(router.path("id"), RouterId::parse), text(router.path("namespace")),
                    text(router.path("external_interface")), applying));
        }
        if (!sync.path("revision").canConvertToLong()) {
            throw new IllegalArgumentException("no revision");
        }
        return new HostSync(sync.path("revision").asLong(), routers, projects);
    }

    /**
     * The rule, or empty if it is one this agent cannot meter (a prefix it cannot read, say one stored by an
     * older, more lenient server): one bad rule must not stop the rest of its routers' metering, as failing the
     * whole sync data (or the table it renders) would.
     */
    private static Optional<MeteringLabelRule> rule(LabelId label, JsonNode rule) {
        try {
            return Optional.of(new MeteringLabelRule(id(rule.path("id"), RuleId::parse), label,
                    Direction.fromWire(text(rule.path("direction"))).orElseThrow(
                            () -> new IllegalArgumentException("unknown direction " + rule.path("direction"))),
                    rule.path("excluded").asBoolean(), prefix(rule, "remote_ip_prefix"),
                    prefix(rule, "source_ip_prefix"), prefix(rule, "destination_ip_prefix")));
        } catch (RuntimeException e) {
            LOG.warn("skipping rule {} of label {}, which cannot be metered: {}", rule.path("id"), label,
                    e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<Cidr> prefix(JsonNode rule, String field) {
        JsonNode value = rule.path(field);
        return value.isTextual() ? Optional.of(Cidr.parse(field, value.asText())) : Optional.empty();
    }

    private static <T> T id(JsonNode node, Function<String, Optional<T>> parser) {
        String text = text(node);
        return parser.apply(text).orElseThrow(() -> new IllegalArgumentException("not an id: " + text));
    }

    private static String text(JsonNode node) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException("expected text, found " + node);
        }
        return node.asText();
    }
}
