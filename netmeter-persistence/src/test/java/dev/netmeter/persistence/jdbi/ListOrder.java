package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.query.Field;
import dev.netmeter.domain.query.LabelField;
import dev.netmeter.domain.query.RuleField;
import dev.netmeter.domain.query.SortKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The order a list must have, computed in memory from the rules {@link Field} documents: each key in turn,
 * nulls first ascending and last descending, text compared by code point (UTF-8 byte order), the id
 * ascending last unless it is a key already. The oracle of {@link ListingContract}.
 */
final class ListOrder {
    private ListOrder() {
    }

    /** Sort keys written as {@code "remote_ip_prefix desc, id asc"}. */
    static <F extends Enum<F> & Field> List<SortKey<F>> sort(Class<F> type, String spec) {
        return Arrays.stream(spec.split(",")).map(String::trim).map(key -> key.split(" +")).map(words ->
                new SortKey<>(Enum.valueOf(type, words[0].toUpperCase(Locale.ROOT)), words[1].equals("asc"))).toList();
    }

    static List<MeteringLabelRule> rules(List<MeteringLabelRule> rules, List<SortKey<RuleField>> sort) {
        return sorted(rules, sort, RuleField.ID, ListOrder::value);
    }

    static List<MeteringLabel> labels(List<MeteringLabel> labels, List<SortKey<LabelField>> sort) {
        return sorted(labels, sort, LabelField.ID, ListOrder::value);
    }

    /** The id of a rule or label, as a marker. */
    static String id(Object item) {
        return switch (item) {
            case MeteringLabelRule rule -> rule.id().toString();
            case MeteringLabel label -> label.id().toString();
            default -> throw new IllegalArgumentException("not a rule or label: " + item);
        };
    }

    private static <T, F extends Enum<F> & Field> List<T> sorted(List<T> items, List<SortKey<F>> sort, F idField,
                                                                 BiFunction<T, F, String> value) {
        List<SortKey<F>> keys = new ArrayList<>(sort);
        if (keys.stream().noneMatch(key -> key.field() == idField)) {
            keys.add(new SortKey<>(idField, true));
        }
        Comparator<T> order = (left, right) -> 0;
        for (SortKey<F> key : keys) {
            Comparator<String> values = Comparator.nullsFirst(ListOrder::byCodePoint);
            order = order.thenComparing(item -> value.apply(item, key.field()),
                    key.ascending() ? values : values.reversed());
        }
        return items.stream().sorted(order).toList();
    }

    /**
     * Code point order, which is UTF-8 byte order: PostgreSQL's "C" and MariaDB's binary collations.
     * {@link String#compareTo} compares UTF-16 units, and puts U+10000 and above before U+E000 to U+FFFF.
     */
    static int byCodePoint(String left, String right) {
        return Arrays.compare(left.codePoints().toArray(), right.codePoints().toArray());
    }

    /** Booleans as "false" and "true", which sort as false and true do; prefixes by address (Cidr.sortKey). */
    private static String value(MeteringLabelRule rule, RuleField field) {
        return switch (field) {
            case ID -> rule.id().toString();
            case LABEL_ID -> rule.labelId().toString();
            case DIRECTION -> rule.direction().wireName();
            case EXCLUDED -> Boolean.toString(rule.excluded());
            case REMOTE_IP_PREFIX -> rule.remoteIpPrefix().map(Cidr::sortKey).orElse(null);
            case SOURCE_IP_PREFIX -> rule.sourceIpPrefix().map(Cidr::sortKey).orElse(null);
            case DESTINATION_IP_PREFIX -> rule.destinationIpPrefix().map(Cidr::sortKey).orElse(null);
        };
    }

    private static String value(MeteringLabel label, LabelField field) {
        return switch (field) {
            case ID -> label.id().toString();
            case PROJECT_ID -> label.projectId().value();
            case NAME -> label.name();
            case DESCRIPTION -> label.description();
            case SHARED -> Boolean.toString(label.shared());
        };
    }
}
