package dev.netmeter.service;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.error.PolicyNotAuthorizedException;
import dev.netmeter.domain.query.Field;
import dev.netmeter.domain.query.ListQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * Who may do what: one table of oslo.policy rules keyed by Neutron's rule names, with Neutron's defaults,
 * which an operator's policy file may override rule by rule (as {@code policy.yaml} does for Neutron).
 * Thread-safe (immutable).
 *
 * <p>The defaults are Neutron Zed's effective ones (neutron/conf/policies/base.py and metering.py): Zed
 * ships {@code enforce_new_defaults = False}, so each new default ({@code role:admin}, {@code
 * ADMIN_OR_PROJECT_READER}) is or-ed with its deprecated rule ({@code rule:admin_only}, {@code
 * rule:admin_or_owner}), and the or reduces to the deprecated rule.
 */
public final class Policy {
    public static final String CREATE_LABEL = "create_metering_label";
    /** Ours, after Neutron's attribute rules such as {@code create_network:shared}: who may share a label. */
    public static final String CREATE_SHARED_LABEL = "create_metering_label:shared";
    public static final String GET_LABEL = "get_metering_label";
    public static final String DELETE_LABEL = "delete_metering_label";
    public static final String CREATE_RULE = "create_metering_label_rule";
    public static final String GET_RULE = "get_metering_label_rule";
    public static final String DELETE_RULE = "delete_metering_label_rule";
    /** Ours: netmeter's routers (Neutron's routers are another API's). Evaluated against the router's project. */
    public static final String CREATE_ROUTER = "create_metering_router";
    public static final String GET_ROUTER = "get_metering_router";
    public static final String UPDATE_ROUTER = "update_metering_router";
    public static final String DELETE_ROUTER = "delete_metering_router";
    /**
     * Ours: who may read an agent host's sync data (Neutron's agents use an RPC that policy does not
     * guard). The data spans projects, so the target is the caller's own project: owner rules admit anyone.
     */
    public static final String GET_SYNC = "get_metering_sync";
    /** Ours: who may store an agent's usage report (Neutron's agents send notifications no policy guards). */
    public static final String CREATE_USAGE_REPORT = "create_metering_usage_report";
    /** Ours: who may read stored usage. Evaluated against each row's project, the project of its label. */
    public static final String GET_USAGE = "get_metering_usage";
    /** Ours: who may scrape {@code /metrics}, which spans every project. The target is the caller's project. */
    public static final String GET_METRICS = "get_metering_metrics";
    /** Ours: who may read a project's billing cycle. Evaluated against the project. */
    public static final String GET_BILLING_CYCLE = "get_metering_billing_cycle";
    /** Ours: who may change a project's billing cycle. Evaluated against the project. */
    public static final String UPDATE_BILLING_CYCLE = "update_metering_billing_cycle";
    /** Ours: who may read a project's statements. Evaluated against the project. */
    public static final String GET_STATEMENT = "get_metering_statement";
    /** Ours: who may read the agents' last report times, which span every project. The target is the caller's. */
    public static final String GET_AGENTS = "get_metering_agents";

    /** The rules the services enforce; every other rule is only something these may refer to. */
    public static final List<String> ACTIONS = List.of(CREATE_LABEL, CREATE_SHARED_LABEL, GET_LABEL, DELETE_LABEL,
            CREATE_RULE, GET_RULE, DELETE_RULE, CREATE_ROUTER, GET_ROUTER, UPDATE_ROUTER, DELETE_ROUTER, GET_SYNC,
            CREATE_USAGE_REPORT, GET_USAGE, GET_METRICS, GET_BILLING_CYCLE, UPDATE_BILLING_CYCLE,
            GET_STATEMENT, GET_AGENTS);

    private static final SequencedMap<String, String> DEFAULTS = defaultRules();

    /** Which targets of a get rule a caller may read. */
    public enum Scope {
        /** Every project's. */
        ALL,
        /** Those of the caller's own project. */
        OWN_PROJECT,
        /** None. */
        NONE
    }

    private final Map<String, PolicyCheck> actions;

    private Policy(Map<String, String> rules) {
        PolicyParser parser = new PolicyParser(rules);
        Map<String, PolicyCheck> compiled = new LinkedHashMap<>();
        for (String action : ACTIONS) {
            compiled.put(action, parser.compile(action));
        }
        this.actions = Map.copyOf(compiled);
    }

    /** Neutron's defaults. */
    public static Policy defaults() {
        return new Policy(DEFAULTS);
    }

    /**
     * Neutron's defaults with {@code overrides} in place of the rules of the same name (new names may be
     * added, for other rules to refer to).
     *
     * @throws IllegalArgumentException naming the rule, if a rule the services use does not compile
     */
    public static Policy withOverrides(Map<String, String> overrides) {
        Map<String, String> rules = new LinkedHashMap<>(DEFAULTS);
        rules.putAll(overrides);
        return new Policy(rules);
    }

    /** Every default rule with its check string, in a sensible reading order (for a sample policy file). */
    public static SequencedMap<String, String> defaultRules() {
        SequencedMap<String, String> rules = new LinkedHashMap<>();
        rules.put("context_is_admin", "role:admin");
        rules.put("owner", "tenant_id:%(tenant_id)s");
        rules.put("admin_or_owner", "rule:context_is_admin or rule:owner");
        rules.put("admin_only", "rule:context_is_admin");
        rules.put(CREATE_LABEL, "rule:admin_only");
        rules.put(CREATE_SHARED_LABEL, "rule:admin_only");
        rules.put(GET_LABEL, "rule:admin_or_owner");
        rules.put(DELETE_LABEL, "rule:admin_only");
        rules.put(CREATE_RULE, "rule:admin_only");
        rules.put(GET_RULE, "rule:admin_or_owner");
        rules.put(DELETE_RULE, "rule:admin_only");
        rules.put("metering_agent", "role:agent");
        rules.put(CREATE_ROUTER, "rule:admin_only");
        rules.put(GET_ROUTER, "rule:admin_or_owner");
        rules.put(UPDATE_ROUTER, "rule:admin_only");
        rules.put(DELETE_ROUTER, "rule:admin_only");
        rules.put(GET_SYNC, "rule:admin_only or rule:metering_agent");
        rules.put(CREATE_USAGE_REPORT, "rule:admin_only or rule:metering_agent");
        rules.put(GET_USAGE, "rule:admin_or_owner");
        rules.put(GET_METRICS, "rule:admin_only or role:metrics_reader");
        rules.put(GET_BILLING_CYCLE, "rule:admin_or_owner");
        rules.put(UPDATE_BILLING_CYCLE, "rule:admin_only");
        rules.put(GET_STATEMENT, "rule:admin_or_owner");
        rules.put(GET_AGENTS, "rule:admin_only");
        return rules;
    }

    /** Whether {@code caller} may perform {@code action} on a target owned by {@code owner}. */
    public boolean allows(String action, RequestContext caller, ProjectId owner) {
        return check(action).test(caller, caller.projectId().equals(owner));
    }

    /**
     * Whose targets of {@code getAction} the caller may read, so that a list is scoped by the database
     * rather than filtered row by row. Exact: a check sees only whether the caller's project owns the
     * target, so asking for an owned target and for a foreign one covers every case.
     */
    public Scope readable(String getAction, RequestContext caller) {
        PolicyCheck check = check(getAction);
        if (check.test(caller, false)) {
            // A policy that admits foreign targets but not the caller's own ("not rule:owner") lists
            // nothing: a deny, never a leak.
            return check.test(caller, true) ? Scope.ALL : Scope.NONE;
        }
        return check.test(caller, true) ? Scope.OWN_PROJECT : Scope.NONE;
    }

    /**
     * {@code query} narrowed to what the caller may read of {@code getAction}'s targets; empty if nothing.
     */
    public <F extends Enum<F> & Field> Optional<ListQuery<F>> scoped(String getAction, RequestContext caller,
                                                                     ListQuery<F> query) {
        return switch (readable(getAction, caller)) {
            case ALL -> Optional.of(query);
            case OWN_PROJECT -> Optional.of(query.ownedBy(caller.projectId()));
            case NONE -> Optional.empty();
        };
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

    /** Two policies are equal when every action compiles to the same check, however it was written. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Policy policy && actions.equals(policy.actions);
    }

    @Override
    public int hashCode() {
        return actions.hashCode();
    }

    private PolicyCheck check(String action) {
        PolicyCheck check = actions.get(action);
        if (check == null) {
            throw new IllegalArgumentException("no policy rule named " + action);
        }
        return check;
    }
}
