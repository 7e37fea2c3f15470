package dev.netmeter.persistence.jdbi;

class MariaDbPackUsageMigrationIT extends PackUsageMigrationContract {
    MariaDbPackUsageMigrationIT() {
        super(TestDatabase.Backend.MARIADB);
    }
}
