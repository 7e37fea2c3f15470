package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.api.identity.KeystoneSettings;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.server.neutron.NeutronSettings;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code neutron.auth = keystone} against the real Keystone and the real Neutron 21 with
 * {@code auth_strategy = keystone} (keystonemiddleware validates every request's token): netmeter logs in as its
 * service user and follows every project's routers when that user has the admin role; a user without it sees
 * only its own project's routers, so nothing of another project is created; a wrong password reads nothing and
 * says so in {@code /healthz}.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NeutronKeystoneIT {
    private RealKeystone keystone;
    private RealNeutron neutron;
    private String router;

    @BeforeAll
    void start() throws Exception {
        keystone = RealKeystone.start();
        neutron = RealNeutron.start(keystone);
        String service = keystone.createProject("service");
        keystone.createUser("netmeter", "netmeter-secret", service, "admin");
        keystone.createUser("scoped", "scoped-secret", service, "member");
        String tenant = keystone.createProject("tenant");
        router = neutron.createRouter("edge", tenant, neutron.createExternalNetwork());
        neutron.bind(neutron.gatewayPort(router), "net-1");
    }

    @AfterAll
    void stop() throws Exception {
        if (neutron != null) {
            neutron.close();
        }
        if (keystone != null) {
            keystone.close();
        }
    }

    private RunningServer following(String user, String password) {
        return RunningServer.following(Backend.H2, new NeutronSettings(neutron.url(),
                Optional.of(new KeystoneSettings(keystone.url(), user, password, "Default", "service", "Default",
                        keystone.url(), Duration.ofSeconds(10))),
                Duration.ofSeconds(1), 0.5, Duration.ofSeconds(30)));
    }

    @Test
    void a_service_user_with_the_admin_role_follows_every_projects_routers() throws Exception {
        try (RunningServer server = following("netmeter", "netmeter-secret")) {
            JsonNode followed = RealNeutron.awaitRouter(server.client(), router, found -> found != null);
            assertThat(followed.path("host").asText()).isEqualTo("net-1");
            assertThat(followed.path("namespace").asText()).isEqualTo("qrouter-" + router);
            assertThat(RealNeutron.awaitHealth(server.client(), health -> true).path("routers").path("last_error")
                    .isNull()).isTrue();
        }
    }

    @Test
    void a_service_user_without_it_sees_only_its_own_projects_routers() throws Exception {
        try (RunningServer server = following("scoped", "scoped-secret")) {
            JsonNode health = RealNeutron.awaitHealth(server.client(),
                    found -> !found.path("routers").path("last_success").isNull());
            assertThat(health.path("routers").path("routers").asInt()).isZero();
            assertThat(server.client().get("/v2.0/metering/routers/" + router, ApiClient.Caller.ADMIN).status())
                    .isEqualTo(404);
        }
    }

    @Test
    void a_wrong_password_reads_nothing_and_healthz_says_why() throws Exception {
        try (RunningServer server = following("netmeter", "wrong")) {
            JsonNode health = RealNeutron.awaitHealth(server.client(),
                    found -> !found.path("routers").path("last_error").isNull());
            assertThat(health.path("routers").path("last_error").asText())
                    .startsWith("cannot get a Keystone token for the service user");
            assertThat(health.path("routers").path("last_success").isNull()).isTrue();
        }
    }
}
