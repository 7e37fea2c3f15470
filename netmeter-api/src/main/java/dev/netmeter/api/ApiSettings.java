package dev.netmeter.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the HTTP layer.
 *
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param maxHeaderBytes the largest request line and header block accepted; larger ones get 431
 * @param paginationMaxLimit the largest page a list returns, or -1 for no bound (Neutron's
 *     {@code pagination_max_limit})
 * @param publicUrl the base URL written into links (Neutron's {@code network_link_prefix}); empty: from
 *     the request's Host header
 * @param metricsPerRouter whether {@code /metrics} shows the usage of each label per router (one series per
 *     router and label) rather than per label
 */
public record ApiSettings(long maxBodyBytes, int maxHeaderBytes, int paginationMaxLimit, Optional<String> publicUrl,
                          boolean metricsPerRouter) {
    /** Settings with usage metrics per label, as {@code metrics.router_detail} ships. */
    public ApiSettings(long maxBodyBytes, int maxHeaderBytes, int paginationMaxLimit, Optional<String> publicUrl) {
        this(maxBodyBytes, maxHeaderBytes, paginationMaxLimit, publicUrl, false);
    }

    public ApiSettings {
        Objects.requireNonNull(publicUrl, "publicUrl");
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("maxBodyBytes out of range");
        }
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxHeaderBytes below 1024");
        }
        publicUrl = publicUrl.map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
}
