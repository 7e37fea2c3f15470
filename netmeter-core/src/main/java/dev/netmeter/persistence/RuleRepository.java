package dev.netmeter.persistence;

import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.RuleId;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.domain.query.RuleField;
import java.util.List;
import java.util.Optional;

/** Stored rules. Bound to one transaction, which the caller owns; not thread-safe. */
public interface RuleRepository {
    /** Stores a new rule; its label must exist. */
    void insert(MeteringLabelRule rule);

    /** The rule with this id, if it exists. */
    Optional<MeteringLabelRule> find(RuleId id);

    /**
     * A rule of {@code label} with the same direction and excluded flag whose {@code remote_ip_prefix}
     * shares an address with {@code remote}, if there is one. Answered from an index over (label,
     * direction, excluded, IP version, first address), in time that does not grow with the number of
     * the label's rules. Relies on the invariant this check maintains: the blocks already stored for one
     * (label, direction, excluded) are pairwise disjoint.
     */
    Optional<RuleId> findOverlapping(LabelId label, Direction direction, boolean excluded, Cidr remote);

    /** Deletes the rule. Returns false if it did not exist. */
    boolean delete(RuleId id);

    /** The rules that match {@code query}, in its order. */
    List<MeteringLabelRule> list(ListQuery<RuleField> query);
}
