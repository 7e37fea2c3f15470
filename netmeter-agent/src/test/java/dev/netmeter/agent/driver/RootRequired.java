package dev.netmeter.agent.driver;

import java.util.Locale;
import java.util.Optional;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * For tests that need root and system tools: outside CI they are skipped, loudly, when something is missing;
 * under CI ({@code CI} set: it runs as root and {@code .ci/run} installs the tools) they fail instead.
 */
public final class RootRequired {
    private RootRequired() {
    }

    /** Skips the test, or fails it under CI, because {@code why}. Never returns normally. */
    public static void unavailable(String why) {
        String ci = Optional.ofNullable(System.getenv("CI")).orElse("").trim().toLowerCase(Locale.ROOT);
        if (!ci.isEmpty() && !ci.equals("false") && !ci.equals("0")) {
            throw new AssertionFailedError("CI is set, but " + why);
        }
        String message = "*** tests that need root SKIPPED: " + why + " (they fail when CI is set) ***";
        System.err.println(message);
        throw new TestAbortedException(message);
    }
}
