package dev.netmeter.api;

import java.time.Duration;
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
 * @param agentReportInterval how often agents report usage ({@code agent.report_interval}): an agent whose last
 *     report is older than three of them is flagged by {@code GET /v2.0/metering/agents}
 */
public record ApiSettings(long maxBodyBytes, int maxHeaderBytes, int paginationMaxLimit, Optional<String> publicUrl,
                          boolean metricsPerRouter, Duration agentReportInterval) {
    /** Neutron's {@code report_interval}, and {@code agent.report_interval}'s default. */
    public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(300);

    /** Settings with usage metrics per label, as {@code metrics.router_detail} ships. */
    public ApiSettings(long maxBodyBytes, int maxHeaderBytes, int paginationMaxLimit, Optional<String> publicUrl) {
        this(maxBodyBytes, maxHeaderBytes, paginationMaxLimit, publicUrl, false);
    }

    /** Settings for agents that report at the default interval. */
    public ApiSettings(long maxBodyBytes, int maxHeaderBytes, int paginationMaxLimit, Optional<String> publicUrl,
                       boolean metricsPerRouter) {
        this(maxBodyBytes, maxHeaderBytes, paginationMaxLimit, publicUrl, metricsPerRouter, DEFAULT_REPORT_INTERVAL);
    }

    public ApiSettings {
        Objects.requireNonNull(publicUrl, "publicUrl");
        if (agentReportInterval.isNegative() || agentReportInterval.isZero()) {
            throw new IllegalArgumentException("agentReportInterval must be positive");
        }
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("maxBodyBytes out of range");
        }
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxHeaderBytes below 1024");
        }
        publicUrl = publicUrl.map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
}
