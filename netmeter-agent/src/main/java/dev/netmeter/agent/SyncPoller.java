package dev.netmeter.agent;

import dev.netmeter.agent.server.HostSync;
import dev.netmeter.agent.server.ServerClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller thread's loop: long-polls the server for the host's sync data, a full read at start and after
 * any error, and hands each answer on. Errors are retried after a {@link Backoff}; a refused token at the
 * longest delay at once. Ends when interrupted, or when the hand-over is refused (the agent is closing).
 */
final class SyncPoller implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(MeteringAgent.class);

    private final ServerClient server;
    private final AgentSettings settings;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final Consumer<HostSync> handOver;

    /**
     * A loop that hands each answer to {@code handOver} (which throws {@link RejectedExecutionException} once
     * the agent closes) and waits with {@code sleeper} between retries.
     */
    SyncPoller(ServerClient server, AgentSettings settings, Backoff backoff, Sleeper sleeper,
               Consumer<HostSync> handOver) {
        this.server = server;
        this.settings = settings;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.handOver = handOver;
    }

    @Override
    public void run() {
        Optional<Long> since = Optional.empty();
        while (!Thread.currentThread().isInterrupted()) {
            Duration delay;
            try {
                Optional<HostSync> answer = server.sync(since, settings.pollWait());
                if (answer.isPresent()) {
                    handOver.accept(answer.get());
                    since = Optional.of(answer.get().revision());
                }
                backoff.reset();
                continue;
            } catch (RejectedExecutionException | InterruptedException e) {
                return;     // closing
            } catch (ServerClient.CredentialsRefusedException e) {
                // Retried at the slowest pace rather than given up: the counters keep counting meanwhile, and an
                // operator who fixes the token on the server's side need not restart every agent.
                delay = backoff.nextAtLongest();
                LOG.error("{}; the sync is retried every {} s at most meanwhile (from {} s, jittered so that agents "
                        + "do not retry together), and the counters keep counting",
                        Reporter.credentialsRefused(e, settings.host()), backoff.longest().toSeconds(),
                        backoff.longest().toSeconds() / 2);
            } catch (IOException | RuntimeException e) {
                delay = backoff.next();
                LOG.warn("reading sync data failed ({}); full resync in {} ms", e.getMessage(), delay.toMillis());
            }
            since = Optional.empty();
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException stop) {
                return;
            }
        }
    }

    /** How the loop waits: {@code Thread::sleep}, but for tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }
}
