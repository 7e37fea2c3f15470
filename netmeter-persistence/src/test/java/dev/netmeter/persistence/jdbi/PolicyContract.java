package dev.netmeter.persistence.jdbi;

import static dev.netmeter.domain.Direction.INGRESS;
import static dev.netmeter.persistence.jdbi.TestData.ADMIN;
import static dev.netmeter.persistence.jdbi.TestData.member;
import static dev.netmeter.persistence.jdbi.TestData.remote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.NewLabel;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.error.MeteringLabelNotFoundException;
import dev.netmeter.domain.error.MeteringLabelRuleNotFoundException;
import dev.netmeter.domain.error.PolicyNotAuthorizedException;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.RequestContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Neutron's default metering policy (neutron/conf/policies/metering.py): only the admin writes; a member
 * reads its own project's labels and their rules; another project's are not found (404), never forbidden.
 */
abstract class PolicyContract extends DatabaseContract {
    private static final RequestContext P1 = member("p1");

    PolicyContract(Backend backend) {
        super(backend);
    }

    @Test
    void a_member_may_not_create_a_label_even_in_its_own_project() {
        var request = List.of(new NewLabel(new ProjectId("p1"), "mine", "", false));

        assertThatThrownBy(() -> labels.create(P1, request))
                .isInstanceOfSatisfying(PolicyNotAuthorizedException.class, e -> assertThat(e.type())
                        .isEqualTo("PolicyNotAuthorized"))
                .hasMessage("rule:create_metering_label is disallowed by policy");
        assertThat(labels.list(ADMIN, ALL_LABELS)).isEmpty();
    }

    @Test
    void a_member_may_not_create_a_rule_even_in_its_own_label() {
        LabelId own = data.label("p1");

        assertThatThrownBy(() -> rules.create(P1, List.of(remote(own, INGRESS, "10.0.0.0/24"))))
                .isInstanceOf(PolicyNotAuthorizedException.class)
                .hasMessage("rule:create_metering_label_rule is disallowed by policy");
        assertThat(rules.list(ADMIN, ALL_RULES)).isEmpty();
    }

    @Test
    void a_member_creating_a_rule_in_another_projects_label_finds_no_label() {
        LabelId others = data.label("p2");

        assertThatThrownBy(() -> rules.create(P1, List.of(remote(others, INGRESS, "10.0.0.0/24"))))
                .isInstanceOf(MeteringLabelNotFoundException.class)
                .hasMessage("Metering label '%s' does not exist.", others);
    }

    @Test
    void a_member_reads_its_own_label_and_its_rules() {
        MeteringLabel own = data.label("p1", "mine", false);
        MeteringLabelRule rule = data.rule(remote(own.id(), INGRESS, "10.0.0.0/24"));

        assertThat(labels.get(P1, own.id().toString())).isEqualTo(own);
        assertThat(rules.get(P1, rule.id().toString())).isEqualTo(rule);
    }

    @Test
    void a_member_reading_another_projects_label_or_rule_finds_nothing() {
        MeteringLabel others = data.label("p2", "theirs", true);
        MeteringLabelRule rule = data.rule(remote(others.id(), INGRESS, "10.0.0.0/24"));

        assertThatThrownBy(() -> labels.get(P1, others.id().toString()))
                .isInstanceOf(MeteringLabelNotFoundException.class)
                .hasMessage("Metering label '%s' does not exist.", others.id());
        assertThatThrownBy(() -> rules.get(P1, rule.id().toString()))
                .isInstanceOf(MeteringLabelRuleNotFoundException.class)
                .hasMessage("Metering label rule '%s' does not exist.", rule.id());
    }

    @Test
    void a_member_may_not_delete_its_own_label_or_rule() {
        MeteringLabel own = data.label("p1", "mine", false);
        MeteringLabelRule rule = data.rule(remote(own.id(), INGRESS, "10.0.0.0/24"));

        assertThatThrownBy(() -> labels.delete(P1, own.id().toString()))
                .isInstanceOf(PolicyNotAuthorizedException.class)
                .hasMessage("rule:delete_metering_label is disallowed by policy");
        assertThatThrownBy(() -> rules.delete(P1, rule.id().toString()))
                .isInstanceOf(PolicyNotAuthorizedException.class)
                .hasMessage("rule:delete_metering_label_rule is disallowed by policy");
        assertThat(labels.list(ADMIN, ALL_LABELS)).containsExactly(own);
        assertThat(rules.list(ADMIN, ALL_RULES)).containsExactly(rule);
    }

    @Test
    void a_member_deleting_another_projects_label_or_rule_finds_nothing() {
        MeteringLabel others = data.label("p2", "theirs", false);
        MeteringLabelRule rule = data.rule(remote(others.id(), INGRESS, "10.0.0.0/24"));

        assertThatThrownBy(() -> labels.delete(P1, others.id().toString()))
                .isInstanceOf(MeteringLabelNotFoundException.class);
        assertThatThrownBy(() -> rules.delete(P1, rule.id().toString()))
                .isInstanceOf(MeteringLabelRuleNotFoundException.class);
        assertThat(rules.list(ADMIN, ALL_RULES)).containsExactly(rule);
    }

    @Test
    void the_admin_reads_and_deletes_every_projects_labels() {
        MeteringLabel others = data.label("p2", "theirs", false);

        assertThat(labels.get(ADMIN, others.id().toString())).isEqualTo(others);
        labels.delete(ADMIN, others.id().toString());
        assertThat(labels.list(ADMIN, ALL_LABELS)).isEmpty();
    }
}
