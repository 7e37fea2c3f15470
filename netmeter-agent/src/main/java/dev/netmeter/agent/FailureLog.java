package dev.netmeter.agent;

import dev.netmeter.agent.driver.DataPlaneException;
import dev.netmeter.domain.RouterId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent's data plane steps and logs each failure once, not at every retry: a namespace that stays
 * missing would otherwise log a line per router every measure interval. Used from the worker thread only.
 */
final class FailureLog {
    private static final Logger LOG = LoggerFactory.getLogger(MeteringAgent.class);

    /** The data plane steps the agent retries, as the log names them. */
    enum Step {
        READ_COUNTERS("read counters in"),
        REMOVE("remove from"),
        SILENCE_LABELS_THAT_GO("stop counting labels that go in"),
        APPLY("apply in");

        private final String description;

        Step(String description) {
            this.description = description;
        }
    }

    /**
     * One step of one router in one namespace: a router that moved fails (or works) apart in each namespace.
     */
    record Key(RouterId router, Step step, String namespace) {
        @Override
        public String toString() {
            return step.description + " " + namespace;
        }
    }

    private final Duration retryInterval;
    /** What failed, as last logged. */
    private final Map<Key, String> failing = new HashMap<>();

    /** A log of steps retried every {@code retryInterval}. */
    FailureLog(Duration retryInterval) {
        this.retryInterval = retryInterval;
    }

    /**
     * Runs {@code step}; logs its failure once (until it succeeds, or fails otherwise) and says whether it
     * worked.
     */
    boolean attempt(Key key, DataPlaneStep step) {
        try {
            step.run();
            if (failing.remove(key) != null) {
                LOG.info("router {}: {} works again", key.router(), key);
            }
            return true;
        } catch (DataPlaneException e) {
            String message = e.getMessage();
            if (!message.equals(failing.put(key, message))) {
                LOG.warn("router {}: {} failed, retried every {} s: {}", key.router(), key,
                        retryInterval.toSeconds(), message);
            }
            return false;
        }
    }

    /** One data plane call. */
    @FunctionalInterface
    interface DataPlaneStep {
        void run() throws DataPlaneException;
    }
}
