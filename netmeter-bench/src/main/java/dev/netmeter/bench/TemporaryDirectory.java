package dev.netmeter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A bench's scratch directory (embedded databases, files it writes), deleted with all it holds when closed. */
final class TemporaryDirectory implements AutoCloseable {
    private final Path path;

    TemporaryDirectory(String prefix) throws IOException {
        this.path = Files.createTempDirectory(prefix);
    }

    Path path() {
        return path;
    }

    /** The URL of an embedded database in this directory, kept open until the bench closes its pools. */
    String embeddedDatabaseUrl() {
        return "jdbc:h2:file:" + path.resolve("netmeter").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
