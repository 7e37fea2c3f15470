package dev.netmeter.service;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.NewRule;
import dev.netmeter.domain.RuleId;
import dev.netmeter.domain.error.MeteringLabelNotFoundException;
import dev.netmeter.domain.error.MeteringLabelRuleNotFoundException;
import dev.netmeter.domain.error.MeteringLabelRuleOverlapsException;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.domain.query.RuleField;
import dev.netmeter.persistence.Repositories;
import dev.netmeter.persistence.SyncChange;
import dev.netmeter.persistence.Transactor;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/** Creating, reading, listing and deleting metering label rules. Thread-safe; holds no per-request state. */
public final class MeteringRuleService {
    private final Transactor tx;
    private final Policy policy;
    private final Supplier<UUID> ids;
    private final ChangeSignal changes;

    public MeteringRuleService(Transactor tx, Policy policy, Supplier<UUID> ids, ChangeSignal changes) {
        this.tx = tx;
        this.policy = policy;
        this.ids = ids;
        this.changes = changes;
    }

    /**
     * Creates all of {@code rules} in one transaction, or none of them.
     *
     * <p>Each rule's label is locked first (in id order, so two bulk requests cannot deadlock), then each
     * {@code remote_ip_prefix} is checked against the label's rules, earlier rules of the same request
     * included. Under the lock, N concurrent creators of overlapping rules admit exactly one. Neutron's
     * {@code metering_db.create_metering_label_rule} checks without a lock and admits several.
     *
     * @throws MeteringLabelNotFoundException if a label does not exist or the caller may not see it
     * @throws MeteringLabelRuleOverlapsException if a rule overlaps another of its label
     */
    public List<MeteringLabelRule> create(RequestContext caller, List<NewRule> rules) {
        List<MeteringLabelRule> created = tx.inTransaction(repos -> {
            List<MeteringLabel> labels = new ArrayList<>();
            for (LabelId labelId : new TreeSet<>(rules.stream().map(NewRule::labelId).toList())) {
                MeteringLabel label = repos.labels().lock(labelId)
                        .filter(found -> policy.allows(Policy.GET_LABEL, caller, found.projectId()))
                        .orElseThrow(() -> new MeteringLabelNotFoundException(labelId.toString()));
                policy.enforce(Policy.CREATE_RULE, caller, label.projectId());
                labels.add(label);
            }
            List<MeteringLabelRule> stored = rules.stream().map(rule -> insert(repos, rule)).toList();
            repos.sync().record(SyncChange.ofLabels(labels));
            return stored;
        });
        changes.committed();
        return created;
    }

    /**
     * The rule with id {@code id} (as the client wrote it).
     *
     * @throws MeteringLabelRuleNotFoundException if there is none, or the caller may not see its label
     */
    public MeteringLabelRule get(RequestContext caller, String id) {
        return tx.inTransaction(repos -> requireVisible(repos, caller, id).rule());
    }

    /** The rules of labels the caller may see that match {@code query}. */
    public List<MeteringLabelRule> list(RequestContext caller, ListQuery<RuleField> query) {
        return policy.scoped(Policy.GET_RULE, caller, query)
                .map(scoped -> tx.inTransaction(repos -> repos.rules().list(scoped)))
                .orElse(List.of());
    }

    /** Deletes the rule. A rule the caller cannot see is not found (404), not forbidden. */
    public void delete(RequestContext caller, String id) {
        tx.inTransaction(repos -> {
            VisibleRule found = requireVisible(repos, caller, id);
            policy.enforce(Policy.DELETE_RULE, caller, found.label().projectId());
            repos.rules().delete(found.rule().id());
            repos.sync().record(SyncChange.ofLabels(List.of(found.label())));
            return null;
        });
        changes.committed();
    }

    private MeteringLabelRule insert(Repositories repos, NewRule rule) {
        rule.remoteIpPrefix().ifPresent(remote -> repos.rules()
                .findOverlapping(rule.labelId(), rule.direction(), rule.excluded(), remote)
                .ifPresent(existing -> {
                    throw new MeteringLabelRuleOverlapsException(remote.text());
                }));
        MeteringLabelRule created = MeteringLabelRule.of(new RuleId(ids.get()), rule);
        repos.rules().insert(created);
        return created;
    }

    private VisibleRule requireVisible(Repositories repos, RequestContext caller, String id) {
        return RuleId.parse(id)
                .flatMap(ruleId -> repos.rules().find(ruleId))
                .flatMap(rule -> repos.labels().find(rule.labelId()).map(label -> new VisibleRule(rule, label)))
                .filter(found -> policy.allows(Policy.GET_RULE, caller, found.label().projectId()))
                .orElseThrow(() -> new MeteringLabelRuleNotFoundException(id));
    }

    private record VisibleRule(MeteringLabelRule rule, MeteringLabel label) {
    }
}
