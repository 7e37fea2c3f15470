package dev.netmeter.domain.query;

/** Router attributes that lists may filter and sort on. */
public enum RouterField implements Field {
    ID,
    PROJECT_ID,
    NAME,
    DESCRIPTION,
    ADMIN_STATE_UP,
    STATUS,
    HOST,
    DISTRIBUTED,
    NAMESPACE,
    EXTERNAL_INTERFACE;

    @Override
    public boolean nullable() {
        return false;
    }
}
