package dev.netmeter.domain.error;

/** A value is invalid for the operation (neutron-lib's InvalidInput). */
public final class InvalidInputException extends BadRequestException {
    public InvalidInputException(String reason) {
        super("InvalidInput", "Invalid input for operation: %s.".formatted(reason));
    }
}
