package dev.netmeter.service;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.NewLabel;
import dev.netmeter.domain.error.MeteringLabelNotFoundException;
import dev.netmeter.domain.query.LabelField;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.persistence.Repositories;
import dev.netmeter.persistence.SyncChange;
import dev.netmeter.persistence.Transactor;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** Creating, reading, listing and deleting metering labels. Thread-safe; holds no per-request state. */
public final class MeteringLabelService {
    private final Transactor tx;
    private final Policy policy;
    private final Supplier<UUID> ids;
    private final ChangeSignal changes;

    public MeteringLabelService(Transactor tx, Policy policy, Supplier<UUID> ids, ChangeSignal changes) {
        this.tx = tx;
        this.policy = policy;
        this.ids = ids;
        this.changes = changes;
    }

    /** Creates all of {@code labels} in one transaction, or none of them. */
    public List<MeteringLabel> create(RequestContext caller, List<NewLabel> labels) {
        for (NewLabel label : labels) {
            policy.enforce(Policy.CREATE_LABEL, caller, label.projectId());
            if (label.shared()) {
                policy.enforce(Policy.CREATE_SHARED_LABEL, caller, label.projectId());
            }
        }
        List<MeteringLabel> created = tx.inTransaction(repos -> {
            List<MeteringLabel> stored = labels.stream().map(label -> {
                MeteringLabel toStore = MeteringLabel.of(new LabelId(ids.get()), label);
                repos.labels().insert(toStore);
                return toStore;
            }).toList();
            repos.sync().record(SyncChange.ofLabels(stored));
            return stored;
        });
        changes.committed();
        return created;
    }

    /**
     * The label with id {@code id} (as the client wrote it).
     *
     * @throws MeteringLabelNotFoundException if there is none, or the caller may not see it
     */
    public MeteringLabel get(RequestContext caller, String id) {
        return tx.inTransaction(repos -> requireVisible(repos, caller, id));
    }

    /** The labels the caller may see that match {@code query}. */
    public List<MeteringLabel> list(RequestContext caller, ListQuery<LabelField> query) {
        return policy.scoped(Policy.GET_LABEL, caller, query)
                .map(scoped -> tx.inTransaction(repos -> repos.labels().list(scoped)))
                .orElse(List.of());
    }

    /** Deletes the label and its rules. A label the caller cannot see is not found (404), not forbidden. */
    public void delete(RequestContext caller, String id) {
        tx.inTransaction(repos -> {
            MeteringLabel label = requireVisible(repos, caller, id);
            policy.enforce(Policy.DELETE_LABEL, caller, label.projectId());
            repos.labels().delete(label.id());
            repos.sync().record(SyncChange.ofLabels(List.of(label)));
            return null;
        });
        changes.committed();
    }

    private MeteringLabel requireVisible(Repositories repos, RequestContext caller, String id) {
        return LabelId.parse(id)
                .flatMap(labelId -> repos.labels().find(labelId))
                .filter(label -> policy.allows(Policy.GET_LABEL, caller, label.projectId()))
                .orElseThrow(() -> new MeteringLabelNotFoundException(id));
    }
}
