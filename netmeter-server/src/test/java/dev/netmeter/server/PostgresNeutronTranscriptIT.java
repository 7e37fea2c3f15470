package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class PostgresNeutronTranscriptIT extends NeutronTranscriptContract {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
