package dev.netmeter.api.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates static API tokens against the {@link TokenFile}. The file is looked at (one {@code stat}) on
 * every validation and re-read when it changed, so a token added or revoked by {@code netmeter token}
 * counts from the next request on, without a restart. A file that cannot be read or parsed leaves the
 * tokens read last in force, with an error in the log (as a server keeps its old configuration when a
 * reload fails); a file that was deleted revokes every token. Thread-safe.
 */
public final class StaticTokenValidator implements TokenValidator {
    private static final Logger LOG = LoggerFactory.getLogger(StaticTokenValidator.class);

    private final Path file;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(FileState.MISSING, Map.of());

    /** What identifies one version of the file: a rename over it changes the inode, an edit the time or size. */
    private record FileState(Object fileKey, FileTime modified, long size) {
        static final FileState MISSING = new FileState(null, FileTime.fromMillis(0), -1);
    }

    private record Snapshot(FileState state, Map<String, StaticToken> byId) {
    }

    public StaticTokenValidator(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        current();
    }

    @Override
    public Optional<Identity> validate(String token) {
        return StaticToken.idOf(token)
                .map(current()::get)
                .filter(entry -> entry.matches(token) && entry.isValidAt(clock.instant()))
                .map(StaticToken::identity);
    }

    /** How many tokens are in force now. */
    public int size() {
        return current().size();
    }

    private Map<String, StaticToken> current() {
        Snapshot seen = snapshot;
        FileState state = state();
        if (seen.state().equals(state)) {
            return seen.byId();
        }
        synchronized (this) {
            if (!snapshot.state().equals(state)) {
                snapshot = new Snapshot(state, reload(state, snapshot.byId()));
            }
            return snapshot.byId();
        }
    }

    private Map<String, StaticToken> reload(FileState state, Map<String, StaticToken> previous) {
        if (state == FileState.MISSING) {
            if (!previous.isEmpty()) {
                LOG.warn("token file {} is gone: every static token is revoked", file);
            }
            return Map.of();
        }
        try {
            Map<String, StaticToken> tokens = TokenFile.read(file).stream()
                    .collect(Collectors.toUnmodifiableMap(StaticToken::id, Function.identity()));
            LOG.info("read {} token(s) from {}", tokens.size(), file);
            return tokens;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            LOG.error("cannot read token file {}; the {} token(s) read before stay in force: {}", file,
                    previous.size(), e.getMessage());
            return previous;
        }
    }

    private FileState state() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileState(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
        } catch (NoSuchFileException e) {
            return FileState.MISSING;
        } catch (IOException e) {
            LOG.warn("cannot look at token file {} ({}); the tokens read before stay in force", file, e.toString());
            return snapshot.state();
        }
    }
}
