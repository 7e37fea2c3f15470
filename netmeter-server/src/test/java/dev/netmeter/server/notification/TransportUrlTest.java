package dev.netmeter.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.server.notification.TransportUrl.Host;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** oslo.messaging's transport_url syntax, as operators copy it from neutron.conf or ceilometer.conf. */
class TransportUrlTest {
    @Test
    void reads_one_broker_with_credentials_port_and_virtual_host() {
        assertThat(TransportUrl.parse("rabbit://openstack:s3cret@rabbit.example.com:5673/nova"))
                .isEqualTo(new TransportUrl(List.of(new Host("rabbit.example.com", 5673, "openstack", "s3cret")),
                        "nova"));
    }

    @Test
    void an_empty_virtual_host_is_the_default_one_and_the_port_defaults_to_5672() {
        assertThat(TransportUrl.parse("rabbit://guest:guest@127.0.0.1/"))
                .isEqualTo(new TransportUrl(List.of(new Host("127.0.0.1", 5672, "guest", "guest")), "/"));
        assertThat(TransportUrl.parse("rabbit://u:p@h:5672").virtualHost()).isEqualTo("/");
    }

    @Test
    void reads_several_brokers_comma_separated_and_ipv6_addresses() {
        assertThat(TransportUrl.parse("rabbit://a:pa@h1:5672,b:pb@[::1]:5673/").hosts()).containsExactly(
                new Host("h1", 5672, "a", "pa"), new Host("::1", 5673, "b", "pb"));
    }

    @Test
    void percent_decodes_user_password_and_virtual_host_but_keeps_a_plus() {
        TransportUrl url = TransportUrl.parse("rabbit://us%40er:p%3Ass%2Fw+rd@h:5672/%2Fprod");
        assertThat(url.hosts().getFirst()).isEqualTo(new Host("h", 5672, "us@er", "p:ss/w+rd"));
        assertThat(url.virtualHost()).isEqualTo("/prod");
    }

    @Test
    void never_shows_the_password() {
        TransportUrl url = TransportUrl.parse("rabbit://user:topsecret@h:5672,u2:othersecret@h2/vh");
        assertThat(url.toString()).isEqualTo("rabbit://user@h:5672,u2@h2:5672/vh").doesNotContain("secret");
        assertThat(url.hosts().getFirst().toString()).doesNotContain("secret");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "amqp://u:p@h:5672/|unsupported transport 'amqp'; only rabbit:// is supported",
        "u:p@h:5672|not a transport URL; expected rabbit://user:pass@host:5672/vhost",
        "rabbit://u:p@h:99999/|host h: port '99999' is not a number from 1 to 65535",
        "rabbit://u:p@h:x/|host h: port 'x' is not a number from 1 to 65535",
        "rabbit://u:p@h1,/|a host is missing (between commas, or after '@')",
        "rabbit://u:p@/|a host is missing (between commas, or after '@')",
        "rabbit://u:p@[::1:5672/|IPv6 address '[::1:5672' lacks its ']'",
        "rabbit://u:p%zz@h/|the password has a malformed percent-escape",
        "rabbit://u:p@h%20x/|'h%20x' is not a host name or address",
    })
    void refuses_what_is_not_a_rabbit_transport_url_saying_why(String text, String message) {
        assertThatThrownBy(() -> TransportUrl.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
