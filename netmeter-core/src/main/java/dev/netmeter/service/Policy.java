package dev.netmeter.service;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.error.PolicyNotAuthorizedException;
import java.util.Map;

/**
 * Who may do what, as one table keyed by Neutron's policy rule names (neutron/conf/policies/metering.py,
 * Zed defaults). Thread-safe (immutable).
 */
public final class Policy {
    /** The checks a rule can name. */
    public enum Check {
        /** Only a caller with the admin role. */
        ADMIN_ONLY,
        /** The admin, or a caller of the project that owns the target. */
        ADMIN_OR_OWNER
    }

    public static final String CREATE_LABEL = "create_metering_label";
    public static final String GET_LABEL = "get_metering_label";
    public static final String DELETE_LABEL = "delete_metering_label";
    public static final String CREATE_RULE = "create_metering_label_rule";
    public static final String GET_RULE = "get_metering_label_rule";
    public static final String DELETE_RULE = "delete_metering_label_rule";

    private static final Map<String, Check> DEFAULTS = Map.of(
            CREATE_LABEL, Check.ADMIN_ONLY,
            GET_LABEL, Check.ADMIN_OR_OWNER,
            DELETE_LABEL, Check.ADMIN_ONLY,
            CREATE_RULE, Check.ADMIN_ONLY,
            GET_RULE, Check.ADMIN_OR_OWNER,
            DELETE_RULE, Check.ADMIN_ONLY);

    private final Map<String, Check> rules;

    private Policy(Map<String, Check> rules) {
        this.rules = Map.copyOf(rules);
    }

    /** Neutron's defaults. */
    public static Policy defaults() {
        return new Policy(DEFAULTS);
    }

    /** Whether {@code caller} may perform {@code action} on a target owned by {@code owner}. */
    public boolean allows(String action, RequestContext caller, ProjectId owner) {
        Check check = rules.get(action);
        if (check == null) {
            throw new IllegalArgumentException("no policy rule named " + action);
        }
        return switch (check) {
            case ADMIN_ONLY -> caller.isAdmin();
            case ADMIN_OR_OWNER -> caller.isAdmin() || caller.projectId().equals(owner);
        };
    }

    /** Whether {@code caller} may read every project's targets of {@code getAction}, not only its own. */
    public boolean readsAll(String getAction, RequestContext caller) {
        return rules.get(getAction) == Check.ADMIN_ONLY || caller.isAdmin();
    }

    /**
     * Throws unless {@code caller} may perform {@code action} on a target owned by {@code owner}.
     *
     * @throws PolicyNotAuthorizedException naming the rule, as Neutron does
     */
    public void enforce(String action, RequestContext caller, ProjectId owner) {
        if (!allows(action, caller, owner)) {
            throw new PolicyNotAuthorizedException(action);
        }
    }
}
