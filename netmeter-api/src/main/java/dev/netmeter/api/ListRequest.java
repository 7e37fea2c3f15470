package dev.netmeter.api;

import dev.netmeter.domain.error.BadResourceRequestException;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.domain.query.Field;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.domain.query.PageRequest;
import dev.netmeter.domain.query.SortKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The query parameters of a list request, checked as Neutron checks them ({@code api_common}): filters,
 * {@code fields}, {@code sort_key}/{@code sort_dir}, {@code limit}, {@code marker} and {@code page_reverse}.
 *
 * @param query what to ask the repository
 * @param fields the attributes to show (empty: all)
 * @param limit the page size, if paging
 * @param pageReverse whether the page is the one before the marker
 */
record ListRequest<F extends Enum<F> & Field>(
        ListQuery<F> query, List<String> fields, Optional<Integer> limit, boolean pageReverse) {

    private static final Set<String> RESERVED = Set.of("fields", "sort_key", "sort_dir", "limit", "marker",
            "page_reverse");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * Parses {@code parameters} (each name with its values, in request order).
     *
     * @param maxLimit the largest page, or 0 or less for no bound (Neutron's {@code pagination_max_limit})
     */
    static <F extends Enum<F> & Field> ListRequest<F> parse(Map<String, List<String>> parameters,
                                                            ResourceSchema<F, ?> schema, int maxLimit) {
        Map<F, List<Object>> filters = filters(parameters, schema);
        List<String> fields = fields(parameters, schema);
        List<SortKey<F>> sort = sort(parameters, schema);
        Optional<Integer> limit = limit(parameters, maxLimit);
        boolean reverse = first(parameters, "page_reverse").map(Attributes::toBoolean).orElse(false);
        Optional<String> marker = first(parameters, "marker");
        Optional<PageRequest> page = limit.map(size -> new PageRequest(size, marker.map(ListRequest::markerId),
                reverse));
        return new ListRequest<>(new ListQuery<>(filters, sort, page, Optional.empty()), fields, limit, reverse);
    }

    /** A marker that cannot be an id still has to find nothing, without reaching SQL as arbitrary text. */
    private static String markerId(String marker) {
        return UUID_TEXT.matcher(marker).matches() ? marker : "00000000-0000-0000-0000-000000000000";
    }

    private static <F extends Enum<F> & Field> Map<F, List<Object>> filters(Map<String, List<String>> parameters,
                                                                           ResourceSchema<F, ?> schema) {
        List<String> unknown = parameters.keySet().stream()
                .filter(name -> !RESERVED.contains(name) && schema.field(name) == null)
                .toList();
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException("%s is invalid attribute for filtering".formatted(pythonList(unknown)));
        }
        Map<F, List<Object>> filters = null;
        for (var parameter : parameters.entrySet()) {
            F field = schema.field(parameter.getKey());
            if (field == null) {
                continue;
            }
            if (filters == null) {
                filters = new EnumMap<>(field.getDeclaringClass());
            }
            List<Object> values = new ArrayList<>();
            for (String value : parameter.getValue()) {
                Attributes.requireStorable(parameter.getKey(), value);
                values.add(schema.isBoolean(parameter.getKey()) ? Attributes.toBoolean(value) : value);
            }
            // tenant_id and project_id name one field: a row must satisfy both.
            filters.merge(field, values, (a, b) -> a.stream().filter(b::contains).toList());
        }
        return filters == null ? Map.of() : filters;
    }

    private static List<String> fields(Map<String, List<String>> parameters, ResourceSchema<?, ?> schema) {
        Set<String> fields = new LinkedHashSet<>();
        for (String field : parameters.getOrDefault("fields", List.of())) {
            if (!field.isEmpty()) {
                fields.add(field);
            }
        }
        List<String> unknown = fields.stream().filter(field -> !schema.isVisible(field)).toList();
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException("%s is invalid attribute for fields".formatted(pythonList(unknown)));
        }
        return List.copyOf(fields);
    }

    private static <F extends Enum<F> & Field> List<SortKey<F>> sort(Map<String, List<String>> parameters,
                                                                    ResourceSchema<F, ?> schema) {
        List<String> keys = parameters.getOrDefault("sort_key", List.of());
        List<String> directions = parameters.getOrDefault("sort_dir", List.of());
        if (keys.size() != directions.size()) {
            throw new InvalidRequestException("The number of sort_keys and sort_dirs must be same");
        }
        List<String> badKeys = keys.stream().filter(key -> schema.field(key) == null).toList();
        if (!badKeys.isEmpty()) {
            throw new InvalidRequestException("%s is invalid attribute for sort_keys".formatted(pythonList(badKeys)));
        }
        List<String> badDirections = directions.stream().filter(dir -> !dir.equals("asc") && !dir.equals("desc"))
                .toList();
        if (!badDirections.isEmpty()) {
            throw new InvalidRequestException("%s is invalid value for sort_dirs, valid value is 'asc' and 'desc'"
                    .formatted(pythonList(badDirections)));
        }
        List<SortKey<F>> sort = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            F field = schema.field(keys.get(i));
            if (sort.stream().noneMatch(key -> key.field() == field)) {
                sort.add(new SortKey<>(field, directions.get(i).equals("asc")));
            }
        }
        return sort;
    }

    private static Optional<Integer> limit(Map<String, List<String>> parameters, int maxLimit) {
        Optional<String> text = first(parameters, "limit");
        int limit = 0;
        if (text.isPresent()) {
            long number = QueryParameters.asciiNumber(text.get()).orElse(-1);
            limit = number > Integer.MAX_VALUE ? -1 : (int) number;
            if (limit < 0) {
                throw new BadResourceRequestException("limit",
                        "Limit must be an integer 0 or greater and not '%s'".formatted(text.get()));
            }
        }
        if (maxLimit > 0) {
            limit = limit == 0 ? maxLimit : Math.min(limit, maxLimit);
        }
        return limit == 0 ? Optional.empty() : Optional.of(limit);
    }

    private static Optional<String> first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.getOrDefault(name, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** A list as Python prints it in Neutron's messages: {@code ['foo', 'bar']}. */
    private static String pythonList(List<String> items) {
        return items.stream().map(item -> "'" + item + "'").collect(Collectors.joining(", ", "[", "]"));
    }
}
