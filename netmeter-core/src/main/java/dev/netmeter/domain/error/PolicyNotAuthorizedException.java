package dev.netmeter.domain.error;

/** The policy rule for the action denies the caller. */
public final class PolicyNotAuthorizedException extends NotAuthorizedException {
    public PolicyNotAuthorizedException(String action) {
        super("PolicyNotAuthorized", "rule:%s is disallowed by policy".formatted(action));
    }
}
