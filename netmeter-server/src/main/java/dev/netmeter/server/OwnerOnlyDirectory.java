package dev.netmeter.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The directories netmeter keeps state in (the server's data, the agent's ledger): readable by their owner only. */
final class OwnerOnlyDirectory {
    private OwnerOnlyDirectory() {
    }

    /** Creates {@code directory} (mode 700) if it does not exist; an existing one is left as the operator made it. */
    static void ensure(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
