package dev.netmeter.agent.usage;

import java.io.IOException;
import java.time.Instant;

/** Where the agent keeps its {@link UsageLedger} between runs. Used from one thread. */
public interface LedgerStore {
    /** The ledger last written, or an empty one opening at {@code now} if there is none. */
    UsageLedger read(Instant now) throws IOException;

    /** Replaces the stored ledger with {@code ledger}, durably: after a crash, {@link #read} returns it. */
    void write(UsageLedger ledger) throws IOException;
}
