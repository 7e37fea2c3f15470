package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.BillingRepository;
import dev.netmeter.persistence.LabelRepository;
import dev.netmeter.persistence.OutboxRepository;
import dev.netmeter.persistence.Repositories;
import dev.netmeter.persistence.RouterRepository;
import dev.netmeter.persistence.RuleRepository;
import dev.netmeter.persistence.StatementRepository;
import dev.netmeter.persistence.SyncRepository;
import dev.netmeter.persistence.UsageRepository;
import org.jdbi.v3.core.Handle;

/** The repositories over one JDBI handle, that is, one transaction. */
final class JdbiRepositories implements Repositories {
    private final LabelRepository labels;
    private final RuleRepository rules;
    private final RouterRepository routers;
    private final SyncRepository sync;
    private final UsageRepository usage;
    private final OutboxRepository outbox;
    private final BillingRepository billing;
    private final StatementRepository statements;

    JdbiRepositories(Handle handle, Dialect dialect) {
        this.labels = new JdbiLabelRepository(handle);
        this.rules = new JdbiRuleRepository(handle);
        this.routers = new JdbiRouterRepository(handle);
        this.sync = new JdbiSyncRepository(handle);
        this.usage = new JdbiUsageRepository(handle, dialect);
        this.outbox = new JdbiOutboxRepository(handle, dialect);
        this.billing = new JdbiBillingRepository(handle, dialect);
        this.statements = new JdbiStatementRepository(handle, dialect);
    }

    @Override
    public LabelRepository labels() {
        return labels;
    }

    @Override
    public RuleRepository rules() {
        return rules;
    }

    @Override
    public RouterRepository routers() {
        return routers;
    }

    @Override
    public SyncRepository sync() {
        return sync;
    }

    @Override
    public UsageRepository usage() {
        return usage;
    }

    @Override
    public OutboxRepository outbox() {
        return outbox;
    }

    @Override
    public BillingRepository billing() {
        return billing;
    }

    @Override
    public StatementRepository statements() {
        return statements;
    }
}
