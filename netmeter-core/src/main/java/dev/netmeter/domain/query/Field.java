package dev.netmeter.domain.query;

/** A stored attribute a list query can filter and sort on. */
public interface Field {
    /**
     * Whether the attribute can be null. Nulls sort before every value (ascending) and after every value
     * (descending) on every database, as they do in Neutron on its reference database.
     */
    boolean nullable();
}
