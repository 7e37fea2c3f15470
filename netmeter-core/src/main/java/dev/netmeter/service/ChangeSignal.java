package dev.netmeter.service;

/** Told when a transaction that changed some host's sync data has committed. Thread-safe. */
@FunctionalInterface
public interface ChangeSignal {
    /** For services whose changes nobody follows (tools, tests). */
    ChangeSignal NONE = () -> { };

    /** Called after the commit, never inside the transaction. */
    void committed();
}
