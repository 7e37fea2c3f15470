package dev.netmeter.agent.server;

import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.RuleId;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import dev.netmeter.wire.SyncDocument;
import dev.netmeter.wire.SyncLabel;
import dev.netmeter.wire.SyncRouter;
import dev.netmeter.wire.SyncRule;
import dev.netmeter.wire.UsageReportDocument;
import dev.netmeter.wire.UsageRow;
import dev.netmeter.wire.WireJson;
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
            return Optional.of(hostSync(WireJson.MAPPER.readValue(response.body(), SyncDocument.class).sync()));
        } catch (IOException | RuntimeException e) {
            throw new IOException("%s %s: unexpected sync data: %s".formatted(request.method(), request.uri(), e), e);
        }
    }

    @Override
    public Acknowledgement submit(UsageReport report) throws IOException, InterruptedException {
        HttpRequest request = request("v2.0/metering/usage_reports", answerTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(WireJson.MAPPER.writeValueAsBytes(wire(report))))
                .build();
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
            return WireJson.MAPPER.readTree(body).path("NeutronError").isObject();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The report in the server's format (docs/api.md, "Usage reports"). */
    UsageReportDocument wire(UsageReport report) {
        List<UsageRow> rows = report.usage().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(UsageKey.ROUTER_LABEL_ORDER))
                .map(row -> new UsageRow(row.getKey().router().toString(), row.getKey().label().toString(),
                        row.getKey().project().value(), row.getValue().packets(), row.getValue().bytes(),
                        row.getValue().seconds(), row.getValue().firstUpdate().getEpochSecond(),
                        row.getValue().lastUpdate().getEpochSecond(),
                        row.getKey().direction().map(Direction::wireName).orElse(null)))
                .toList();
        return new UsageReportDocument(new UsageReportDocument.Report(report.id().toString(), host,
                report.windowStart().toString(), report.windowEnd().toString(), rows));
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

    /** The sync data as the agent meters it; a label a router names must be in the data. */
    static HostSync hostSync(SyncDocument.Sync sync) {
        Map<LabelId, ProjectId> projects = new HashMap<>();
        Map<LabelId, LabelMetering> labels = new HashMap<>();
        for (SyncLabel label : sync.meteringLabels()) {
            LabelId id = id(label.id(), LabelId::parse);
            projects.put(id, new ProjectId(label.projectId()));
            List<MeteringLabelRule> rules = new ArrayList<>();
            for (SyncRule rule : label.rules()) {
                rule(id, rule).ifPresent(rules::add);
            }
            labels.put(id, new LabelMetering(id, rules));
        }
        List<RouterMetering> routers = new ArrayList<>();
        for (SyncRouter router : sync.routers()) {
            List<LabelMetering> applying = new ArrayList<>();
            for (String label : router.meteringLabels()) {
                LabelId id = id(label, LabelId::parse);
                LabelMetering metering = labels.get(id);
                if (metering == null) {
                    throw new IllegalArgumentException("router names label " + id + ", which is not in the data");
                }
                applying.add(metering);
            }
            routers.add(new RouterMetering(id(router.id(), RouterId::parse), router.namespace(),
                    router.externalInterface(), applying));
        }
        return new HostSync(sync.revision(), routers, projects);
    }

    /**
     * The rule, or empty if it is one this agent cannot meter (a prefix it cannot read, say one stored by an
     * older, more lenient server): one bad rule must not stop the rest of its routers' metering, as failing the
     * whole sync data (or the table it renders) would. A rule the records refuse (a field missing or of another
     * JSON type) is no such rule: it fails the whole sync data, as no server writes it.
     */
    private static Optional<MeteringLabelRule> rule(LabelId label, SyncRule rule) {
        try {
            return Optional.of(new MeteringLabelRule(id(rule.id(), RuleId::parse), label,
                    Direction.fromWire(rule.direction()).orElseThrow(
                            () -> new IllegalArgumentException("unknown direction " + rule.direction())),
                    rule.excluded(), prefix("remote_ip_prefix", rule.remoteIpPrefix()),
                    prefix("source_ip_prefix", rule.sourceIpPrefix()),
                    prefix("destination_ip_prefix", rule.destinationIpPrefix())));
        } catch (RuntimeException e) {
            LOG.warn("skipping rule {} of label {}, which cannot be metered: {}", rule.id(), label, e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code null} is no prefix (the records refuse a prefix that is not text). */
    private static Optional<Cidr> prefix(String field, String value) {
        return Optional.ofNullable(value).map(text -> Cidr.parse(field, text));
    }

    private static <T> T id(String text, Function<String, Optional<T>> parser) {
        return parser.apply(text).orElseThrow(() -> new IllegalArgumentException("not an id: " + text));
    }
}
