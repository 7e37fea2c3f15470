package dev.netmeter.api;

import dev.netmeter.domain.HostSyncData;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.LinuxNames;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.service.RequestContext;
import dev.netmeter.service.SyncService;
import dev.netmeter.wire.SyncDocument;
import dev.netmeter.wire.SyncLabel;
import dev.netmeter.wire.SyncRouter;
import dev.netmeter.wire.SyncRule;
import dev.netmeter.wire.WireJson;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code GET /v2.0/metering/sync?host=…[&since=<revision>[&timeout=<seconds>]]}: an agent host's routers,
 * the labels that apply to them and their rules. With {@code since}, a long poll: the answer comes when the
 * host's data has changed after that revision, or 304 Not Modified after {@code timeout}. Thread-safe.
 *
 * <p>Labels are listed once, each with its rules, and routers name theirs by id: Neutron's RPC repeats
 * every label under every router, which for 1,000 routers and 100 shared labels of 20 rules would be
 * two million rule objects.
 */
final class SyncHandlers {
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    static final Duration MAX_WAIT = Duration.ofSeconds(120);
    private static final Set<String> PARAMETERS = Set.of("host", "since", "timeout");
    /** What the records hold themselves; a router's and a label's other attributes ride along. */
    private static final Set<String> ROUTER_PROPERTIES = Set.copyOf(WireJson.properties(SyncRouter.class));
    private static final Set<String> LABEL_PROPERTIES = Set.copyOf(WireJson.properties(SyncLabel.class));

    private final SyncService sync;
    private final Requests requests;

    SyncHandlers(SyncService sync, Requests requests) {
        this.sync = sync;
        this.requests = requests;
    }

    void sync(Context ctx) throws InterruptedException, IOException {
        RequestContext caller = requests.caller(ctx);
        Map<String, List<String>> parameters = QueryParameters.parse(ctx.queryString()).asMap();
        QueryParameters.requireKnown(parameters, PARAMETERS);
        String host = QueryParameters.single(parameters, "host").orElseThrow(
                () -> new InvalidRequestException("Required query parameter 'host' not specified"));
        LinuxNames.hostNameProblem(host).ifPresent(problem -> {
            throw new InvalidRequestException("Invalid input for host. Reason: %s.".formatted(problem));
        });
        Optional<Long> since = QueryParameters.single(parameters, "since").map(text -> number("since", text));
        Duration wait = QueryParameters.single(parameters, "timeout")
                .map(text -> Duration.ofSeconds(number("timeout", text)))
                .orElse(DEFAULT_WAIT);
        if (wait.compareTo(MAX_WAIT) > 0) {
            throw new InvalidRequestException("Invalid input for timeout. Reason: '%d' is more than %d seconds."
                    .formatted(wait.toSeconds(), MAX_WAIT.toSeconds()));
        }
        if (since.isEmpty()) {
            respond(ctx, host, sync.read(caller, host));
            return;
        }
        Optional<HostSyncData> changed = sync.readChanged(caller, host, since.get(), wait);
        if (changed.isPresent()) {
            respond(ctx, host, changed.get());
        } else {
            ctx.status(304);
            ctx.res().setContentType(null);
        }
    }

    private static long number(String name, String text) {
        return QueryParameters.asciiNumber(text).orElseThrow(() -> new InvalidRequestException(
                "Invalid input for %s. Reason: '%s' is not a non-negative integer.".formatted(name, text)));
    }

    /**
     * Streams the {@link SyncDocument}: the answer for a large host is megabytes, which a tree would first hold
     * in memory whole. Its lists are views that make each router and label record as it is written (and drop it
     * after), so neither a tree nor all the records are ever held at once. Items carry the attributes the
     * resources' own endpoints render. Measured with {@code bench sync} (1,000 routers, 1,000 labels of which 100
     * shared, 20,000 rules: 9.3 MB), three rounds each: median 70–126 ms to the last byte, against 81–100 ms for
     * the hand-written generator (with raw shared label ids) this replaced; noise on 2 shared cores.
     */
    static void respond(Context ctx, String host, HostSyncData data) throws IOException {
        Map<ProjectId, List<String>> ownLabels = new HashMap<>();
        List<String> sharedLabels = new ArrayList<>();
        for (MeteringLabel label : data.labels()) {
            if (label.shared()) {
                sharedLabels.add(label.id().toString());
            } else {
                ownLabels.computeIfAbsent(label.projectId(), project -> new ArrayList<>()).add(label.id().toString());
            }
        }
        List<SyncRouter> routers = view(data.routers(), router -> new SyncRouter(router.id().toString(),
                router.namespace(), router.externalInterface(),
                concatenation(ownLabels.getOrDefault(router.projectId(), List.of()), sharedLabels),
                RouterHandlers.SCHEMA.attributes(router, ROUTER_PROPERTIES)));
        Map<LabelId, List<MeteringLabelRule>> rules = rulesByLabel(data);
        List<SyncLabel> labels = view(data.labels(), label -> new SyncLabel(label.id().toString(),
                label.projectId().value(), view(rules.get(label.id()), SyncHandlers::rule),
                LabelHandlers.SCHEMA.attributes(label, LABEL_PROPERTIES)));
        ctx.status(200).contentType(Json.CONTENT_TYPE);
        WireJson.MAPPER.writeValue(ctx.outputStream(),
                new SyncDocument(new SyncDocument.Sync(host, data.revision(), routers, labels)));
    }

    private static SyncRule rule(MeteringLabelRule rule) {
        return new SyncRule(rule.id().toString(), rule.labelId().toString(), rule.direction().wireName(),
                rule.excluded(), RuleHandlers.text(rule.remoteIpPrefix()), RuleHandlers.text(rule.sourceIpPrefix()),
                RuleHandlers.text(rule.destinationIpPrefix()));
    }

    /** Each label's rules, as views of the one list: rules come in their labels' order. */
    private static Map<LabelId, List<MeteringLabelRule>> rulesByLabel(HostSyncData data) {
        List<MeteringLabelRule> rules = data.rules();
        Map<LabelId, List<MeteringLabelRule>> byLabel = new HashMap<>();
        int next = 0;
        for (MeteringLabel label : data.labels()) {
            int first = next;
            while (next < rules.size() && rules.get(next).labelId().equals(label.id())) {
                next++;
            }
            byLabel.put(label.id(), rules.subList(first, next));
        }
        return byLabel;
    }

    /** {@code items} as {@code record} makes them, one at a time when the list is read. */
    private static <T, R> List<R> view(List<T> items, Function<T, R> record) {
        return new AbstractList<>() {
            @Override
            public R get(int index) {
                return record.apply(items.get(index));
            }

            @Override
            public int size() {
                return items.size();
            }
        };
    }

    /** {@code first} then {@code second}, without copying either: shared labels apply to every router. */
    private static List<String> concatenation(List<String> first, List<String> second) {
        return new AbstractList<>() {
            @Override
            public String get(int index) {
                return index < first.size() ? first.get(index) : second.get(index - first.size());
            }

            @Override
            public int size() {
                return first.size() + second.size();
            }
        };
    }
}
