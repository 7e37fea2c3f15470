package dev.netmeter.service;

import java.util.List;

/**
 * One compiled oslo.policy check. A check sees the caller and one fact about the target: whether the
 * caller's project owns it. That is all a metering target offers a policy ({@code %(project_id)s} and
 * {@code %(tenant_id)s}), and it is what lets a list be scoped by the database instead of filtered row by
 * row (see {@link Policy#readable}). Immutable.
 */
sealed interface PolicyCheck {
    boolean test(RequestContext caller, boolean ownedByCaller);

    /** {@code @} and the empty check string: always passes. */
    record Always() implements PolicyCheck {
        @Override
        public boolean test(RequestContext caller, boolean ownedByCaller) {
            return true;
        }
    }

    /** {@code !}: never passes. */
    record Never() implements PolicyCheck {
        @Override
        public boolean test(RequestContext caller, boolean ownedByCaller) {
            return false;
        }
    }

    /** {@code role:NAME}: the caller holds the role (role names compare case-insensitively, as in oslo). */
    record HasRole(String role) implements PolicyCheck {
        @Override
        public boolean test(RequestContext caller, boolean ownedByCaller) {
            return caller.roles().contains(role);
        }
    }

    /** {@code is_admin:True} or {@code is_admin:False}. */
    record IsAdmin(boolean expected) implements PolicyCheck {
        @Override
        public boolean test(RequestContext caller, boolean ownedByCaller) {
            return caller.isAdmin() == expected;
        }
    }

    /** {@code project_id:VALUE}, {@code tenant_id:VALUE} or {@code user_id:VALUE} with a literal value. */
    record CallerAttribute(String attribute, String value) implements PolicyCheck {
        @Override
        public boolean test(RequestContext caller, boolean ownedByCaller) {
            String actual = attribute.equals("user_id") ? caller.userId() : caller.projectId().value();
            return actual.equals(value);
        }
    }

    /** {@code project_id:%(project_id)s} (or tenant_id on either side): the caller's project owns the target. */
    record Owner() implements PolicyCheck {
        @Override
        public boolean test(RequestContext caller, boolean ownedByCaller) {
            return ownedByCaller;
        }
    }

    /** {@code A and B and …}. */
    record All(List<PolicyCheck> checks) implements PolicyCheck {
        public All {
            checks = List.copyOf(checks);
        }

        @Override
        public boolean test(RequestContext caller, boolean ownedByCaller) {
            return checks.stream().allMatch(check -> check.test(caller, ownedByCaller));
        }
    }

    /** {@code A or B or …}. */
    record Any(List<PolicyCheck> checks) implements PolicyCheck {
        public Any {
            checks = List.copyOf(checks);
        }

        @Override
        public boolean test(RequestContext caller, boolean ownedByCaller) {
            return checks.stream().anyMatch(check -> check.test(caller, ownedByCaller));
        }
    }

    /** {@code not A}. */
    record Not(PolicyCheck check) implements PolicyCheck {
        @Override
        public boolean test(RequestContext caller, boolean ownedByCaller) {
            return !check.test(caller, ownedByCaller);
        }
    }
}
