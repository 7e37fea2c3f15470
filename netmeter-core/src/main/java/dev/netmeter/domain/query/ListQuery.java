package dev.netmeter.domain.query;

import dev.netmeter.domain.ProjectId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a list asks of a repository.
 *
 * @param filters for each field, the values it may take (an item matches when every field matches one
 *     of its values); values are {@code String} or {@code Boolean}, as the field holds
 * @param sort the order; the id is always the last key, so the order is total and markers are exact
 * @param page a page of the result, or everything
 * @param project if present, only items of this project (for a rule: of its label's project)
 */
public record ListQuery<F extends Enum<F> & Field>(
        Map<F, List<Object>> filters, List<SortKey<F>> sort, Optional<PageRequest> page, Optional<ProjectId> project) {

    public ListQuery {
        filters = Map.copyOf(filters);
        sort = List.copyOf(sort);
        Objects.requireNonNull(page, "page");
        Objects.requireNonNull(project, "project");
    }

    /** The same query, restricted to {@code owner}'s items. */
    public ListQuery<F> ownedBy(ProjectId owner) {
        return new ListQuery<>(filters, sort, page, Optional.of(owner));
    }
}
