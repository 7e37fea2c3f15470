package dev.netmeter.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.agent.server.HostSync;
import dev.netmeter.agent.server.ServerClient;
import dev.netmeter.domain.usage.UsageReport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The poller's loop over a scripted server, on the test's thread: what it asks, hands on, and waits. */
class SyncPollerTest {
    private static final AgentSettings SETTINGS = new AgentSettings("net-1", Duration.ofSeconds(30),
            Duration.ofSeconds(300), Duration.ofSeconds(30));

    private final List<Optional<Long>> asked = new ArrayList<>();
    private final List<Long> handedOver = new ArrayList<>();
    private final List<Duration> waited = new ArrayList<>();

    @Test
    void after_an_error_it_waits_a_jittered_delay_that_doubles_and_reads_everything_again() {
        Deque<Object> answers = new ArrayDeque<>(List.of(sync(1), Optional.empty(), new IOException("refused"),
                new IOException("refused"), new IOException("refused"), sync(2), sync(3)));

        poller(answers, new Random(14)).run();

        assertThat(asked).containsExactly(Optional.empty(), Optional.of(1L), Optional.of(1L), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(2L), Optional.of(3L));
        assertThat(handedOver).containsExactly(1L, 2L, 3L);
        assertThat(waited).hasSize(3);
        assertThat(waited.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(waited.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(waited.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void a_success_resets_the_delay_and_a_refused_token_waits_at_the_longest() {
        Deque<Object> answers = new ArrayDeque<>(List.of(new IOException("refused"), new IOException("refused"),
                sync(1), new IOException("refused"), new ServerClient.CredentialsRefusedException("401")));

        poller(answers, new Random(14)).run();

        assertThat(waited).hasSize(4);
        assertThat(waited.get(2)).as("after a success").isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(waited.get(3)).as("token refused").isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    @Test
    void a_hand_over_refused_because_the_agent_closes_ends_the_loop() {
        Deque<Object> answers = new ArrayDeque<>(List.of(sync(1), sync(-1), sync(2)));

        poller(answers, new Random(14)).run();

        assertThat(handedOver).containsExactly(1L);
        assertThat(answers).as("not asked any more").hasSize(1);
    }

    /** A poller over {@code answers} (a sync, an empty answer, or an exception each), stopped when they run out. */
    private SyncPoller poller(Deque<Object> answers, Random random) {
        ServerClient server = new ServerClient() {
            @Override
            @SuppressWarnings("unchecked")
            public Optional<HostSync> sync(Optional<Long> since, Duration wait) throws IOException,
                    InterruptedException {
                asked.add(since);
                Object answer = answers.poll();
                if (answer == null) {
                    throw new InterruptedException("no more answers");
                }
                if (answer instanceof IOException e) {
                    throw e;
                }
                return answer instanceof HostSync sync ? Optional.of(sync) : (Optional<HostSync>) answer;
            }

            @Override
            public Acknowledgement submit(UsageReport report) {
                throw new UnsupportedOperationException();
            }
        };
        return new SyncPoller(server, SETTINGS, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), random),
                waited::add, sync -> {
                    if (sync.revision() < 0) {
                        throw new RejectedExecutionException("closing");
                    }
                    handedOver.add(sync.revision());
                });
    }

    /** Sync data of {@code revision}; the hand-over of a negative one is refused, as by a closing agent. */
    private static HostSync sync(long revision) {
        return new HostSync(revision, List.of(), Map.of());
    }
}
