package dev.netmeter.bench;

import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.RuleId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * The router of the data-plane benchmarks, as in the reference measurements: random IPv4 prefixes /16–/28
 * in 10/8, spread evenly over the labels, half ingress and half egress, one in five excluded.
 */
final class BenchRouters {
    private BenchRouters() {
    }

    static RouterMetering random(Random random, String namespace, String externalInterface, int rules, int labels) {
        List<List<MeteringLabelRule>> byLabel = new ArrayList<>();
        for (int i = 0; i < labels; i++) {
            byLabel.add(new ArrayList<>());
        }
        for (int i = 0; i < rules; i++) {
            int label = i % labels;
            String prefix = "10.%d.%d.%d/%d".formatted(random.nextInt(256), random.nextInt(256), random.nextInt(256),
                    16 + random.nextInt(13));
            byLabel.get(label).add(rule(label, random.nextBoolean() ? Direction.INGRESS : Direction.EGRESS,
                    random.nextInt(5) == 0, prefix));
        }
        List<LabelMetering> metering = new ArrayList<>();
        for (int i = 0; i < labels; i++) {
            metering.add(new LabelMetering(labelId(i), byLabel.get(i)));
        }
        return new RouterMetering(new RouterId(UUID.randomUUID()), namespace, externalInterface, metering);
    }

    /** {@code router} with one more rule in its label number {@code label}. */
    static RouterMetering withRule(RouterMetering router, int label, Direction direction, String prefix) {
        List<LabelMetering> labels = new ArrayList<>(router.labels());
        LabelMetering grown = labels.get(label);
        List<MeteringLabelRule> rules = new ArrayList<>(grown.rules());
        rules.add(rule(label, direction, false, prefix));
        labels.set(label, new LabelMetering(grown.label(), rules));
        return new RouterMetering(router.router(), router.namespace(), router.externalInterface(), labels);
    }

    static LabelId labelId(int number) {
        return new LabelId(new UUID(0, number));
    }

    private static MeteringLabelRule rule(int label, Direction direction, boolean excluded, String prefix) {
        return new MeteringLabelRule(new RuleId(UUID.randomUUID()), labelId(label), direction, excluded,
                Optional.of(Cidr.parse("remote_ip_prefix", prefix)), Optional.empty(), Optional.empty());
    }
}
