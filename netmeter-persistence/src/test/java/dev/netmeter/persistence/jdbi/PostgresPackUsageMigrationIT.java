package dev.netmeter.persistence.jdbi;

class PostgresPackUsageMigrationIT extends PackUsageMigrationContract {
    PostgresPackUsageMigrationIT() {
        super(TestDatabase.Backend.POSTGRESQL);
    }
}
