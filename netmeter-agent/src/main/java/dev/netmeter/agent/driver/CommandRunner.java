package dev.netmeter.agent.driver;

import java.time.Duration;
import java.util.List;

/** Runs external commands (nft, ip), each with a timeout. Thread-safe. */
public interface CommandRunner {
    /** What a command did. */
    record Result(int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /**
     * Runs {@code command} with {@code stdin} as its input and waits for it, at most {@code timeout}.
     *
     * @throws DataPlaneException naming the command, if it cannot be started or does not finish in time
     *     (it is then killed)
     */
    Result run(List<String> command, String stdin, Duration timeout) throws DataPlaneException;
}
