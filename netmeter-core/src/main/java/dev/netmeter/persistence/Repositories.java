package dev.netmeter.persistence;

/** The repositories of one transaction. Valid only inside the {@link Transactor} lambda that received them. */
public interface Repositories {
    /** Labels, in this transaction. */
    LabelRepository labels();

    /** Rules, in this transaction. */
    RuleRepository rules();

    /** Routers, in this transaction. */
    RouterRepository routers();

    /** Sync data and its revisions, in this transaction. */
    SyncRepository sync();

    /** Usage reports and their sums, in this transaction. */
    UsageRepository usage();

    /** Notifications waiting to be published, in this transaction. */
    OutboxRepository outbox();

    /** Projects' billing cycles, in this transaction. */
    BillingRepository billing();

    /** Closed statements and adjustments, in this transaction. */
    StatementRepository statements();
}
