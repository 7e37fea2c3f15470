package dev.netmeter.server.neutron;

import dev.netmeter.api.identity.KeystoneSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Neutron and how often to read its routers ({@code neutron.*}).
 *
 * @param url Neutron's endpoint, e.g. {@code http://controller:9696} (without {@code /v2.0})
 * @param keystone the service user whose token is sent ({@code neutron.auth = keystone}); empty: noauth
 * @param pollInterval how often the routers are read
 * @param maxRemovalShare the largest share of the stored routers one poll may remove
 * @param timeout the longest wait for one answer
 */
public record NeutronSettings(URI url, Optional<KeystoneSettings> keystone, Duration pollInterval,
                              double maxRemovalShare, Duration timeout) {
    public NeutronSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(keystone, "keystone");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(timeout, "timeout");
        url = URI.create(url.toString().replaceAll("/+$", "").replaceAll("/v2\\.0$", ""));
    }
}
