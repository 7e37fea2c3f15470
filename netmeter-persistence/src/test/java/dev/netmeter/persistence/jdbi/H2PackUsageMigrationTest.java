package dev.netmeter.persistence.jdbi;

class H2PackUsageMigrationTest extends PackUsageMigrationContract {
    H2PackUsageMigrationTest() {
        super(TestDatabase.Backend.H2);
    }
}
