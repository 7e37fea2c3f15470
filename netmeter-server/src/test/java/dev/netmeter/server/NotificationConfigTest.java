package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.server.notification.NotificationSettings;
import dev.netmeter.server.notification.TransportUrl;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The notifications.* settings: off by default, Neutron's and Ceilometer's names, errors that name the key. */
class NotificationConfigTest {
    @Test
    void notifications_are_off_by_default_with_neutrons_exchange_and_the_notifications_topic() {
        NotificationSettings settings = ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).notifications();

        assertThat(settings).isEqualTo(NotificationSettings.OFF);
        assertThat(settings.enabled()).isFalse();
        assertThat(settings.topics()).containsExactly("notifications");
        assertThat(settings.exchange()).isEqualTo("neutron");
    }

    @Test
    void every_notification_setting_comes_from_the_environment_too() {
        NotificationSettings settings = ConfigLoader.load(Optional.empty(), Map.of(
                "NETMETER_NOTIFICATIONS_TRANSPORT_URL", "rabbit://u:p@mq:5672/os",
                "NETMETER_NOTIFICATIONS_TOPICS", "notifications, billing",
                "NETMETER_NOTIFICATIONS_EXCHANGE", "metering",
                "NETMETER_NOTIFICATIONS_GRANULAR", "TRUE",
                "NETMETER_NOTIFICATIONS_AMQP_DURABLE_QUEUES", "true"), Map.of()).notifications();

        assertThat(settings).isEqualTo(new NotificationSettings(
                Optional.of(TransportUrl.parse("rabbit://u:p@mq:5672/os")), List.of("notifications", "billing"),
                "metering", true, true));
    }

    @Test
    void a_wrong_value_is_refused_naming_the_setting_and_never_the_password() {
        assertThatThrownBy(() -> load("NETMETER_NOTIFICATIONS_TRANSPORT_URL", "rabbit://u:secret@mq:0/"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("notifications.transport_url: host mq: port '0' is not a number from 1 to 65535");
        assertThatThrownBy(() -> load("NETMETER_NOTIFICATIONS_TOPICS", " , "))
                .hasMessageStartingWith("notifications.topics: name at least one topic");
        assertThatThrownBy(() -> load("NETMETER_NOTIFICATIONS_TOPICS", "a b"))
                .hasMessageStartingWith("notifications.topics: 'a b' is not a topic name");
        assertThatThrownBy(() -> load("NETMETER_NOTIFICATIONS_EXCHANGE", "neu tron"))
                .hasMessageStartingWith("notifications.exchange: 'neu tron' is not an exchange name");
        assertThatThrownBy(() -> load("NETMETER_NOTIFICATIONS_GRANULAR", "yes"))
                .hasMessage("notifications.granular: 'yes' is not one of true, false");
    }

    private static ServerConfig load(String variable, String value) {
        return ConfigLoader.load(Optional.empty(), Map.of(variable, value), Map.of());
    }
}
