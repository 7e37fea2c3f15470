package dev.netmeter.server;

import dev.netmeter.api.identity.StaticToken;
import dev.netmeter.api.identity.TokenFile;
import dev.netmeter.domain.ProjectId;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The first admin token: whoever creates the token file (the first start of a server with static tokens, or
 * a {@code netmeter token create} run before it) issues one admin token with it, so that the quick start is
 * two commands, the API is never open, and an operator never ends up with a token file but no admin. The
 * token is printed once (to standard error, not to the log) and kept in {@code DATA_DIR/admin-token},
 * readable by its owner only; the token file holds its hash.
 */
final class FirstAdminToken {
    static final String FILE_NAME = "admin-token";
    static final ProjectId PROJECT = new ProjectId("admin");
    static final Set<String> ROLES = Set.of("admin", "member", "reader");
    static final String HOW_TO_ISSUE = "netmeter token create --project admin --user admin --role admin";

    private FirstAdminToken() {
    }

    /**
     * Issues the first admin token unless {@code tokenFile} exists; returns the secret file if it did.
     *
     * @param why what made the token file, for the message ("this first start", "this token command")
     */
    static Optional<Path> createIfNoTokenFile(Path tokenFile, Path dataDir, String why, PrintStream console) {
        if (Files.exists(tokenFile)) {
            return Optional.empty();
        }
        StaticToken.Issued issued = StaticToken.issue(PROJECT, "admin", ROLES, Instant.now(), Optional.empty(),
                "issued with the token file");
        Path secretFile = dataDir.resolve(FILE_NAME);
        try {
            OwnerOnlyDirectory.ensure(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeOwnerOnly(secretFile, issued.secret() + "\n");
        List<StaticToken> tokens = TokenFile.update(tokenFile, existing ->
                existing.isEmpty() ? List.of(issued.token()) : existing);
        if (!tokens.contains(issued.token())) {
            return Optional.empty();    // another process created the file first; its tokens stand
        }
        console.printf("""
                netmeter: there was no token file, so %s created it with an admin token (project %s, roles %s):

                    %s

                It is shown this once; a copy is in %s (readable by you only).
                Use it as X-Auth-Token, and manage tokens with 'netmeter token create|list|revoke'.%n%n""",
                why, PROJECT, String.join(",", issued.token().sortedRoles()), issued.secret(), secretFile);
        console.flush();
        return Optional.of(secretFile);
    }

    /**
     * What to tell the operator when no token in {@code tokens} holds the admin role at {@code now} (all
     * revoked or expired): nobody can then create labels or routers, so the server says how to issue one.
     */
    static Optional<String> missingAdminWarning(Path tokenFile, List<StaticToken> tokens, Instant now) {
        boolean anAdmin = tokens.stream().anyMatch(token -> token.roles().contains("admin") && token.isValidAt(now));
        return anAdmin ? Optional.empty() : Optional.of(("no valid token in %s holds the admin role, so nobody can "
                + "create labels, rules or routers; issue one with '%s --data-dir …' (it works at once, no restart "
                + "needed)").formatted(tokenFile, HOW_TO_ISSUE));
    }

    private static void writeOwnerOnly(Path file, String text) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            TokenFile.force(file);      // its hash goes into the token file next, which is flushed too
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
