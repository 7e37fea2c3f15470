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
 * The first start of a server with static tokens and no token file yet: it issues one admin token, so
 * that the quick start is two commands and the API is never open. The token is printed once (to standard
 * error, not to the log) and kept in {@code DATA_DIR/admin-token}, readable by its owner only; the token
 * file holds its hash.
 */
final class FirstAdminToken {
    static final String FILE_NAME = "admin-token";
    static final ProjectId PROJECT = new ProjectId("admin");
    static final Set<String> ROLES = Set.of("admin", "member", "reader");

    private FirstAdminToken() {
    }

    /** Issues the first admin token unless {@code tokenFile} exists; returns the secret file if it did. */
    static Optional<Path> createIfNoTokenFile(Path tokenFile, Path dataDir, PrintStream console) {
        if (Files.exists(tokenFile)) {
            return Optional.empty();
        }
        StaticToken.Issued issued = StaticToken.issue(PROJECT, "admin", ROLES, Instant.now(), Optional.empty(),
                "issued at first start");
        Path secretFile = dataDir.resolve(FILE_NAME);
        writeOwnerOnly(secretFile, issued.secret() + "\n");
        List<StaticToken> tokens = TokenFile.update(tokenFile, existing ->
                existing.isEmpty() ? List.of(issued.token()) : existing);
        if (!tokens.contains(issued.token())) {
            return Optional.empty();    // another process created the file first; its tokens stand
        }
        console.printf("""
                netmeter: no token file, so this first start issued an admin token (project %s, roles %s):

                    %s

                It is shown this once; a copy is in %s (readable by you only).
                Use it as X-Auth-Token, and manage tokens with 'netmeter token create|list|revoke'.%n%n""",
                PROJECT, String.join(",", issued.token().sortedRoles()), issued.secret(), secretFile);
        console.flush();
        return Optional.of(secretFile);
    }

    private static void writeOwnerOnly(Path file, String text) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
