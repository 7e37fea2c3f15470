package dev.netmeter.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** External commands: input, output and exit code, and a timeout that holds whatever the command does. */
class ProcessCommandRunnerTest {
    private final CommandRunner commands = new ProcessCommandRunner();

    @Test
    void input_output_and_exit_code_come_through() throws DataPlaneException {
        CommandRunner.Result result = commands.run(List.of("sh", "-c", "cat; echo oops >&2; exit 3"), "hello\n",
                Duration.ofSeconds(10));

        assertThat(result).isEqualTo(new CommandRunner.Result(3, "hello\n", "oops\n"));
    }

    @Test
    @Timeout(20)
    void a_command_that_hangs_without_reading_its_input_is_killed_at_the_timeout() {
        String input = "x".repeat(1 << 20);     // more than a pipe holds: writing it blocks until read

        assertThatThrownBy(() -> commands.run(List.of("sleep", "60"), input, Duration.ofSeconds(1)))
                .isInstanceOf(DataPlaneException.class).hasMessageContaining("did not finish within PT1S");
    }

    @Test
    void a_command_that_cannot_be_started_says_which() {
        assertThatThrownBy(() -> commands.run(List.of("/nonexistent/nft"), "", Duration.ofSeconds(1)))
                .isInstanceOf(DataPlaneException.class).hasMessageContaining("cannot run /nonexistent/nft");
    }
}
