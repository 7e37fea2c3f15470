package dev.netmeter.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.agent.driver.CommandRunner;
import dev.netmeter.agent.driver.DataPlaneException;
import dev.netmeter.agent.driver.ProcessCommandRunner;
import dev.netmeter.agent.driver.RootRequired;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.UsageKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger on a file system that is really full (a 512 KiB tmpfs the test mounts, so root is needed): a
 * write fails with an error and leaves the ledger written before it whole, and writes work again once there
 * is room.
 */
class LedgerFileFullDiskIT {
    private static final CommandRunner COMMANDS = new ProcessCommandRunner();
    private static final Instant T0 = Instant.parse("2026-11-23T20:00:00Z");

    @TempDir
    Path dir;

    @Test
    void a_full_disk_fails_the_write_and_keeps_the_last_ledger_whole() throws Exception {
        mount(dir);
        try {
            LedgerFile file = new LedgerFile(dir.resolve("ledger.json"));
            UsageLedger small = ledger(1);
            file.write(small);
            Path filler = dir.resolve("filler");
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                }
            } catch (IOException full) {
                assertThat(full).hasMessageContaining("No space left on device");
            }
            UsageLedger large = ledger(1_000);

            assertThatThrownBy(() -> file.write(large)).isInstanceOf(IOException.class)
                    .hasMessageContaining("No space left on device");
            assertThat(file.read(T0)).isEqualTo(small);
            assertThat(dir.resolve("ledger.json.tmp")).as("the partial file gives its space back").doesNotExist();

            Files.delete(filler);
            file.write(large);
            assertThat(file.read(T0)).isEqualTo(large);
        } finally {
            run("umount", dir.toString());
        }
    }

    private static UsageLedger ledger(int keys) {
        Map<UsageKey, TrafficCounter> totals = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            totals.put(new UsageKey(new RouterId(new UUID(1, i)), new LabelId(new UUID(2, i)), new ProjectId("p" + i),
                            Optional.of(Direction.INGRESS)),
                    new TrafficCounter(i, i * 100L));
        }
        return UsageLedger.empty(T0).measured(totals, T0.plusSeconds(30));
    }

    private static void mount(Path dir) {
        try {
            CommandRunner.Result mounted = COMMANDS.run(List.of("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs",
                    dir.toString()), "", Duration.ofSeconds(30));
            if (!mounted.succeeded()) {
                RootRequired.unavailable("cannot mount a tmpfs (root is needed): " + mounted.stderr().strip());
            }
        } catch (DataPlaneException e) {
            RootRequired.unavailable(e.getMessage());
        }
    }

    private static void run(String... command) throws DataPlaneException {
        COMMANDS.run(List.of(command), "", Duration.ofSeconds(30));
    }
}
