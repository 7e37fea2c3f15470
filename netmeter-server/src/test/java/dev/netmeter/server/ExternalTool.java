package dev.netmeter.server;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * A program an integration test runs that a developer's machine may lack (the OpenStack CLI, Keystone):
 * found on the PATH, or the test is skipped with a loud message, except under CI ({@code CI} set), where
 * {@code .ci/run} installs it and its absence fails the run.
 */
final class ExternalTool {
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private ExternalTool() {
    }

    /**
     * The path of {@code program}.
     *
     * @param debianPackage what installs it, for the message
     * @throws TestAbortedException if it is missing outside CI
     * @throws AssertionFailedError if it is missing under CI
     */
    static Path require(String program, String debianPackage) {
        Optional<Path> found = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("")
                .split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty()).map(entry -> Path.of(entry, program))
                .filter(Files::isExecutable).findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        String ci = Optional.ofNullable(System.getenv("CI")).orElse("").trim().toLowerCase(Locale.ROOT);
        if (!ci.isEmpty() && !ci.equals("false") && !ci.equals("0")) {
            throw new AssertionFailedError("'%s' is not on the PATH, but CI is set: .ci/run should have installed %s"
                    .formatted(program, debianPackage));
        }
        String message = "\n*** '%s' is not installed: the tests that need it are SKIPPED (apt-get install %s; "
                .formatted(program, debianPackage) + "they fail when CI is set). ***\n";
        if (WARNED.add(program)) {
            System.err.println(message);
            try {   // also to the console: failsafe keeps System.err in its report files
                new FileOutputStream(FileDescriptor.err).write(message.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                System.err.println("could not write to the console: " + e);
            }
        }
        throw new TestAbortedException(message.strip());
    }
}
