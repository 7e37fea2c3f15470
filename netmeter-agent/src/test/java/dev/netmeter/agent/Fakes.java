package dev.netmeter.agent;

import dev.netmeter.agent.driver.DataPlaneDriver;
import dev.netmeter.agent.driver.DataPlaneException;
import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.agent.server.HostSync;
import dev.netmeter.agent.server.ServerClient;
import dev.netmeter.agent.usage.LedgerStore;
import dev.netmeter.agent.usage.UsageLedger;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Fakes of the agent's own interfaces, with the faults the agent must survive. */
final class Fakes {
    private Fakes() {
    }

    /** Namespaces with netmeter's counters in them, as the kernel would keep them. */
    static final class Kernel implements DataPlaneDriver {
        final Set<String> namespaces = new HashSet<>();
        final Map<String, Map<LabelCounter, TrafficCounter>> counters = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        String failure;
        /** A namespace whose every call fails (as one whose nft hangs), or null. */
        String failingIn;
        /** Applies commit, then report failure, as an nft killed at its timeout after committing may. */
        boolean appliesFailAfterCommitting;
        /** Removals fail (and remove nothing), while reads work. */
        boolean removalsFail;
        /**
         * Traffic that crosses while each apply commits, by counter: counted by a counter that rules count into
         * until the apply switches to the new ones (an idle counter counts nothing).
         */
        final Map<LabelCounter, TrafficCounter> duringApplies = new HashMap<>();
        /** Everything each counter counted, deleted counters included. */
        final Map<LabelCounter, TrafficCounter> everCounted = new HashMap<>();
        /** The counters that rules count into, in each namespace. */
        private final Map<String, Set<LabelCounter>> counting = new HashMap<>();

        /** Traffic counted for {@code label} in {@code namespace}, ingress (the tests' labels count ingress). */
        void count(String namespace, LabelId label, long packets, long bytes) {
            count(namespace, LabelCounter.of(label, Direction.INGRESS), packets, bytes);
        }

        /** Traffic counted by {@code counter} in {@code namespace}. */
        void count(String namespace, LabelCounter counter, long packets, long bytes) {
            counters.get(namespace).merge(counter, new TrafficCounter(packets, bytes),
                    (a, b) -> new TrafficCounter(a.packets() + b.packets(), a.bytes() + b.bytes()));
            everCounted.merge(counter, new TrafficCounter(packets, bytes),
                    (a, b) -> new TrafficCounter(a.packets() + b.packets(), a.bytes() + b.bytes()));
        }

        /**
         * A table as an agent before issue 17 left it in {@code namespace}: one direction-less counter per label,
         * counting, holding what it counted.
         */
        void madeByAnOlderAgent(String namespace, Map<LabelId, TrafficCounter> labels) {
            Map<LabelCounter, TrafficCounter> table = counters.computeIfAbsent(namespace, ns -> new HashMap<>());
            Set<LabelCounter> rules = counting.computeIfAbsent(namespace, ns -> new HashSet<>());
            labels.forEach((label, total) -> {
                table.put(LabelCounter.directionLess(label), TrafficCounter.ZERO);
                rules.add(LabelCounter.directionLess(label));
                count(namespace, LabelCounter.directionLess(label), total.packets(), total.bytes());
            });
        }

        @Override
        public void apply(RouterMetering router) throws DataPlaneException {
            check(router.namespace(), "apply");
            Map<LabelCounter, TrafficCounter> existing = counters.computeIfAbsent(router.namespace(),
                    ns -> new HashMap<>());
            counting.getOrDefault(router.namespace(), Set.of()).stream().filter(duringApplies::containsKey)
                    .forEach(counter -> {
                        TrafficCounter traffic = duringApplies.get(counter);
                        count(router.namespace(), counter, traffic.packets(), traffic.bytes());
                    });
            Set<LabelCounter> next = router.counters();
            counting.put(router.namespace(), router.labels().stream().flatMap(label -> label.counters().stream()
                    .filter(counter -> !label.idle().contains(counter))).collect(Collectors.toSet()));
            existing.keySet().retainAll(next);
            next.forEach(counter -> existing.putIfAbsent(counter, TrafficCounter.ZERO));
            if (appliesFailAfterCommitting) {
                throw new DataPlaneException("ip netns exec " + router.namespace() + " nft -f -: timed out");
            }
        }

        /** The namespace deleted (and, if {@code recreated}, made again empty), as Neutron's L3 agent may. */
        void deleteNamespace(String namespace, boolean recreated) {
            counters.remove(namespace);
            counting.remove(namespace);
            if (!recreated) {
                namespaces.remove(namespace);
            }
        }

        @Override
        public Map<LabelCounter, TrafficCounter> readCounters(String namespace) throws DataPlaneException {
            calls.add("read " + namespace);
            failIfTold(namespace);
            return Map.copyOf(counters.getOrDefault(namespace, Map.of()));     // a missing namespace holds none
        }

        @Override
        public void remove(String namespace) throws DataPlaneException {
            calls.add("remove " + namespace);
            failIfTold(namespace);
            if (removalsFail) {
                throw new DataPlaneException("ip netns exec " + namespace
                        + " nft delete table: Device or resource busy");
            }
            counters.remove(namespace);
            counting.remove(namespace);
        }

        private void check(String namespace, String call) throws DataPlaneException {
            calls.add(call + " " + namespace);
            failIfTold(namespace);
            if (!namespaces.contains(namespace)) {
                throw new DataPlaneException("namespace " + namespace + " does not exist (yet)");
            }
        }

        private void failIfTold(String namespace) throws DataPlaneException {
            if (failure != null) {
                throw new DataPlaneException(failure);
            }
            if (namespace.equals(failingIn)) {
                throw new DataPlaneException("ip netns exec " + namespace + " nft: timed out");
            }
        }
    }

    /** A server that stores each report once by id, and can be down or lose its answers. */
    static final class Server implements ServerClient {
        final Map<UUID, UsageReport> stored = new LinkedHashMap<>();
        int submissions;
        boolean down;
        boolean losesAnswers;
        boolean rejects;
        boolean refusesToken;

        @Override
        public Optional<HostSync> sync(Optional<Long> since, Duration wait) {
            throw new UnsupportedOperationException("the tests hand the agent its sync data");
        }

        @Override
        public Acknowledgement submit(UsageReport report) throws IOException {
            submissions++;
            if (down) {
                throw new IOException("connection refused");
            }
            if (refusesToken) {
                throw new CredentialsRefusedException("POST /v2.0/metering/usage_reports answered 401");
            }
            if (rejects) {
                throw new ReportRejectedException("400 bad report");
            }
            boolean isNew = stored.putIfAbsent(report.id(), report) == null;
            if (losesAnswers) {
                throw new IOException("connection reset after the request was sent");
            }
            return isNew ? Acknowledgement.STORED : Acknowledgement.ALREADY_STORED;
        }

        /** Everything stored, summed per key. */
        Map<UsageKey, TrafficCounter> totals() {
            Map<UsageKey, TrafficCounter> totals = new HashMap<>();
            stored.values().forEach(report -> report.usage().forEach((key, usage) -> totals.merge(key,
                    new TrafficCounter(usage.packets(), usage.bytes()),
                    (a, b) -> new TrafficCounter(a.packets() + b.packets(), a.bytes() + b.bytes()))));
            return totals;
        }
    }

    /** A ledger store in memory, which can be full. */
    static final class Store implements LedgerStore {
        UsageLedger written;
        boolean full;
        int writes;

        @Override
        public UsageLedger read(Instant now) {
            return written == null ? UsageLedger.empty(now) : written;
        }

        @Override
        public void write(UsageLedger ledger) throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
            written = ledger;
            writes++;
        }
    }
}
