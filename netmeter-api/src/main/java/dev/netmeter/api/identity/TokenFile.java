package dev.netmeter.api.identity;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.ProjectId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The static token file: a JSON document {@code {"tokens": [...]}} that holds hashes only, and is written
 * by {@code netmeter token} while the server reads it. Writes are atomic (a new file renamed over the old)
 * and serialised by a lock file, so the server never reads half a file and two commands never lose each
 * other's changes. A write is on the disk (the file and its directory flushed) before it returns. Files are
 * created readable by their owner only.
 */
public final class TokenFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private TokenFile() {
    }

    /**
     * The tokens in {@code file}; none if it does not exist.
     *
     * @throws IllegalArgumentException naming the file and the fault, if it is not a token file
     * @throws UncheckedIOException if it cannot be read
     */
    public static List<StaticToken> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            if (e instanceof JacksonException json) {
                throw new IllegalArgumentException("%s is not valid JSON: %s".formatted(file,
                        json.getOriginalMessage()));
            }
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.path("tokens").isArray()) {
            throw new IllegalArgumentException("%s has no \"tokens\" list".formatted(file));
        }
        List<StaticToken> tokens = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode entry : root.path("tokens")) {
            StaticToken token = token(file, entry);
            if (!ids.add(token.id())) {
                throw new IllegalArgumentException("%s lists token %s twice".formatted(file, token.id()));
            }
            tokens.add(token);
        }
        return List.copyOf(tokens);
    }

    /**
     * Replaces the tokens in {@code file} by {@code change} applied to them, under the file's lock, and
     * returns the new list. Creates the file (mode 600) and its directory if missing.
     */
    public static List<StaticToken> update(Path file, UnaryOperator<List<StaticToken>> change) {
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path lock = directory.resolve(file.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock held = channel.lock();     // released when the channel closes
                List<StaticToken> changed = List.copyOf(change.apply(read(file)));
                write(file, changed);
                held.release();
                return changed;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds {@code token} to {@code file} (see {@link #update}). */
    public static void add(Path file, StaticToken token) {
        update(file, tokens -> {
            List<StaticToken> all = new ArrayList<>(tokens);
            all.add(token);
            return all;
        });
    }

    private static void write(Path file, List<StaticToken> tokens) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("tokens");
        for (StaticToken token : tokens) {
            ObjectNode entry = list.addObject()
                    .put("id", token.id())
                    .put("project_id", token.projectId().value())
                    .put("user", token.userName());
            token.sortedRoles().forEach(entry.putArray("roles")::add);
            entry.put("salt", token.salt()).put("sha256", token.sha256())
                    .put("created_at", token.createdAt().toString());
            token.expiresAt().ifPresent(expiry -> entry.put("expires_at", expiry.toString()));
            entry.put("description", token.description());
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.write(temporary, JSON.writeValueAsBytes(root), StandardOpenOption.TRUNCATE_EXISTING);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(file);
    }

    /**
     * Flushes {@code file}'s contents, then its directory (which holds its name), to the disk: what a
     * command says it wrote then survives a power loss, not only a crash of the process. A file written and
     * renamed into place without the second flush can come back after a power loss as the old file or none.
     */
    public static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        forceDirectory(file);
    }

    private static void forceDirectory(Path file) throws IOException {
        try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private static StaticToken token(Path file, JsonNode entry) {
        try {
            Set<String> roles = new HashSet<>();
            entry.path("roles").forEach(role -> roles.add(role.asText()));
            return new StaticToken(text(entry, "id"), new ProjectId(text(entry, "project_id")), text(entry, "user"),
                    roles, text(entry, "salt"), text(entry, "sha256"), Instant.parse(text(entry, "created_at")),
                    entry.hasNonNull("expires_at") ? Optional.of(Instant.parse(entry.get("expires_at").asText()))
                            : Optional.empty(),
                    entry.path("description").asText(""));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("%s: bad token entry %s: %s".formatted(file,
                    entry.path("id").asText("(no id)"), e.getMessage()));
        }
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("\"%s\" is missing".formatted(field));
        }
        return value.asText();
    }
}
