package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.query.Field;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.domain.query.PageRequest;
import dev.netmeter.domain.query.SortKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Builds and runs a list query over one table: filters, the caller's project scope, a total order
 * (the id is always the last key) and keyset paging from a marker, on every supported database.
 *
 * <p>Paging is by keyset, not offset: the marker row's sort values are read, and the page is the rows
 * after them in the order. Nulls sort first ascending and last descending, spelled out with
 * {@code CASE} because the databases disagree by default. Thread-safe (immutable).
 *
 * @param <F> the resource's field enumeration
 */
final class ListSql<F extends Enum<F> & Field> {
    private final String from;
    private final String scopeColumn;
    private final String idColumn;
    private final Map<F, String> columns;
    private final Map<F, String> sortColumns;
    private final F idField;

    /**
     * @param from the {@code FROM} clause, with aliases, e.g. {@code metering_label_rules r JOIN …}
     * @param scopeColumn the project column the caller's scope compares with
     * @param columns the column of each field, qualified with its alias
     * @param sortColumns for fields that sort by another column than they filter on, that column
     * @param idField the field that is the primary key
     */
    ListSql(String from, String scopeColumn, Map<F, String> columns, Map<F, String> sortColumns, F idField) {
        this.from = from;
        this.scopeColumn = scopeColumn;
        this.columns = new EnumMap<>(columns);
        this.sortColumns = new EnumMap<>(columns);
        this.sortColumns.putAll(sortColumns);
        this.idField = idField;
        this.idColumn = columns.get(idField);
    }

    <T> List<T> list(Handle handle, ListQuery<F> query, String select, RowMapper<T> mapper) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        query.project().ifPresent(project -> {
            where.append(" AND ").append(scopeColumn).append(" = ?");
            args.add(project.value());
        });
        query.filters().forEach((field, values) -> {
            if (values.isEmpty()) {     // no value matches nothing; "IN ()" is an error on PostgreSQL and MariaDB
                where.append(" AND 1=0");
                return;
            }
            where.append(" AND ").append(columns.get(field)).append(" IN (")
                    .append(values.stream().map(value -> "?").collect(Collectors.joining(", "))).append(')');
            args.addAll(values);
        });
        List<SortKey<F>> order = totalOrder(query);
        Optional<PageRequest> page = query.page();
        if (page.isPresent() && page.get().reverse()) {
            order = order.stream().map(SortKey::reversed).toList();
        }
        if (page.isPresent() && page.get().marker().isPresent()) {
            Optional<List<Object>> markerValues = markerValues(handle, query, order, page.get().marker().get());
            if (markerValues.isEmpty()) {
                return List.of();    // an unknown marker yields an empty page, as in Neutron
            }
            where.append(" AND (").append(after(order, markerValues.get(), args)).append(')');
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(select).append(" FROM ").append(from)
                .append(where).append(" ORDER BY ").append(orderBy(order));
        page.ifPresent(p -> sql.append(" LIMIT ").append(p.limit()));
        List<T> rows = bind(handle.createQuery(sql.toString()), args).map(mapper).list();
        if (page.isPresent() && page.get().reverse()) {
            rows = new ArrayList<>(rows);
            Collections.reverse(rows);
        }
        return rows;
    }

    private List<SortKey<F>> totalOrder(ListQuery<F> query) {
        List<SortKey<F>> order = new ArrayList<>(query.sort());
        if (order.stream().noneMatch(key -> key.field() == idField)) {
            order.add(new SortKey<>(idField, true));
        }
        return order;
    }

    private Optional<List<Object>> markerValues(Handle handle, ListQuery<F> query, List<SortKey<F>> order,
                                                String marker) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ");
        sql.append(order.stream().map(key -> sortColumns.get(key.field())).collect(Collectors.joining(", ")));
        sql.append(" FROM ").append(from).append(" WHERE ").append(idColumn).append(" = ?");
        args.add(marker);
        query.project().ifPresent(project -> {
            sql.append(" AND ").append(scopeColumn).append(" = ?");
            args.add(project.value());
        });
        return bind(handle.createQuery(sql.toString()), args)
                .map((rs, ctx) -> {
                    List<Object> values = new ArrayList<>();
                    for (int i = 1; i <= order.size(); i++) {
                        values.add(rs.getObject(i));
                    }
                    return values;
                })
                .findOne();
    }

    /** Rows strictly after the marker: (k1 after) OR (k1 equal AND k2 after) OR … */
    private String after(List<SortKey<F>> order, List<Object> marker, List<Object> args) {
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            List<String> terms = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                terms.add(equal(sortColumns.get(order.get(j).field()), marker.get(j), args));
            }
            terms.add(strictlyAfter(order.get(i), marker.get(i), args));
            alternatives.add('(' + String.join(" AND ", terms) + ')');
        }
        return String.join(" OR ", alternatives);
    }

    private static String equal(String column, Object value, List<Object> args) {
        if (value == null) {
            return column + " IS NULL";
        }
        args.add(value);
        return column + " = ?";
    }

    private String strictlyAfter(SortKey<F> key, Object value, List<Object> args) {
        String column = sortColumns.get(key.field());
        if (value == null) {    // nulls come first ascending, last descending
            return key.ascending() ? column + " IS NOT NULL" : "1=0";
        }
        args.add(value);
        if (key.ascending()) {
            return column + " > ?";
        }
        return key.field().nullable() ? "(" + column + " < ? OR " + column + " IS NULL)" : column + " < ?";
    }

    private String orderBy(List<SortKey<F>> order) {
        return order.stream().map(key -> {
            String column = sortColumns.get(key.field());
            String direction = key.ascending() ? " ASC" : " DESC";
            String nullsFirst = "CASE WHEN " + column + " IS NULL THEN 0 ELSE 1 END" + direction + ", ";
            return (key.field().nullable() ? nullsFirst : "") + column + direction;
        }).collect(Collectors.joining(", "));
    }

    private static Query bind(Query query, List<Object> args) {
        for (int i = 0; i < args.size(); i++) {
            query.bind(i, args.get(i));
        }
        return query;
    }
}
