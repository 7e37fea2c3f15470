package dev.netmeter.domain.query;

/** Label attributes that lists may filter and sort on. */
public enum LabelField implements Field {
    ID(false),
    PROJECT_ID(false),
    NAME(false),
    DESCRIPTION(false),
    SHARED(false);

    private final boolean nullable;

    LabelField(boolean nullable) {
        this.nullable = nullable;
    }

    @Override
    public boolean nullable() {
        return nullable;
    }
}
