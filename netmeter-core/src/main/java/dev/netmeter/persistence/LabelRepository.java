package dev.netmeter.persistence;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.query.LabelField;
import dev.netmeter.domain.query.ListQuery;
import java.util.List;
import java.util.Optional;

/** Stored labels. Bound to one transaction, which the caller owns; not thread-safe. */
public interface LabelRepository {
    /** Stores a new label. */
    void insert(MeteringLabel label);

    /** The label with this id, if it exists. */
    Optional<MeteringLabel> find(LabelId id);

    /**
     * The label with this id, locked until the transaction ends (a row lock: {@code SELECT … FOR UPDATE}),
     * so that concurrent check-then-write sequences on the label's rules run one after another.
     */
    Optional<MeteringLabel> lock(LabelId id);

    /** Deletes the label and, with it, its rules. Returns false if it did not exist. */
    boolean delete(LabelId id);

    /** The labels that match {@code query}, in its order. */
    List<MeteringLabel> list(ListQuery<LabelField> query);
}
