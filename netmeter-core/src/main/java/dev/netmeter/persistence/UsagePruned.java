package dev.netmeter.persistence;

/**
 * What one pruning step deleted: reports (their headers) and their usage rows. Immutable.
 *
 * @param reports the reports deleted
 * @param rows the usage rows deleted with them
 */
public record UsagePruned(int reports, long rows) {
    public static final UsagePruned NOTHING = new UsagePruned(0, 0);

    /** This and {@code other} together. */
    public UsagePruned plus(UsagePruned other) {
        return new UsagePruned(reports + other.reports, rows + other.rows);
    }
}
