package dev.netmeter.domain.error;

/** The operation is part of the API but not supported (Neutron answers 501 to a rule update). */
public final class OperationNotSupportedException extends NotImplementedException {
    public OperationNotSupportedException(String message) {
        super("NotImplementedError", message);
    }
}
