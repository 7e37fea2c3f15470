package dev.netmeter.api.identity;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Keystone, and as whom (keystonemiddleware's {@code [keystone_authtoken]} options).
 *
 * @param url the identity v3 endpoint, e.g. {@code http://keystone:5000/v3} ({@code /v3} is appended if
 *     missing)
 * @param username the service user that validates tokens ({@code username})
 * @param password its password
 * @param userDomainName the service user's domain ({@code user_domain_name})
 * @param projectName the project the service user's own token is scoped to ({@code project_name})
 * @param projectDomainName that project's domain ({@code project_domain_name})
 * @param publicUrl the endpoint named to clients in {@code WWW-Authenticate} ({@code www_authenticate_uri})
 * @param timeout the longest wait for one answer from Keystone
 */
public record KeystoneSettings(URI url, String username, String password, String userDomainName, String projectName,
                               String projectDomainName, URI publicUrl, Duration timeout) {
    public KeystoneSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(userDomainName, "userDomainName");
        Objects.requireNonNull(projectName, "projectName");
        Objects.requireNonNull(projectDomainName, "projectDomainName");
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(timeout, "timeout");
        url = v3(url);
    }

    private static URI v3(URI url) {
        String text = url.toString().replaceAll("/+$", "");
        return URI.create(text.endsWith("/v3") ? text : text + "/v3");
    }

    /** The {@code WWW-Authenticate} challenge of a 401, as OpenStack services send it. */
    public String challenge() {
        return "Keystone uri=\"%s\"".formatted(publicUrl);
    }

    @Override
    public String toString() {   // never print the password
        return "KeystoneSettings[url=%s, username=%s, userDomainName=%s, projectName=%s, projectDomainName=%s]"
                .formatted(url, username, userDomainName, projectName, projectDomainName);
    }
}
