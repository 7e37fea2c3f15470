package dev.netmeter.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names the agent hands to the kernel and to {@code nft}: network interfaces, network namespaces and
 * agent hosts. Stricter than the kernel (which allows any byte but {@code /}, {@code :} and white space in
 * an interface name), so that a name is always one safe token in a command line or an nftables script.
 * Thread-safe (stateless).
 */
public final class LinuxNames {
    /** IFNAMSIZ is 16 bytes, the last one the terminating NUL. */
    public static final int MAX_INTERFACE_LENGTH = 15;
    /** A namespace is a file under {@code /run/netns}: NAME_MAX bytes. */
    public static final int MAX_NAMESPACE_LENGTH = 255;
    public static final int MAX_HOST_LENGTH = 255;

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.-]+");

    private LinuxNames() {
    }

    /** Why {@code name} is not a valid interface name, if it is not. */
    public static Optional<String> interfaceNameProblem(String name) {
        return problem(name, MAX_INTERFACE_LENGTH, "interface name");
    }

    /** Why {@code name} is not a valid network namespace name, if it is not. */
    public static Optional<String> namespaceNameProblem(String name) {
        return problem(name, MAX_NAMESPACE_LENGTH, "network namespace name");
    }

    /** Why {@code name} is not a valid agent host name, if it is not. */
    public static Optional<String> hostNameProblem(String name) {
        return problem(name, MAX_HOST_LENGTH, "host name");
    }

    private static Optional<String> problem(String name, int maxLength, String what) {
        if (name.isEmpty() || name.length() > maxLength || !SAFE.matcher(name).matches()
                || name.equals(".") || name.equals("..") || name.startsWith("-")) {
            return Optional.of("'%s' is not a valid %s: 1 to %d of A-Z a-z 0-9 _ . -, not starting with -, not . or .."
                    .formatted(name, what, maxLength));
        }
        return Optional.empty();
    }

    /** Throws {@link IllegalArgumentException} with {@code problem}, if there is one. */
    public static void require(Optional<String> problem) {
        problem.ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
    }
}
