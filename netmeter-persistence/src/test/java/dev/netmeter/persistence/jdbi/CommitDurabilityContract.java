package dev.netmeter.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each backend, as netmeter opens it, flushes every commit before it answers; a setting that makes it answer
 * first is found and named (and logged at WARN). That a flushed commit survives a killed server is shown by
 * CrashDurabilityIT in netmeter-server. A subclass per backend.
 */
abstract class CommitDurabilityContract {
    private final Backend backend;
    private final String named;

    /** @param named how the lazy setting of {@link #lazy} is named */
    CommitDurabilityContract(Backend backend, String named) {
        this.backend = backend;
        this.named = named;
    }

    /** {@code url} with commits answered before they are flushed, if a client can ask for that. */
    abstract Optional<String> lazy(String url);

    @Test
    void the_database_as_netmeter_opens_it_flushes_every_commit_before_it_answers() {
        try (TestDatabase db = TestDatabase.create(backend)) {
            assertThat(db.open().lazyCommits()).isEmpty();
        }
    }

    @Test
    void a_setting_that_answers_a_commit_before_it_is_flushed_is_named() {
        try (TestDatabase db = TestDatabase.create(backend)) {
            Optional<String> url = lazy(db.settings().url());
            assumeTrue(url.isPresent(), () -> backend + ": only the server's global setting makes commits lazy, "
                    + "and changing it would change every other test's database");
            DatabaseSettings settings = db.settings();
            try (Database lazy = Database.open(new DatabaseSettings(url.orElseThrow(), settings.user(),
                    settings.password(), settings.poolSize(), settings.connectTimeout()))) {
                assertThat(lazy.lazyCommits()).hasValue(named);
            }
        }
    }
}
