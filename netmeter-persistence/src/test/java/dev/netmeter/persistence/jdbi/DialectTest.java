package dev.netmeter.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each dialect adds to a URL so that a commit is written before it returns (CrashDurabilityIT shows why). */
class DialectTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // H2's default write delay (500 ms) lost acknowledged writes to a SIGKILL
        "jdbc:h2:file:/var/lib/netmeter/netmeter;LOCK_TIMEOUT=10000 | "
                + "jdbc:h2:file:/var/lib/netmeter/netmeter;LOCK_TIMEOUT=10000;WRITE_DELAY=0",
        // the operator's own choice stands (H2 refuses a setting given twice)
        "jdbc:h2:file:/tmp/n;write_delay=200 | jdbc:h2:file:/tmp/n;write_delay=200",
        // their defaults flush the log at commit, in the database's own process
        "jdbc:postgresql://127.0.0.1/test | jdbc:postgresql://127.0.0.1/test",
        "jdbc:mariadb://127.0.0.1/test?user=root | jdbc:mariadb://127.0.0.1/test?user=root",
    })
    void every_commit_is_written_before_it_returns(String url, String durable) {
        assertThat(Dialect.of(url).durableCommits(url)).isEqualTo(durable);
    }
}
