package dev.netmeter.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.error.PolicyNotAuthorizedException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyTest {
    private static final ProjectId MINE = new ProjectId("p-mine");
    private static final ProjectId THEIRS = new ProjectId("p-theirs");
    private static final RequestContext ADMIN = new RequestContext(MINE, "u-admin", Set.of("Admin", "member"));
    private static final RequestContext MEMBER = new RequestContext(MINE, "u-member", Set.of("member", "reader"));
    private static final RequestContext AGENT = new RequestContext(MINE, "u-agent", Set.of("agent"));

    @ParameterizedTest(name = "{0} by {1} on {2}: {3}")
    @CsvSource({
            // Neutron's defaults: admin-only writes, admin-or-owner reads (case 44-52 of the transcript)
            "create_metering_label,        member, mine,   false",
            "create_metering_label,        admin,  theirs, true",
            "create_metering_label:shared, member, mine,   false",
            "create_metering_label:shared, admin,  mine,   true",
            "get_metering_label,           member, mine,   true",
            "get_metering_label,           member, theirs, false",
            "get_metering_label,           admin,  theirs, true",
            "delete_metering_label,        member, mine,   false",
            "get_metering_label_rule,      member, mine,   true",
            "get_metering_label_rule,      member, theirs, false",
            "create_metering_label_rule,   member, mine,   false",
            "delete_metering_label_rule,   admin,  theirs, true",
            // ours: billing cycles are read like a project's resources and changed by admins only
            "get_metering_billing_cycle,    member, mine,   true",
            "get_metering_billing_cycle,    member, theirs, false",
            "get_metering_billing_cycle,    admin,  theirs, true",
            "update_metering_billing_cycle, member, mine,   false",
            "update_metering_billing_cycle, admin,  theirs, true",
            // ours: statements are read like a project's resources
            "get_metering_statement,        member, mine,   true",
            "get_metering_statement,        member, theirs, false",
            "get_metering_statement,        admin,  theirs, true",
            // ours: the agents' last reports span every project
            "get_metering_agents,           member, mine,   false",
            "get_metering_agents,           admin,  mine,   true",
    })
    void neutrons_defaults_let_admins_write_and_owners_read(String action, String who, String owner, boolean allowed) {
        RequestContext caller = who.equals("admin") ? ADMIN : MEMBER;
        assertThat(Policy.defaults().allows(action, caller, owner.equals("mine") ? MINE : THEIRS)).isEqualTo(allowed);
    }

    @Test
    void role_names_compare_case_insensitively_as_in_oslo() {
        Policy policy = Policy.withOverrides(Map.of("create_metering_label", "role:ADMIN"));
        assertThat(policy.allows("create_metering_label", ADMIN, THEIRS)).isTrue();   // held as "Admin"
    }

    @ParameterizedTest(name = "{0}: member mine={1}, member theirs={2}, admin theirs={3}")
    @CsvSource(delimiter = '|', value = {
            // the empty check string and @ allow everyone; ! no one
            "''                                                        | true  | true  | true",
            "@                                                         | true  | true  | true",
            "!                                                         | false | false | false",
            // Zed's new defaults (enforce_new_defaults = True): owners need the reader role
            "role:admin or (role:reader and project_id:%(project_id)s) | true  | false | true",
            "(role:admin) or (role:reader and project_id:%(project_id)s) | true | false | true",
            "tenant_id:%(tenant_id)s                                   | true  | false | false",
            "project_id:%(tenant_id)s                                  | true  | false | false",
            "not rule:context_is_admin                                 | true  | true  | false",
            // not binds tighter than and, and tighter than or
            "not role:admin and role:member                            | true  | true  | false",
            "role:admin or role:member and project_id:%(project_id)s   | true  | false | true",
            "is_admin:True                                             | false | false | true",
            "is_admin:False                                            | true  | true  | false",
            "project_id:p-mine                                         | true  | true  | true",
            "user_id:u-member                                          | true  | true  | false",
            "role:'reader'                                             | true  | true  | false",
            "role:admin OR role:member                                 | true  | true  | true",
    })
    void check_strings_evaluate_as_oslo_policy_does(String check, boolean memberMine, boolean memberTheirs,
                                                     boolean adminTheirs) {
        Policy policy = Policy.withOverrides(Map.of("get_metering_label", check));
        assertThat(policy.allows("get_metering_label", MEMBER, MINE)).as("member, own").isEqualTo(memberMine);
        assertThat(policy.allows("get_metering_label", MEMBER, THEIRS)).as("member, other").isEqualTo(memberTheirs);
        assertThat(policy.allows("get_metering_label", ADMIN, THEIRS)).as("admin, other").isEqualTo(adminTheirs);
    }

    @Test
    void an_override_of_a_named_rule_changes_every_rule_that_refers_to_it() {
        Policy policy = Policy.withOverrides(Map.of("context_is_admin", "role:admin or role:agent"));
        assertThat(policy.allows("create_metering_label", AGENT, THEIRS)).isTrue();
        assertThat(policy.allows("get_metering_label_rule", AGENT, THEIRS)).isTrue();
        assertThat(Policy.defaults().allows("create_metering_label", AGENT, THEIRS)).isFalse();
    }

    @Test
    void lists_are_scoped_to_what_the_get_rule_admits() {
        Policy defaults = Policy.defaults();
        assertThat(defaults.readable("get_metering_label", ADMIN)).isEqualTo(Policy.Scope.ALL);
        assertThat(defaults.readable("get_metering_label", MEMBER)).isEqualTo(Policy.Scope.OWN_PROJECT);
        Policy readerOnly = Policy.withOverrides(Map.of("get_metering_label",
                "role:admin or (role:reader and project_id:%(project_id)s)"));
        assertThat(readerOnly.readable("get_metering_label", AGENT)).isEqualTo(Policy.Scope.NONE);
        assertThat(readerOnly.readable("get_metering_label", MEMBER)).isEqualTo(Policy.Scope.OWN_PROJECT);
        Policy everyone = Policy.withOverrides(Map.of("get_metering_label", "@"));
        assertThat(everyone.readable("get_metering_label", MEMBER)).isEqualTo(Policy.Scope.ALL);
        // foreign but not own: listing nothing is a deny, never a leak
        Policy odd = Policy.withOverrides(Map.of("get_metering_label", "not rule:owner"));
        assertThat(odd.readable("get_metering_label", MEMBER)).isEqualTo(Policy.Scope.NONE);
    }

    @Test
    void enforce_names_the_rule_as_neutron_does() {
        assertThatThrownBy(() -> Policy.defaults().enforce("delete_metering_label", MEMBER, MINE))
                .isInstanceOf(PolicyNotAuthorizedException.class)
                .hasMessage("rule:delete_metering_label is disallowed by policy");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "rule:nowhere                              | rule 'nowhere', which is not defined",
            "role:admin and                            | the check string ends where a check was expected",
            "(role:admin                               | a '(' is not closed",
            "role:admin)                               | unexpected ')'",
            "role:admin role:member                    | unexpected 'role:member'",
            "admin                                     | 'admin' is not a check (expected kind:match)",
            "field:networks:shared=True                | unsupported check 'field:networks:shared=True'",
            "project_id:%(network:tenant_id)s          | unsupported check 'project_id:%(network:tenant_id)s'",
            "user_id:%(user_id)s                       | unsupported check 'user_id:%(user_id)s'",
            "or role:admin                             | unexpected 'or'",
            // kinds are case-sensitive in oslo (only the keywords are not)
            "ROLE:admin                                | unsupported check 'ROLE:admin'",
    })
    void a_rule_that_does_not_compile_is_refused_with_its_name(String check, String reason) {
        assertThatThrownBy(() -> Policy.withOverrides(Map.of("get_metering_label", check)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining("get_metering_label");
    }

    @Test
    void a_rule_that_refers_to_itself_is_refused() {
        assertThatThrownBy(() -> Policy.withOverrides(Map.of("admin_only", "rule:admin_or_owner",
                "admin_or_owner", "rule:admin_only")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refers to itself");
    }

    @Test
    void rules_no_action_uses_may_be_anything_neutron_has() {
        Policy policy = Policy.withOverrides(Map.of("create_network:shared", "field:networks:shared=True"));
        assertThat(policy.allows("get_metering_label", MEMBER, MINE)).isTrue();
    }

    @Test
    void policies_are_equal_when_their_actions_compile_to_the_same_checks() {
        assertThat(Policy.withOverrides(Map.of("get_metering_label",
                "rule:context_is_admin or tenant_id:%(tenant_id)s")))
                .isEqualTo(Policy.defaults()).hasSameHashCodeAs(Policy.defaults());
        assertThat(Policy.withOverrides(Map.of("get_metering_label", "@"))).isNotEqualTo(Policy.defaults());
    }
}
