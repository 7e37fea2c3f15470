package dev.netmeter.persistence.jdbi;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the database.
 *
 * @param url JDBC URL; its prefix picks the {@link Dialect}
 * @param user user name, or empty to take it from the URL
 * @param password password, or empty
 * @param poolSize the most connections held open
 * @param connectTimeout how long a request waits for a connection before it is answered 503
 */
public record DatabaseSettings(String url, String user, String password, int poolSize, Duration connectTimeout) {
    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1");
        }
    }

    @Override
    public String toString() {   // never print the password
        return "DatabaseSettings[url=%s, user=%s, poolSize=%d]".formatted(Dialect.redact(url), user, poolSize);
    }
}
