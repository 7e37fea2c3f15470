package dev.netmeter.persistence.jdbi;

import static dev.netmeter.domain.Direction.EGRESS;
import static dev.netmeter.domain.Direction.INGRESS;
import static dev.netmeter.persistence.jdbi.TestData.ADMIN;
import static dev.netmeter.persistence.jdbi.TestData.member;
import static dev.netmeter.persistence.jdbi.TestData.remote;
import static dev.netmeter.persistence.jdbi.TestData.sourceAndDestination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.NewLabel;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.query.LabelField;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.domain.query.PageRequest;
import dev.netmeter.domain.query.RuleField;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.RequestContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lists: filters, a total order that is the same on every database (nulls first ascending, last
 * descending, text compared byte-wise), keyset pages in both directions, and the caller's project scope.
 * The expected order is computed here from the documented rules ({@link ListOrder}) and, once, written out.
 */
abstract class ListingContract extends DatabaseContract {

    ListingContract(Backend backend) {
        super(backend);
    }

    @Test
    void filters_labels_by_any_of_several_values_of_a_field_and_by_a_boolean() {
        MeteringLabel a = data.label("p1", "a", true);
        MeteringLabel b = data.label("p2", "b", false);
        MeteringLabel c = data.label("p3", "c", true);
        MeteringLabel d = data.label("p1", "d", false);

        assertThat(labels.list(ADMIN, labelQuery(Map.of(LabelField.PROJECT_ID, List.of("p1", "p3")))))
                .containsExactly(a, c, d);
        assertThat(labels.list(ADMIN, labelQuery(Map.of(LabelField.SHARED, List.of(true))))).containsExactly(a, c);
        assertThat(labels.list(ADMIN, labelQuery(Map.of(LabelField.SHARED, List.of(true, false)))))
                .containsExactly(a, b, c, d);
        assertThat(labels.list(ADMIN, labelQuery(Map.of(
                LabelField.PROJECT_ID, List.of("p1", "p3"), LabelField.SHARED, List.of(false))))).containsExactly(d);
        assertThat(labels.list(ADMIN, labelQuery(Map.of(LabelField.NAME, List.of("b", "B", "zzz")))))
                .containsExactly(b);
    }

    @Test
    void filters_rules_by_label_direction_flag_and_prefix() {
        List<MeteringLabelRule> all = createRules();
        LabelId first = all.getFirst().labelId();

        assertThat(list(ADMIN, Map.of(RuleField.LABEL_ID, List.of(first.toString()))))
                .isEqualTo(all.stream().filter(rule -> rule.labelId().equals(first)).toList());
        assertThat(list(ADMIN, Map.of(RuleField.DIRECTION, List.of("egress"), RuleField.EXCLUDED, List.of(true))))
                .isEqualTo(all.stream().filter(rule -> rule.direction() == EGRESS && rule.excluded()).toList());
        assertThat(list(ADMIN, Map.of(RuleField.REMOTE_IP_PREFIX, List.of("10.0.0.0/24", "9.0.0.0/8"))))
                .extracting(rule -> rule.remoteIpPrefix().orElseThrow().text())
                .containsExactly("10.0.0.0/24", "10.0.0.0/24", "9.0.0.0/8");
        assertThat(list(ADMIN, Map.of(RuleField.DIRECTION, List.of("INGRESS")))).isEmpty();
    }

    /**
     * A field that may take no value matches nothing. The API builds such a filter when {@code tenant_id} and
     * {@code project_id} ask for different projects (it intersects them).
     */
    @Test
    void a_filter_with_no_values_matches_nothing() {
        createRules();

        assertThat(labels.list(ADMIN, labelQuery(Map.of(LabelField.PROJECT_ID, List.of())))).isEmpty();
        assertThat(list(ADMIN, Map.of(RuleField.DIRECTION, List.of()))).isEmpty();
        assertThat(list(member("p1"), Map.of(RuleField.LABEL_ID, List.of(), RuleField.EXCLUDED, List.of(false))))
                .isEmpty();
    }

    /**
     * Text is compared exactly, by code point: case, accents and trailing spaces count (MariaDB's PAD SPACE
     * collations would find "a " for "a"). Known divergence, not covered: H2 compares UTF-16 units, so it puts
     * U+10000 and above before U+E000 to U+FFFF, and H2 has no code point collation (CHARSET_UTF8 compares
     * signed bytes, which is worse).
     */
    @ParameterizedTest(name = "sorted {0}")
    @CsvSource({"asc", "desc"})
    void compares_names_exactly_and_by_code_point(String direction) {
        List<String> names = List.of("a", "a ", "A", "b", "é", "e", "\uD83D\uDE00", "", " a", "a\t");
        List<MeteringLabel> created = names.stream().map(name -> data.label("p1", name, false)).toList();
        var sort = ListOrder.sort(LabelField.class, "name " + direction);

        assertThat(labels.list(ADMIN, labelQuery(Map.of(LabelField.NAME, List.of("a")))))
                .extracting(MeteringLabel::name).containsExactly("a");
        assertThat(labels.list(ADMIN, new ListQuery<LabelField>(Map.of(), sort, Optional.empty(), Optional.empty())))
                .extracting(MeteringLabel::name)
                .isEqualTo(ListOrder.labels(created, sort).stream().map(MeteringLabel::name).toList());
    }

    /**
     * Pinned once in full: prefixes sort by address, as Neutron sorts its netaddr objects (IPv4 before
     * IPv6, then network, then length), not as text, which would put 9.0.0.0/8 after 2001:db8::/32.
     */
    @Test
    void sorts_a_nullable_prefix_with_nulls_first_ascending_and_last_descending_by_address() {
        createRules();
        List<String> ascending = Arrays.asList(null, null, null, null,
                "1.2.3.0/24", "9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/24", "10.0.0.0/24", "100.0.0.0/8",
                "2001:db8::/32", "2001:db8:1::/48");
        List<String> descending = new ArrayList<>(ascending);
        Collections.reverse(descending);

        assertThat(remotes(sorted("remote_ip_prefix asc"))).isEqualTo(ascending);
        assertThat(remotes(sorted("remote_ip_prefix desc"))).isEqualTo(descending);
    }

    @ParameterizedTest(name = "sort by {0}")
    @CsvSource(delimiter = '|', textBlock = """
            remote_ip_prefix asc
            remote_ip_prefix desc
            source_ip_prefix desc, direction asc
            destination_ip_prefix asc, excluded desc
            excluded desc, remote_ip_prefix desc
            direction asc, source_ip_prefix asc, destination_ip_prefix desc
            label_id desc, id desc
            """)
    void sorts_rules_in_the_documented_total_order(String sort) {
        List<MeteringLabelRule> all = createRules();

        assertThat(sorted(sort)).isEqualTo(ListOrder.rules(all, ListOrder.sort(RuleField.class, sort)));
    }

    @ParameterizedTest(name = "sort by {0}, {1} per page")
    @CsvSource(delimiter = '|', textBlock = """
            remote_ip_prefix asc                    | 1
            remote_ip_prefix asc                    | 3
            remote_ip_prefix desc                   | 2
            remote_ip_prefix desc                   | 4
            source_ip_prefix desc, direction asc    | 3
            destination_ip_prefix asc, excluded desc | 5
            excluded desc, remote_ip_prefix desc    | 1
            label_id asc                            | 4
            id desc                                 | 12
            id asc                                  | 100
            """)
    void walking_rule_pages_forward_or_backward_reproduces_the_whole_list(String sort, int limit) {
        createRules();
        List<MeteringLabelRule> whole = sorted(sort);

        assertThat(walk(limit, false, page -> rules.list(ADMIN, query(Map.of(), sort, page)))).isEqualTo(whole);
        assertThat(walk(limit, true, page -> rules.list(ADMIN, query(Map.of(), sort, page)))).isEqualTo(whole);
    }

    @ParameterizedTest(name = "sort by {0}, {1} per page")
    @CsvSource(delimiter = '|', textBlock = """
            name asc            | 2
            name desc, shared asc | 3
            shared desc, project_id asc, name desc | 1
            description asc     | 10
            """)
    void walking_label_pages_forward_or_backward_reproduces_the_whole_list(String sort, int limit) {
        for (int i = 0; i < 9; i++) {
            labels.create(ADMIN, List.of(new NewLabel(new ProjectId(
                    "p" + i % 2), "name-" + i % 4, i % 3 == 0 ? "" : "d" + i, i % 2 == 0)));
        }
        var fields = ListOrder.sort(LabelField.class, sort);
        List<MeteringLabel> whole = labels.list(ADMIN, new ListQuery<LabelField>(Map.of(), fields, Optional.empty(),
                Optional.empty()));

        assertThat(whole).isEqualTo(ListOrder.labels(labels.list(ADMIN, ALL_LABELS), fields));
        for (boolean reverse : List.of(false, true)) {
            assertThat(walk(limit, reverse, page -> labels.list(ADMIN, new ListQuery<LabelField>(Map.of(), fields,
                    Optional.of(page), Optional.empty())))).isEqualTo(whole);
        }
    }

    @Test
    void a_marker_that_names_no_visible_item_yields_an_empty_page() {
        List<MeteringLabelRule> all = createRules();
        String unknown = UUID.randomUUID().toString();
        MeteringLabelRule othersRule = all.stream().filter(rule -> !isOwnedByP1(rule)).findFirst().orElseThrow();

        for (boolean reverse : List.of(false, true)) {
            var page = new PageRequest(3, Optional.of(unknown), reverse);
            assertThat(rules.list(ADMIN, query(Map.of(), "id asc", page))).isEmpty();
            assertThat(labels.list(ADMIN, new ListQuery<LabelField>(Map.of(), List.of(), Optional.of(page),
                    Optional.empty())))
                    .isEmpty();
            var othersMarker = new PageRequest(3, Optional.of(othersRule.id().toString()), reverse);
            assertThat(rules.list(member("p1"), query(Map.of(), "id asc", othersMarker))).isEmpty();
        }
    }

    @Test
    void a_member_lists_only_its_own_labels_and_the_rules_of_its_own_labels() {
        List<MeteringLabelRule> all = createRules();
        List<MeteringLabel> allLabels = labels.list(ADMIN, ALL_LABELS);
        RequestContext p1 = member("p1");

        assertThat(labels.list(p1, ALL_LABELS))
                .isEqualTo(allLabels.stream().filter(label -> label.projectId().value().equals("p1")).toList())
                .isNotEmpty();
        assertThat(rules.list(p1, ALL_RULES)).isEqualTo(all.stream().filter(this::isOwnedByP1).toList()).isNotEmpty();
        assertThat(labels.list(p1, labelQuery(Map.of(LabelField.PROJECT_ID, List.of("p2"))))).isEmpty();
        assertThat(rules.list(member("p9"), ALL_RULES)).isEmpty();
        assertThat(walk(2, false, page -> rules.list(p1, query(Map.of(RuleField.EXCLUDED, List.of(false)),
                "remote_ip_prefix desc", page))))
                .isEqualTo(ListOrder.rules(all.stream().filter(this::isOwnedByP1).filter(rule -> !rule.excluded())
                        .toList(), ListOrder.sort(RuleField.class, "remote_ip_prefix desc")));
    }

    /**
     * Twelve rules over three labels (two of project p1, one of p2): every prefix column has nulls and a
     * duplicate, and the texts disagree between byte order and a locale's order. Returned in creation order.
     */
    private List<MeteringLabelRule> createRules() {
        LabelId one = data.label("p1");
        LabelId two = data.label("p2");
        LabelId three = data.label("p1");
        return rules.create(ADMIN, List.of(
                remote(one, INGRESS, "10.0.0.0/24"),
                remote(one, INGRESS, "100.0.0.0/8"),
                remote(one, EGRESS, "10.0.0.0/8"),
                sourceAndDestination(one, INGRESS, "10.0.0.0/8", null),
                sourceAndDestination(one, EGRESS, null, "192.168.0.0/16"),
                remote(two, INGRESS, "10.0.0.0/24"),
                remote(two, INGRESS, true, "1.2.3.0/24"),
                remote(two, EGRESS, true, "2001:db8::/32"),
                remote(two, INGRESS, "2001:db8:1::/48"),
                sourceAndDestination(three, INGRESS, "2001:db8::/64", "2001:db8:1::/64"),
                sourceAndDestination(three, EGRESS, "10.0.0.0/8", "192.168.0.0/16"),
                remote(three, INGRESS, "9.0.0.0/8")));
    }

    private boolean isOwnedByP1(MeteringLabelRule rule) {
        return labels.get(ADMIN, rule.labelId().toString()).projectId().value().equals("p1");
    }

    private List<MeteringLabelRule> sorted(String sort) {
        return rules.list(ADMIN, new ListQuery<RuleField>(Map.of(), ListOrder.sort(RuleField.class, sort),
                Optional.empty(), Optional.empty()));
    }

    private List<MeteringLabelRule> list(RequestContext caller, Map<RuleField, List<Object>> filters) {
        return rules.list(caller, new ListQuery<>(filters, List.of(), Optional.empty(), Optional.empty()));
    }

    private static ListQuery<RuleField> query(Map<RuleField, List<Object>> filters, String sort, PageRequest page) {
        return new ListQuery<>(filters, ListOrder.sort(RuleField.class, sort), Optional.of(page), Optional.empty());
    }

    private static ListQuery<LabelField> labelQuery(Map<LabelField, List<Object>> filters) {
        return new ListQuery<>(filters, List.of(), Optional.empty(), Optional.empty());
    }

    private static List<String> remotes(List<MeteringLabelRule> rules) {
        return rules.stream().map(rule -> rule.remoteIpPrefix().map(Cidr::text).orElse(null)).toList();
    }

    /**
     * Every item, read page by page as a client would: forward from the start with the last item as the next
     * marker, or backward ({@code page_reverse}) from the end with the first item as the next marker.
     */
    private static <T> List<T> walk(int limit, boolean reverse, Function<PageRequest, List<T>> pageOf) {
        List<T> walked = new ArrayList<>();
        Optional<String> marker = Optional.empty();
        for (int pages = 0; pages < 1_000; pages++) {
            List<T> page = pageOf.apply(new PageRequest(limit, marker, reverse));
            assertThat(page).hasSizeLessThanOrEqualTo(limit);
            walked.addAll(reverse ? 0 : walked.size(), page);
            if (page.size() < limit) {
                return walked;
            }
            marker = Optional.of(ListOrder.id(reverse ? page.getFirst() : page.getLast()));
        }
        throw new AssertionError("the walk did not end");
    }
}
