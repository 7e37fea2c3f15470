package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class MariaDbNeutronTranscriptIT extends NeutronTranscriptContract {
    @Override
    Backend backend() {
        return Backend.MARIADB;
    }
}
