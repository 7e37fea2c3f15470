package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.service.Policy;
import dev.netmeter.service.RequestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyFileTest {
    private static final RequestContext MEMBER = new RequestContext(new ProjectId("p1"), "u1", Set.of("member"));

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void reads_policy_yaml_as_oslopolicy_sample_generator_writes_it() throws IOException {
        Path file = write("policy.yaml", """
                # metering overrides
                ---
                "create_metering_label": "rule:admin_only or (role:member and project_id:%(project_id)s)"
                'get_metering_label': 'rule:admin_or_owner'   # unchanged
                delete_metering_label: rule:admin_only
                create_metering_label:shared: "!"
                #"create_metering_label_rule": "rule:admin_only"

                "create_network:shared": "field:networks:shared=True"
                """);

        assertThat(PolicyFile.read(file)).containsExactly(
                Map.entry("create_metering_label", "rule:admin_only or (role:member and project_id:%(project_id)s)"),
                Map.entry("get_metering_label", "rule:admin_or_owner"),
                Map.entry("delete_metering_label", "rule:admin_only"),
                Map.entry("create_metering_label:shared", "!"),
                Map.entry("create_network:shared", "field:networks:shared=True"));
        Policy policy = PolicyFile.load(file);
        assertThat(policy.allows(Policy.CREATE_LABEL, MEMBER, new ProjectId("p1"))).isTrue();
        assertThat(policy.allows(Policy.CREATE_LABEL, MEMBER, new ProjectId("p2"))).isFalse();
    }

    @Test
    void reads_policy_json() throws IOException {
        Path file = write("policy.json", "{\"get_metering_label\": \"@\"}");

        assertThat(PolicyFile.load(file).readable(Policy.GET_LABEL, MEMBER)).isEqualTo(Policy.Scope.ALL);
    }

    @Test
    void the_sample_lists_every_default_and_reads_back_as_no_change() throws IOException {
        String sample = PolicyFile.sample();
        Policy.defaultRules().keySet().forEach(name -> assertThat(sample).contains("#\"" + name + "\":"));

        Path uncommented = write("all.yaml", sample.replace("#\"", "\""));
        assertThat(PolicyFile.read(uncommented)).isEqualTo(Policy.defaultRules());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "policy.yaml | `\"get_metering_label\": \"@\"\nget_metering_label: \"!\"\n`  | line 2:",
            "policy.json | `{\"get_metering_label\": \"@\",\n \"get_metering_label\": \"!\"}` | line 2:",
    })
    void a_rule_given_twice_is_refused_naming_it(String name, String text, String place) throws IOException {
        Path file = write(name, text);

        assertThatThrownBy(() -> PolicyFile.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(place)
                .hasMessageContaining("get_metering_label").hasMessageContaining("given only once");
    }

    @Test
    void a_block_scalar_that_strips_its_line_break_is_refused_too() throws IOException {
        Path file = write("policy.yaml", "\"get_metering_label\": >-\n  rule:admin_only\n");

        assertThatThrownBy(() -> PolicyFile.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1: not a rule on one line");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`\"get_metering_label\": >\n  rule:admin_only\n`  | line 1: not a rule on one line",
            "`\"get_metering_label\":\n  \"rule:admin_only\"\n` | line 1: not a rule on one line",
            "`\"get_metering_label\": \"@\"\n  more\n`          | line 2: not a rule on one line",
            "`\"get_metering_label\" \"rule:admin_only\"\n`      | line 1: not a rule on one line",
            "`\"get_metering_label: \"@\"\n`                     | line 1: not a rule on one line",
            "`\"get_metering_label\": \"@\" extra\n`             | line 1: not a rule on one line",
            // YAML reads a plain ! as a tag, not as oslo's "never": it must be quoted
            "`get_metering_label: !\n`                         | line 1: not a rule on one line",
            "`\"get_metering_label\": \"rule:nowhere\"\n`        | rule 'get_metering_label' refers to rule 'nowhere'",
            "`{\"get_metering_label\": 1}`                     | rule 'get_metering_label' is not a string",
            "`{\"get_metering_label\": `                       | is not valid JSON",
    })
    void what_it_cannot_read_exactly_it_refuses_with_the_place(String text, String reason) throws IOException {
        Path file = write("bad", text);

        assertThatThrownBy(() -> PolicyFile.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(reason);
    }
}
