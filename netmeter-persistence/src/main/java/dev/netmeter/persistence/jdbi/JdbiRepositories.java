package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.LabelRepository;
import dev.netmeter.persistence.Repositories;
import dev.netmeter.persistence.RuleRepository;
import org.jdbi.v3.core.Handle;

/** The repositories over one JDBI handle, that is, one transaction. */
final class JdbiRepositories implements Repositories {
    private final LabelRepository labels;
    private final RuleRepository rules;

    JdbiRepositories(Handle handle) {
        this.labels = new JdbiLabelRepository(handle);
        this.rules = new JdbiRuleRepository(handle);
    }

    @Override
    public LabelRepository labels() {
        return labels;
    }

    @Override
    public RuleRepository rules() {
        return rules;
    }
}
