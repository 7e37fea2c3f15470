package dev.netmeter.server;

import dev.netmeter.api.identity.StaticToken;
import dev.netmeter.api.identity.TokenFile;
import dev.netmeter.domain.ProjectId;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netmeter token}: manages the static API tokens in the token file. A running server accepts a new
 * token from its first request and refuses a revoked one within a second; no restart.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Manage static API tokens (server.auth=token).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the token file is: {@code --token-file}, else from the configuration. */
    static final class TokenFileOption {
        @Mixin
        private ConfigOptions configOptions;

        @Option(names = "--data-dir", description = "The server's data directory (server.data_dir, default ./data).")
        private String dataDir;

        @Option(names = "--token-file", description = "Token file (auth.token_file; default DATA_DIR/tokens.json).")
        private Path tokenFile;

        Path path() {
            return tokenFile != null ? tokenFile : config().auth().tokenFile();
        }

        Path dataDir() {
            return config().dataDir();
        }

        private ServerConfig config() {
            return configOptions.load(dataDir == null ? Map.of() : Map.of(Setting.SERVER_DATA_DIR, dataDir));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Issue a token. Prints it once on standard output; the file keeps only its hash.")
    static final class Create implements Callable<Integer> {
        private static final Pattern DURATION = Pattern.compile("(\\d+)([dhm])");

        @Mixin
        private TokenFileOption file;

        @Option(names = "--project", required = true, description = "Project the token acts for.")
        private String project;

        @Option(names = "--user", required = true, description = "User name the token acts as.")
        private String user;

        @Option(names = "--role", split = ",", description = "Role to hold (repeat, or a,b,c); e.g. admin, member.")
        private List<String> roles = new ArrayList<>();

        @Option(names = "--expires-in", description = "Validity, e.g. 90d, 12h or 30m (default: until revoked).")
        private String expiresIn;

        @Option(names = "--description", description = "What the token is for.")
        private String description = "";

        @Override
        public Integer call() {
            Instant now = Instant.now();
            ProjectId projectId;
            Optional<Instant> expiresAt;
            try {
                projectId = new ProjectId(requireText("--project", project));
                requireText("--user", user);
                expiresAt = expiresIn == null ? Optional.empty() : Optional.of(now.plus(duration(expiresIn)));
            } catch (IllegalArgumentException e) {
                return fail(e.getMessage());
            }
            Set<String> roleSet = new LinkedHashSet<>();
            roles.stream().map(String::strip).filter(role -> !role.isEmpty()).forEach(roleSet::add);
            StaticToken.Issued issued = StaticToken.issue(projectId, user.strip(), roleSet, now, expiresAt,
                    description);
            Path tokenFile = file.path();
            // Run before the server's first start, this command makes the token file: it issues the first admin
            // token too, which the server would otherwise have issued, so that there is always one.
            FirstAdminToken.createIfNoTokenFile(tokenFile, file.dataDir(), "this token command", System.err);
            TokenFile.add(tokenFile, issued.token());
            System.err.printf("issued token %s for user %s of project %s, roles [%s]%s%n", issued.token().id(),
                    user.strip(), projectId, String.join(",", issued.token().sortedRoles()),
                    expiresAt.map(at -> ", expires " + at).orElse(""));
            System.out.println(issued.secret());
            return 0;
        }

        private static Duration duration(String text) {
            Matcher matcher = DURATION.matcher(text);
            if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
                throw new IllegalArgumentException("--expires-in: '%s' is not like 90d, 12h or 30m".formatted(text));
            }
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMinutes(amount);
            };
        }

        private static String requireText(String option, String value) {
            if (value.isBlank()) {
                throw new IllegalArgumentException(option + " must not be empty");
            }
            return value.strip();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        private TokenFileOption file;

        @Override
        public Integer call() {
            List<StaticToken> tokens;
            try {
                tokens = TokenFile.read(file.path());
            } catch (IllegalArgumentException e) {
                return fail(e.getMessage());
            }
            PrintStream out = System.out;
            out.printf("%-16s  %-20s  %-16s  %-20s  %-20s  %-20s  %s%n", "ID", "PROJECT", "USER", "ROLES", "CREATED",
                    "EXPIRES", "DESCRIPTION");
            Instant now = Instant.now();
            for (StaticToken token : tokens) {
                String expires = token.expiresAt().map(at -> at.isAfter(now) ? at.toString() : "expired")
                        .orElse("never");
                out.printf("%-16s  %-20s  %-16s  %-20s  %-20s  %-20s  %s%n", token.id(), token.projectId(),
                        token.userName(), String.join(",", token.sortedRoles()), token.createdAt()
                                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        expires, token.description());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke tokens by id; a running server refuses them within a second.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        private TokenFileOption file;

        @Parameters(arity = "1..*", paramLabel = "ID", description = "Token ids, as 'netmeter token list' shows them.")
        private List<String> ids;

        @Override
        public Integer call() {
            Set<String> unknown = new LinkedHashSet<>(ids);
            TokenFile.update(file.path(), tokens -> {
                tokens.forEach(token -> unknown.remove(token.id()));
                return tokens.stream().filter(token -> !ids.contains(token.id())).toList();
            });
            if (!unknown.isEmpty()) {
                return fail("no token with id " + String.join(", ", unknown));
            }
            System.err.println("revoked " + String.join(", ", ids));
            return 0;
        }
    }

    private static int fail(String message) {
        System.err.println("netmeter token: " + message);
        return 1;
    }
}
