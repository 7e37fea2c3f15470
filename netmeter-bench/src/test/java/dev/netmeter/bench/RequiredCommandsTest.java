package dev.netmeter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequiredCommandsTest {
    @TempDir
    Path bin;

    @Test
    void a_bench_on_a_machine_without_iperf3_says_so_up_front_with_the_install_command() throws IOException {
        executable("ip");
        executable("nft");
        Files.createFile(bin.resolve("iperf3"));    // there, but not executable: not a command

        assertThat(ForwardingBenchCommand.REQUIRED.missing("netmeter bench forwarding", "/nonexistent:" + bin))
                .contains("netmeter bench forwarding needs iperf3, iptables-legacy-restore, not found on PATH: "
                        + "install with 'apt-get install iperf3 iptables'");
        executable("iperf3");
        executable("iptables-legacy-restore");
        assertThat(ForwardingBenchCommand.REQUIRED.missing("netmeter bench forwarding", bin.toString())).isEmpty();
    }

    private void executable(String name) throws IOException {
        Path file = bin.resolve(name);
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }
}
