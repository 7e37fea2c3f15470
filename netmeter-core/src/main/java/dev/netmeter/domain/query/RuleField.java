package dev.netmeter.domain.query;

/** Rule attributes that lists may filter and sort on. */
public enum RuleField implements Field {
    ID(false),
    LABEL_ID(false),
    DIRECTION(false),
    EXCLUDED(false),
    REMOTE_IP_PREFIX(true),
    SOURCE_IP_PREFIX(true),
    DESTINATION_IP_PREFIX(true);

    private final boolean nullable;

    RuleField(boolean nullable) {
        this.nullable = nullable;
    }

    @Override
    public boolean nullable() {
        return nullable;
    }
}
