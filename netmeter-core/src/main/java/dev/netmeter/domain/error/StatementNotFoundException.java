package dev.netmeter.domain.error;

/** The caller may not see this project's statements (every project has them, empty ones at least). */
public final class StatementNotFoundException extends NotFoundException {
    public StatementNotFoundException(String projectId) {
        super("StatementNotFound", "Statement of project %s could not be found".formatted(projectId));
    }
}
