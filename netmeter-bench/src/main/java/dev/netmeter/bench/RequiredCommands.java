package dev.netmeter.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The external programs a bench runs, looked for on {@code PATH} before it starts, so that a fresh machine
 * is told up front what to install rather than failing half-way through a run.
 */
final class RequiredCommands {
    private final Map<String, String> packageOf = new LinkedHashMap<>();

    /** Requires {@code command}, which Debian's {@code debianPackage} installs. */
    RequiredCommands require(String command, String debianPackage) {
        packageOf.put(command, debianPackage);
        return this;
    }

    /**
     * What is missing, as a message with the install command; empty if every command is on {@code path} (a
     * {@code PATH} value).
     */
    Optional<String> missing(String bench, String path) {
        List<String> missing = packageOf.keySet().stream().filter(command -> !onPath(command, path)).toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        List<String> packages = missing.stream().map(packageOf::get).distinct().toList();
        return Optional.of("%s needs %s, not found on PATH: install with 'apt-get install %s'".formatted(bench,
                String.join(", ", missing), String.join(" ", packages)));
    }

    private static boolean onPath(String command, String path) {
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }
}
