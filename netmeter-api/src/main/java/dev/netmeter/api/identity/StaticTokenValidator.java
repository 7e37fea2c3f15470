package dev.netmeter.api.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates static API tokens against the {@link TokenFile}, which {@code netmeter token} changes while the
 * server runs. The file is looked at (one {@code stat}) at most once per {@link #RECHECK_INTERVAL}, and
 * at once when a token names an id not yet known, and re-read when it changed: a new token works from its
 * first request, a revoked one is refused within a second, without a restart. (Not a {@code stat} on every
 * request: file I/O from a virtual thread makes its carrier pool compensate, a cost on the hot path.)
 * A file that cannot be read or parsed leaves the tokens read last in force, with an error in the log
 * (as a server keeps its old configuration when a reload fails); a file that was deleted revokes every
 * token. Thread-safe.
 */
public final class StaticTokenValidator implements TokenValidator {
    private static final Logger LOG = LoggerFactory.getLogger(StaticTokenValidator.class);

    /** How stale the tokens in force may be: the longest a revocation takes to apply. */
    public static final Duration RECHECK_INTERVAL = Duration.ofSeconds(1);

    private final Path file;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(FileState.MISSING, Map.of());
    private volatile Instant nextCheck = Instant.MIN;

    /** What identifies one version of the file: a rename over it changes the inode, an edit the time or size. */
    private record FileState(Object fileKey, FileTime modified, long size) {
        static final FileState MISSING = new FileState(null, FileTime.fromMillis(0), -1);
    }

    /** One version of the file: its tokens by id, each with the identity it stands for, built once. */
    private record Snapshot(FileState state, Map<String, Loaded> byId) {
    }

    private record Loaded(StaticToken token, Identity identity) {
    }

    public StaticTokenValidator(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        current(true);
    }

    @Override
    public Optional<Identity> validate(String token) {
        Optional<String> id = StaticToken.idOf(token);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Loaded entry = current(false).get(id.get());
        if (entry == null) {
            entry = current(true).get(id.get());   // issued a moment ago? (failed attempts are throttled)
        }
        return Optional.ofNullable(entry)
                .filter(found -> found.token().matches(token) && found.token().isValidAt(clock.instant()))
                .map(Loaded::identity);
    }

    /** How many tokens are in force now. */
    public int size() {
        return current(true).size();
    }

    private Map<String, Loaded> current(boolean now) {
        if (!now && clock.instant().isBefore(nextCheck)) {
            return snapshot.byId();
        }
        synchronized (this) {
            FileState state = state();
            if (!snapshot.state().equals(state)) {
                snapshot = new Snapshot(state, reload(state, snapshot.byId()));
            }
            nextCheck = clock.instant().plus(RECHECK_INTERVAL);
            return snapshot.byId();
        }
    }

    private Map<String, Loaded> reload(FileState state, Map<String, Loaded> previous) {
        if (state == FileState.MISSING) {
            if (!previous.isEmpty()) {
                LOG.warn("token file {} is gone: every static token is revoked", file);
            }
            return Map.of();
        }
        try {
            Map<String, Loaded> tokens = TokenFile.read(file).stream()
                    .collect(Collectors.toUnmodifiableMap(StaticToken::id,
                            token -> new Loaded(token, token.identity())));
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
