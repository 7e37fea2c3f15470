package dev.netmeter.persistence.jdbi;

import static dev.netmeter.domain.Direction.EGRESS;
import static dev.netmeter.domain.Direction.INGRESS;
import static dev.netmeter.persistence.jdbi.TestData.ADMIN;
import static dev.netmeter.persistence.jdbi.TestData.remote;
import static dev.netmeter.persistence.jdbi.TestData.sourceAndDestination;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.NewLabel;
import dev.netmeter.domain.NewRule;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RuleId;
import dev.netmeter.domain.error.MeteringException;
import dev.netmeter.domain.error.MeteringLabelNotFoundException;
import dev.netmeter.domain.error.MeteringLabelRuleNotFoundException;
import dev.netmeter.domain.error.MeteringLabelRuleOverlapsException;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.ChangeSignal;
import dev.netmeter.service.MeteringLabelService;
import dev.netmeter.service.Policy;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bulk creation is one transaction; deleting a label deletes its rules; missing things are 404s. */
abstract class RuleWriteContract extends DatabaseContract {

    RuleWriteContract(Backend backend) {
        super(backend);
    }

    @Test
    void creates_every_rule_of_a_bulk_request_and_returns_them_in_request_order() {
        LabelId first = data.label("p1");
        LabelId second = data.label("p1");
        List<NewRule> request = List.of(
                remote(second, INGRESS, "10.0.0.0/24"),
                remote(first, INGRESS, "10.0.0.0/24"),
                sourceAndDestination(second, EGRESS, "10.0.0.0/8", null),
                remote(second, INGRESS, "10.0.1.0/24"));

        List<MeteringLabelRule> created = rules.create(ADMIN, request);

        assertThat(created).extracting(rule -> rule.labelId()).containsExactly(second, first, second, second);
        assertThat(rules.list(ADMIN, ALL_RULES)).containsExactlyInAnyOrderElementsOf(created);
    }

    @Test
    void stores_nothing_of_a_bulk_request_whose_second_rule_overlaps_the_first() {
        LabelId label = data.label("p1");
        List<NewRule> request = List.of(
                remote(label, INGRESS, "10.0.0.0/24"),
                remote(label, INGRESS, "10.0.0.128/25"),
                remote(label, INGRESS, "10.9.0.0/24"));

        assertThatThrownBy(() -> rules.create(ADMIN, request))
                .isInstanceOf(MeteringLabelRuleOverlapsException.class)
                .hasMessageContaining("'10.0.0.128/25'");
        assertThat(rules.list(ADMIN, ALL_RULES)).isEmpty();
    }

    @Test
    void stores_nothing_of_a_bulk_request_that_names_a_missing_label_in_the_middle() {
        LabelId label = data.label("p1");
        LabelId missing = new LabelId(UUID.randomUUID());
        List<NewRule> request = List.of(
                remote(label, INGRESS, "10.0.0.0/24"),
                remote(missing, INGRESS, "10.1.0.0/24"),
                remote(label, EGRESS, "10.2.0.0/24"));

        assertThatThrownBy(() -> rules.create(ADMIN, request))
                .isInstanceOf(MeteringLabelNotFoundException.class)
                .hasMessage("Metering label '%s' does not exist.", missing);
        assertThat(rules.list(ADMIN, ALL_RULES)).isEmpty();
    }

    /** The same id twice makes the second insert fail in the database, after the first one succeeded. */
    @Test
    void stores_nothing_of_a_bulk_label_request_whose_second_insert_fails() {
        UUID reused = UUID.randomUUID();
        var sameIdTwice = new MeteringLabelService(transactor, Policy.defaults(), () -> reused, ChangeSignal.NONE);
        NewLabel label = new NewLabel(new ProjectId("p1"), "twin", "", false);

        assertThatThrownBy(() -> sameIdTwice.create(ADMIN, List.of(label, label)))
                .isNotInstanceOf(MeteringException.class);
        assertThat(labels.list(ADMIN, ALL_LABELS)).isEmpty();
    }

    @Test
    void deleting_a_label_deletes_its_rules_and_only_them() {
        LabelId doomed = data.label("p1");
        LabelId kept = data.label("p1");
        List<MeteringLabelRule> doomedRules = rules.create(ADMIN, List.of(
                remote(doomed, INGRESS, "10.0.0.0/24"),
                remote(doomed, EGRESS, true, "10.0.0.0/24"),
                sourceAndDestination(doomed, INGRESS, "10.0.0.0/8", "192.168.0.0/16")));
        MeteringLabelRule keptRule = data.rule(remote(kept, INGRESS, "10.0.0.0/24"));

        labels.delete(ADMIN, doomed.toString());

        assertThat(rules.list(ADMIN, ALL_RULES)).containsExactly(keptRule);
        for (MeteringLabelRule rule : doomedRules) {
            assertThatThrownBy(() -> rules.get(ADMIN, rule.id().toString()))
                    .isInstanceOf(MeteringLabelRuleNotFoundException.class);
        }
        assertThatThrownBy(() -> labels.get(ADMIN, doomed.toString()))
                .isInstanceOf(MeteringLabelNotFoundException.class);
    }

    @Test
    void a_rule_for_a_missing_label_is_a_missing_label() {
        LabelId missing = new LabelId(UUID.randomUUID());

        assertThatThrownBy(() -> data.rule(remote(missing, INGRESS, "10.0.0.0/24")))
                .isInstanceOf(MeteringLabelNotFoundException.class)
                .hasMessage("Metering label '%s' does not exist.", missing);
    }

    /** The repository translates this database's foreign-key violation, as Neutron maps DBReferenceError. */
    @Test
    void the_repository_turns_a_foreign_key_violation_into_a_missing_label() {
        LabelId missing = new LabelId(UUID.randomUUID());
        NewRule rule = remote(missing, INGRESS, "10.0.0.0/24");

        assertThatThrownBy(() -> transactor.inTransaction(repos -> {
            repos.rules().insert(MeteringLabelRule.of(new RuleId(UUID.randomUUID()), rule));
            return null;
        })).isInstanceOf(MeteringLabelNotFoundException.class);
    }

    @Test
    void deleting_twice_or_reading_a_malformed_id_is_not_found() {
        MeteringLabel label = data.label("p1", "once", false);
        MeteringLabelRule rule = data.rule(remote(label.id(), INGRESS, "10.0.0.0/24"));
        rules.delete(ADMIN, rule.id().toString());
        labels.delete(ADMIN, label.id().toString());

        assertThatThrownBy(() -> rules.delete(ADMIN, rule.id().toString()))
                .isInstanceOf(MeteringLabelRuleNotFoundException.class);
        assertThatThrownBy(() -> labels.delete(ADMIN, label.id().toString()))
                .isInstanceOf(MeteringLabelNotFoundException.class);
        assertThatThrownBy(() -> labels.get(ADMIN, "not-a-uuid"))
                .isInstanceOf(MeteringLabelNotFoundException.class)
                .hasMessage("Metering label 'not-a-uuid' does not exist.");
        assertThatThrownBy(() -> rules.get(ADMIN, "1-1-1-1-1"))
                .isInstanceOf(MeteringLabelRuleNotFoundException.class);
    }

    @Test
    void reads_a_label_back_exactly_as_it_was_written() {
        MeteringLabel created = labels.create(ADMIN, List.of(new NewLabel(new ProjectId("p1"),
                "Ünïcode name", "a description", true))).getFirst();

        assertThat(labels.get(ADMIN, created.id().toString().toUpperCase(Locale.ROOT))).isEqualTo(created);
    }
}
