package dev.netmeter.persistence.jdbi;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A schema migration written in Java (where SQL cannot do the work), registered with Flyway by {@link Database}:
 * its names do not follow Flyway's class naming, so each step says its version and description. It runs in the
 * migration's transaction, as the SQL ones do.
 */
abstract class JavaMigrationStep implements JavaMigration {
    private final MigrationVersion version;
    private final String description;
    private final int checksum;

    /**
     * @param checksum stands for the script's sum a SQL migration has: change it if the migration ever changes
     */
    JavaMigrationStep(String version, String description, int checksum) {
        this.version = MigrationVersion.fromVersion(version);
        this.description = description;
        this.checksum = checksum;
    }

    @Override
    public final MigrationVersion getVersion() {
        return version;
    }

    @Override
    public final String getDescription() {
        return description;
    }

    @Override
    public final Integer getChecksum() {
        return checksum;
    }

    @Override
    public final boolean canExecuteInTransaction() {
        return true;
    }
}
