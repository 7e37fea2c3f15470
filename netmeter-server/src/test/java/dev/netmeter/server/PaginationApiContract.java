package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.LABELS;
import static dev.netmeter.server.ApiClient.RULES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.server.ApiClient.Caller;
import dev.netmeter.domain.Cidr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Paging as clients page: from the first page along {@code next} links, and from the last page back along
 * {@code previous} links, the pages together must be exactly the unpaged list in the same order. Keyset
 * paging (ListSql) has to agree with ORDER BY on every database, including duplicate keys and nulls.
 */
abstract class PaginationApiContract extends HttpContract {
    private static final int MAX_PAGES = 100;
    /** Byte order (what ListSql promises on every database); duplicates and an empty name test the tiebreak. */
    private static final List<String> NAMES = List.of("delta", "Alpha", "alpha", "", "beta", "beta", "charlie",
            "alpha-2", "alpha 1", "zulu");

    private final String project = newProject();
    private final List<Created> labels = new ArrayList<>();
    private final List<Created> rules = new ArrayList<>();
    private String label;

    /** A created resource: its id and the value it is sorted by. */
    private record Created(String id, String key) {
        /** Names sort as written; prefixes (they contain '/') by address. */
        String sortKey() {
            return key == null || !key.contains("/") ? key : Cidr.parse("key", key).sortKey();
        }
    }

    @BeforeAll
    void create_labels_and_rules_to_page_through() {
        NAMES.forEach(name -> labels.add(new Created(createLabel(project, name), name)));
        label = createLabel(newProject(), "paged rules");
        // Equal prefixes in both directions, IPv4 and IPv6, and rules without a remote prefix (nulls).
        rule("ingress", "remote_ip_prefix", "10.0.0.0/24");
        rule("egress", "remote_ip_prefix", "10.0.0.0/24");
        rule("ingress", "source_ip_prefix", "192.168.0.0/16");
        rule("ingress", "remote_ip_prefix", "10.10.0.0/16");
        rule("egress", "remote_ip_prefix", "2001:db8::/64");
        rule("egress", "source_ip_prefix", "192.168.0.0/16");
        rule("ingress", "remote_ip_prefix", "9.0.0.0/8");
        rule("ingress", "remote_ip_prefix", "2001:db8:0:0:1::/80");
        rule("egress", "destination_ip_prefix", "10.3.0.1");
        rule("egress", "remote_ip_prefix", "10.2.0.0/32");
    }

    private void rule(String direction, String prefixAttribute, String prefix) {
        String id = createRule(body("metering_label_rule", "metering_label_id", label, "direction", direction,
                prefixAttribute, prefix));
        rules.add(new Created(id, prefixAttribute.equals("remote_ip_prefix") ? prefix : null));
    }

    @ParameterizedTest(name = "sort_dir={0}, limit={1}")
    @CsvSource({"asc, 1", "asc, 3", "desc, 3", "asc, 5", "desc, 10", "asc, 11"})
    void next_links_walk_every_label_once_in_name_order(String direction, int limit) {
        String query = "?project_id=%s&sort_key=name&sort_dir=%s&limit=%d".formatted(project, direction, limit);

        List<List<JsonNode>> pages = walk(LABELS + query, "metering_labels", "next", limit);

        assertThat(ids(flatten(pages))).isEqualTo(ids(unpaged(LABELS, "metering_labels", query)))
                .isEqualTo(expectedOrder(labels, direction));
    }

    @ParameterizedTest(name = "sort_dir={0}, limit={1}")
    @CsvSource({"asc, 1", "asc, 3", "desc, 3", "asc, 5", "desc, 10", "asc, 11"})
    void previous_links_walk_back_from_the_last_page_over_every_label_in_name_order(String direction, int limit) {
        String query = "?project_id=%s&sort_key=name&sort_dir=%s&limit=%d".formatted(project, direction, limit);

        // Without a marker, page_reverse gives the last page (what an empty page's previous link points at).
        List<List<JsonNode>> pages = walk(LABELS + query + "&page_reverse=True", "metering_labels", "previous", limit);
        Collections.reverse(pages);

        assertThat(ids(flatten(pages))).isEqualTo(expectedOrder(labels, direction));
    }

    @ParameterizedTest(name = "sort_dir={0}, limit={1}")
    @CsvSource({"desc, 1", "desc, 3", "asc, 4", "desc, 10"})
    void pages_of_rules_sorted_by_remote_ip_prefix_keep_nulls_at_the_end_the_sort_direction_puts_them(
            String direction, int limit) {
        String query = "?metering_label_id=%s&sort_key=remote_ip_prefix&sort_dir=%s&limit=%d"
                .formatted(label, direction, limit);

        List<List<JsonNode>> forward = walk(RULES + query, "metering_label_rules", "next", limit);
        List<List<JsonNode>> backward = walk(RULES + query + "&page_reverse=True", "metering_label_rules",
                "previous", limit);
        Collections.reverse(backward);

        List<String> expected = expectedOrder(rules, direction);
        assertThat(ids(unpaged(RULES, "metering_label_rules", query))).isEqualTo(expected);
        assertThat(ids(flatten(forward))).isEqualTo(expected);
        assertThat(ids(flatten(backward))).isEqualTo(expected);
    }

    /**
     * Follows the {@code rel} links from {@code first} until a page has none, checking that each page but
     * the last one visited is full; returns the pages in the order visited.
     */
    private List<List<JsonNode>> walk(String first, String plural, String rel, int limit) {
        List<List<JsonNode>> pages = new ArrayList<>();
        Optional<String> target = Optional.of(first);
        while (target.isPresent()) {
            assertThat(pages).as("pages walked from %s", first).hasSizeLessThan(MAX_PAGES);
            if (!pages.isEmpty()) {
                assertThat(pages.getLast()).as("a page followed by a %s link", rel).hasSize(limit);
            }
            ApiClient.Response page = api.get(target.get(), Caller.ADMIN);
            pages.add(items(page, plural));
            target = link(page.json().path(plural + "_links"), rel);
        }
        return pages;
    }

    /** The target (path and query) of the link named {@code rel}, which must point at this server. */
    private Optional<String> link(JsonNode links, String rel) {
        for (JsonNode link : links) {
            if (link.path("rel").asText().equals(rel)) {
                String href = link.path("href").asText();
                assertThat(href).startsWith(api.baseUrl() + "/v2.0/metering/");
                return Optional.of(href.substring(api.baseUrl().length()));
            }
        }
        return Optional.empty();
    }

    /** The same list without limit (and so without paging). */
    private List<JsonNode> unpaged(String path, String plural, String pagedQuery) {
        return items(api.get(path + pagedQuery.replaceAll("&limit=\\d+", ""), Caller.ADMIN), plural);
    }

    private static List<JsonNode> flatten(List<List<JsonNode>> pages) {
        return pages.stream().flatMap(List::stream).toList();
    }

    /**
     * By key, nulls first ascending and last descending, then by id ascending whatever the direction
     * (Neutron's pagination adds the id, ascending, as the last sort key). Names compare in byte order (all
     * ASCII here); prefixes by address, as Neutron sorts them (transcript case 91; Cidr.sortKey).
     */
    private static List<String> expectedOrder(List<Created> created, String direction) {
        Comparator<String> byKey = direction.equals("asc")
                ? Comparator.nullsFirst(Comparator.<String>naturalOrder())
                : Comparator.nullsLast(Comparator.<String>reverseOrder());
        return created.stream()
                .sorted(Comparator.comparing(Created::sortKey, byKey).thenComparing(Created::id))
                .map(Created::id)
                .toList();
    }
}
