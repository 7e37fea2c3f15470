package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class H2NeutronTranscriptTest extends NeutronTranscriptContract {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
