package dev.netmeter.domain.error;

/** The database cannot be reached or went away mid-transaction; the transaction was rolled back. */
public final class DatabaseUnavailableException extends ServiceUnavailableException {
    public DatabaseUnavailableException(Throwable cause) {
        super("ServiceUnavailable",
                "The database is unavailable; nothing was changed. Please retry the request later.", cause);
    }
}
