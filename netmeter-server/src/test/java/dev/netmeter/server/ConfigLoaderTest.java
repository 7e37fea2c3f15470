package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.server.neutron.NeutronSettings;
import dev.netmeter.service.Policy;
import dev.netmeter.service.RequestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaults_run_the_embedded_database_on_neutrons_port_on_loopback_with_static_tokens() {
        ServerConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(9696);
        assertThat(config.auth().strategy()).isEqualTo(AuthSettings.Strategy.TOKEN);
        assertThat(config.auth().tokenFile()).isEqualTo(config.dataDir().resolve("tokens.json"));
        assertThat(config.auth().policy()).isEqualTo(Policy.defaults());
        assertThat(config.api().maxHeaderBytes()).isEqualTo(16384);
        assertThat(config.database().url()).startsWith("jdbc:h2:file:" + config.dataDir().resolve("netmeter"));
        assertThat(config.api().maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(config.api().paginationMaxLimit()).isEqualTo(-1);
        assertThat(config.api().agentReportInterval()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.usageRetention()).as("usage is kept for ever unless told").isEmpty();
        assertThat(config.neutron()).as("routers are kept through the API unless told").isEmpty();
    }

    @Test
    void routers_follow_neutron_as_the_keystone_service_user_or_in_noauth_mode() {
        ServerConfig keystone = ConfigLoader.load(Optional.empty(), Map.of("NETMETER_ROUTERS_SOURCE", "neutron",
                "NETMETER_NEUTRON_URL", "http://controller:9696/v2.0/", "NETMETER_KEYSTONE_AUTH_URL",
                "http://controller:5000", "NETMETER_KEYSTONE_USERNAME", "netmeter", "NETMETER_KEYSTONE_PASSWORD", "pw"),
                Map.of());
        NeutronSettings neutron = keystone.neutron().orElseThrow();
        assertThat(neutron.url()).hasToString("http://controller:9696");
        assertThat(neutron.keystone().orElseThrow().username()).isEqualTo("netmeter");
        assertThat(neutron.pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(neutron.maxRemovalShare()).isEqualTo(0.5);
        assertThat(keystone.auth().strategy()).as("callers are still identified by static tokens")
                .isEqualTo(AuthSettings.Strategy.TOKEN);

        ServerConfig noauth = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(Setting.ROUTERS_SOURCE, "neutron",
                Setting.NEUTRON_URL, "http://127.0.0.1:9797", Setting.NEUTRON_AUTH, "noauth",
                Setting.NEUTRON_POLL_INTERVAL, "5", Setting.NEUTRON_MAX_REMOVAL_SHARE, "0.1"));
        assertThat(noauth.neutron().orElseThrow().keystone()).isEmpty();
        assertThat(noauth.neutron().orElseThrow().pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(noauth.neutron().orElseThrow().maxRemovalShare()).isEqualTo(0.1);
    }

    @Test
    void a_bad_neutron_configuration_names_the_setting() {
        Map<Setting, String> neutron = Map.of(Setting.ROUTERS_SOURCE, "neutron", Setting.NEUTRON_AUTH, "noauth");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), neutron))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("neutron.url must be set");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of(Setting.ROUTERS_SOURCE, "nova")))
                .hasMessageStartingWith("routers.source: 'nova' is not one of api, neutron");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of(Setting.ROUTERS_SOURCE,
                "neutron", Setting.NEUTRON_URL, "http://controller:9696")))
                .hasMessageStartingWith("keystone.auth_url");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of(Setting.ROUTERS_SOURCE,
                "neutron", Setting.NEUTRON_URL, "http://controller:9696", Setting.KEYSTONE_URL, "http://k:5000")))
                .hasMessage("keystone.username must be set when neutron.auth=keystone");
        for (String share : new String[] {"1.5", "-0.1", "half", "NaN"}) {
            assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of(Setting.ROUTERS_SOURCE,
                    "neutron", Setting.NEUTRON_URL, "http://controller:9696", Setting.NEUTRON_AUTH, "noauth",
                    Setting.NEUTRON_MAX_REMOVAL_SHARE, share)))
                    .hasMessage("neutron.max_removal_share: '%s' is not a number from 0 to 1".formatted(share));
        }
    }

    @Test
    void usage_retention_is_in_days_and_bounded() {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of("NETMETER_USAGE_RETENTION_DAYS", "400"), Map.of())
                .usageRetention()).contains(Duration.ofDays(400));
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("NETMETER_USAGE_RETENTION_DAYS", "-1"),
                Map.of())).hasMessageStartingWith("usage.retention_days:");
    }

    @Test
    void the_command_line_beats_the_environment_which_beats_the_file() throws IOException {
        Path file = write("server.listen = 127.0.0.1:1111\napi.pagination_max_limit = 50\ndatabase.pool_size = 3\n"
                + "agent.report_interval = 600\n");

        ServerConfig config = ConfigLoader.load(Optional.of(file),
                Map.of("NETMETER_SERVER_LISTEN", "127.0.0.1:2222", "NETMETER_DATABASE_POOL_SIZE", "4"),
                Map.of(Setting.SERVER_LISTEN, "127.0.0.1:3333"));

        assertThat(config.port()).isEqualTo(3333);
        assertThat(config.database().poolSize()).isEqualTo(4);
        assertThat(config.api().paginationMaxLimit()).isEqualTo(50);
        assertThat(config.api().agentReportInterval()).as("the server flags agents by it")
                .isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void an_unknown_key_in_the_file_is_an_error_not_a_silent_default() throws IOException {
        Path file = write("database.pool_sise = 3\n");

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'database.pool_sise'");
    }

    @Test
    void noauth_refuses_to_listen_beyond_loopback() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of(Setting.SERVER_LISTEN, "0.0.0.0:9696", Setting.SERVER_AUTH, "noauth")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void ipv6_loopback_is_accepted_in_brackets() {
        ServerConfig config = ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of(Setting.SERVER_LISTEN, "[::1]:9000"));

        assertThat(config.host()).isEqualTo("::1");
        assertThat(config.port()).isEqualTo(9000);
    }

    @Test
    void bad_values_name_the_setting() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("NETMETER_DATABASE_POOL_SIZE", "many"),
                Map.of())).hasMessageStartingWith("database.pool_size: 'many' is not a whole number");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of(Setting.SERVER_LISTEN, "nohost")))
                .hasMessageStartingWith("server.listen:");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of(Setting.SERVER_AUTH, "magic")))
                .hasMessageStartingWith("server.auth: unknown strategy 'magic'");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("NETMETER_LOG_FORMAT", "xml"), Map.of()))
                .hasMessageStartingWith("log.format:");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of(Setting.DATABASE_URL, "jdbc:oracle:thin:@x"))).hasMessageContaining("unsupported database");
    }

    @Test
    void the_example_file_in_the_repository_documents_every_setting_at_its_default() throws IOException {
        Path example = Path.of("..", "netmeter.conf.example");

        assertThat(Files.readString(example)).isEqualTo(Setting.exampleFile());
        assertThat(ConfigLoader.load(Optional.of(example), Map.of(), Map.of()))
                .isEqualTo(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()));
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("netmeter.conf");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void a_policy_file_is_read_with_the_configuration_and_a_broken_one_is_a_configuration_error() throws IOException {
        Path policy = write("\"create_metering_label\": \"@\"\n");
        ServerConfig config = ConfigLoader.load(Optional.empty(),
                Map.of("NETMETER_AUTH_POLICY_FILE", policy.toString()),
                Map.of());
        RequestContext member = new RequestContext(new ProjectId("p1"), "u1", Set.of("member"));
        assertThat(config.auth().policy().allows(Policy.CREATE_LABEL, member, new ProjectId("p2"))).isTrue();

        Path broken = write("\"create_metering_label\": \"rule:nowhere\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(),
                Map.of("NETMETER_AUTH_POLICY_FILE", broken.toString()), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rule 'nowhere'");
    }

    @Test
    void token_authentication_may_listen_on_every_address() {
        ServerConfig config = ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of(Setting.SERVER_LISTEN, "0.0.0.0:9696"));

        assertThat(config.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void keystone_settings_come_from_the_file_and_the_password_from_the_environment() throws IOException {
        Path file = write("""
                server.auth = keystone
                keystone.auth_url = http://keystone.example.com:5000
                keystone.username = netmeter
                auth.token_cache_seconds = 60
                """);

        ServerConfig config = ConfigLoader.load(Optional.of(file), Map.of("NETMETER_KEYSTONE_PASSWORD", "s3cret"),
                Map.of());

        var keystone = config.auth().keystone().orElseThrow();
        assertThat(keystone.url()).hasToString("http://keystone.example.com:5000/v3");
        assertThat(keystone.password()).isEqualTo("s3cret");
        assertThat(keystone.projectName()).isEqualTo("service");
        assertThat(keystone.challenge()).isEqualTo("Keystone uri=\"http://keystone.example.com:5000\"");
        assertThat(keystone.toString()).doesNotContain("s3cret");
        assertThat(config.auth().tokenCacheTtl()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void keystone_without_url_or_credentials_is_an_error_naming_the_setting() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of(Setting.SERVER_AUTH, "keystone")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("keystone.auth_url");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of(Setting.SERVER_AUTH, "keystone", Setting.KEYSTONE_URL, "http://k:5000/v3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("keystone.username");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of(Setting.SERVER_AUTH, "kerberos")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown strategy 'kerberos'");
    }

    @Test
    void the_agent_has_neutrons_intervals_by_default_and_keeps_its_token_out_of_logs() {
        AgentConfig config = ConfigLoader.loadAgent(Optional.empty(), Map.of("NETMETER_AGENT_TOKEN", "s3cret"),
                Map.of(Setting.AGENT_HOST, "net-1"));

        assertThat(config.agent().host()).isEqualTo("net-1");
        assertThat(config.agent().measureInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.agent().reportInterval()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.driver()).isEqualTo("nftables");
        assertThat(config.server()).hasToString("http://127.0.0.1:9696");
        assertThat(config.ledgerFile()).as("the agent's own directory, not the server's ./data")
                .isEqualTo(Path.of("agent-data", "ledger.json").toAbsolutePath());
        assertThat(config.token()).isEqualTo("s3cret");
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void a_bad_agent_configuration_names_the_setting() {
        Map<String, String> token = Map.of("NETMETER_AGENT_TOKEN", "t");
        assertThatThrownBy(() -> ConfigLoader.loadAgent(Optional.empty(), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("agent.token must be set");
        assertThatThrownBy(() -> ConfigLoader.loadAgent(Optional.empty(), token,
                Map.of(Setting.AGENT_MEASURE_INTERVAL, "60", Setting.AGENT_REPORT_INTERVAL, "30")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("agent.report_interval");
        assertThatThrownBy(() -> ConfigLoader.loadAgent(Optional.empty(), token,
                Map.of(Setting.AGENT_REPORT_INTERVAL, "2")))
                .as("only the report interval set, below the default measure interval: the constraint is named")
                .isInstanceOf(ConfigException.class)
                .hasMessage("agent.report_interval (2 s) is shorter than agent.measure_interval (30 s): a report sums "
                        + "the counter reads of its window, so it must span at least one measure interval; raise "
                        + "agent.report_interval or lower agent.measure_interval");
        assertThatThrownBy(() -> ConfigLoader.loadAgent(Optional.empty(), token, Map.of(Setting.AGENT_HOST, "-x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("agent.host");
        assertThatThrownBy(() -> ConfigLoader.loadAgent(Optional.empty(), token,
                Map.of(Setting.AGENT_DRIVER, "iptables")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("agent.driver");
        assertThatThrownBy(() -> ConfigLoader.loadAgent(Optional.empty(), token,
                Map.of(Setting.AGENT_SERVER_URL, "ftp://x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("agent.server_url");
    }

    @Test
    void the_readme_documents_every_setting_with_its_environment_variable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (Setting setting : Setting.values()) {
            assertThat(readme).contains("| `%s` | `%s` |".formatted(setting.key(), setting.environmentVariable()));
        }
    }
}
