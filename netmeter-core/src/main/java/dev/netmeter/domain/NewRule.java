package dev.netmeter.domain;

import dev.netmeter.domain.error.InvalidInputException;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated request to create a rule. The factory enforces the prefix combinations Neutron's
 * {@code metering_db.validate_metering_label_rule} enforces, answering 400 where Neutron 21 answers 500.
 */
public record NewRule(
        LabelId labelId,
        Direction direction,
        boolean excluded,
        Optional<Cidr> remoteIpPrefix,
        Optional<Cidr> sourceIpPrefix,
        Optional<Cidr> destinationIpPrefix) {

    public NewRule {
        Objects.requireNonNull(labelId, "labelId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(remoteIpPrefix, "remoteIpPrefix");
        Objects.requireNonNull(sourceIpPrefix, "sourceIpPrefix");
        Objects.requireNonNull(destinationIpPrefix, "destinationIpPrefix");
        if (remoteIpPrefix.isPresent() && (sourceIpPrefix.isPresent() || destinationIpPrefix.isPresent())) {
            throw new InvalidInputException("Cannot use 'remote-ip-prefix' in conjunction with "
                    + "'source-ip-prefix' or 'destination-ip-prefix'");
        }
        if (remoteIpPrefix.isEmpty() && sourceIpPrefix.isEmpty() && destinationIpPrefix.isEmpty()) {
            throw new InvalidInputException("You must define at least one of the following parameters "
                    + "'remote_ip_prefix', or 'source_ip_prefix' or 'destination_ip_prefix'");
        }
        if (sourceIpPrefix.isPresent() && destinationIpPrefix.isPresent()
                && sourceIpPrefix.get().version() != destinationIpPrefix.get().version()) {
            // Neutron stores such a rule, but no packet can ever match it: refuse it instead.
            throw new InvalidInputException("source_ip_prefix and destination_ip_prefix must be of the same "
                    + "IP version");
        }
    }
}
