package dev.netmeter.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DashboardTest {
    private static final Pattern TAG = Pattern.compile("(?:src|href)=\"/dashboard/([^\"]+)\" integrity=\"([^\"]+)\"");

    @Test
    void every_file_served_is_named_in_the_page_with_the_sha384_of_its_content() throws Exception {
        Dashboard dashboard = Dashboard.load();
        String page = new String(dashboard.page(), StandardCharsets.UTF_8);

        assertThat(page).doesNotContain("{{").doesNotContain("<style").doesNotContain(" style=");
        Set<String> named = new HashSet<>();
        Matcher tags = TAG.matcher(page);
        while (tags.find()) {
            Dashboard.Asset asset = dashboard.assets().get(tags.group(1));
            assertThat(asset).as(tags.group(1)).isNotNull();
            byte[] digest = MessageDigest.getInstance("SHA-384").digest(asset.body());
            assertThat(tags.group(2)).isEqualTo("sha384-" + Base64.getEncoder().encodeToString(digest));
            named.add(tags.group(1));
        }
        assertThat(named).isEqualTo(dashboard.assets().keySet());
        assertThat(page).as("each script is a file of ours: none inline")
                .doesNotContainPattern("<script(?![^>]*\\ssrc=\"/dashboard/)");
    }

    @Test
    void the_dashboards_paths_are_its_own_and_no_others() {
        assertThat(Dashboard.serves("/dashboard")).isTrue();
        assertThat(Dashboard.serves("/dashboard/app.js")).isTrue();
        assertThat(Dashboard.serves("/dashboards")).isFalse();
        assertThat(Dashboard.serves("/v2.0/dashboard")).isFalse();
    }
}
