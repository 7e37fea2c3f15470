package dev.netmeter.domain.error;

/** The caller may not see this project's billing cycle (every project has one, the default at least). */
public final class BillingCycleNotFoundException extends NotFoundException {
    public BillingCycleNotFoundException(String projectId) {
        super("BillingCycleNotFound", "Billing cycle of project %s could not be found".formatted(projectId));
    }
}
