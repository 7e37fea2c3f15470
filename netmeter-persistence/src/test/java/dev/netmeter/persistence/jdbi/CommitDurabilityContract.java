package dev.netmeter.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
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

    /**
     * Makes {@code db} answer commits before they are flushed: a URL that asks for it, or a server setting
     * changed until the returned {@link Lazy#restore} runs.
     */
    abstract Lazy lazy(TestDatabase db);

    /** How a database was made lazy: the URL to open it with, and what undoes it. */
    record Lazy(String url, Runnable restore) {
        static Lazy byUrl(String url) {
            return new Lazy(url, () -> { });
        }
    }

    @Test
    void the_database_as_netmeter_opens_it_flushes_every_commit_before_it_answers() {
        try (TestDatabase db = TestDatabase.create(backend)) {
            assertThat(db.open().lazyCommits()).isEmpty();
        }
    }

    @Test
    void a_setting_that_answers_a_commit_before_it_is_flushed_is_named() {
        try (TestDatabase db = TestDatabase.create(backend)) {
            Lazy lazy = lazy(db);
            DatabaseSettings settings = db.settings();
            try (Database opened = Database.open(new DatabaseSettings(lazy.url(), settings.user(),
                    settings.password(), settings.poolSize(), settings.connectTimeout()))) {
                assertThat(opened.lazyCommits()).hasValue(named);
            } finally {
                lazy.restore().run();
            }
        }
    }
}
