package dev.netmeter.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * One rule of a label: traffic in {@code direction} whose addresses fall in the rule's prefixes is
 * counted for the label, or, if {@code excluded}, exempted from it.
 *
 * <p>Either {@code remoteIpPrefix} is set (Neutron's legacy field: the far end of the connection), or at
 * least one of {@code sourceIpPrefix} and {@code destinationIpPrefix}; {@link NewRule} enforces it.
 */
public record MeteringLabelRule(
        RuleId id,
        LabelId labelId,
        Direction direction,
        boolean excluded,
        Optional<Cidr> remoteIpPrefix,
        Optional<Cidr> sourceIpPrefix,
        Optional<Cidr> destinationIpPrefix) {

    public MeteringLabelRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(labelId, "labelId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(remoteIpPrefix, "remoteIpPrefix");
        Objects.requireNonNull(sourceIpPrefix, "sourceIpPrefix");
        Objects.requireNonNull(destinationIpPrefix, "destinationIpPrefix");
    }

    /** The rule described by {@code request}, under the id it is to be stored as. */
    public static MeteringLabelRule of(RuleId id, NewRule request) {
        return new MeteringLabelRule(id, request.labelId(), request.direction(), request.excluded(),
                request.remoteIpPrefix(), request.sourceIpPrefix(), request.destinationIpPrefix());
    }
}
