package dev.netmeter.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.ProjectId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticTokenValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW);

    private StaticToken.Issued add(Path file, String project, Optional<Instant> expiresAt) {
        StaticToken.Issued issued = StaticToken.issue(new ProjectId(project), "user-" + project,
                Set.of("member"), NOW, expiresAt, "test");
        TokenFile.add(file, issued.token());
        return issued;
    }

    @Test
    void an_issued_token_yields_its_project_user_and_roles() {
        Path file = dir.resolve("tokens.json");
        StaticToken.Issued issued = add(file, "p1", Optional.empty());

        assertThat(new StaticTokenValidator(file, clock).validate(issued.secret())).contains(new Identity(
                new ProjectId("p1"), "user-p1", "user-p1", Set.of("member"), Optional.empty()));
    }

    @Test
    void the_file_holds_salted_hashes_only_and_is_readable_by_its_owner_only() throws IOException {
        Path file = dir.resolve("tokens.json");
        StaticToken.Issued first = add(file, "p1", Optional.empty());
        StaticToken.Issued second = add(file, "p1", Optional.empty());

        String text = Files.readString(file);
        // after "nmt_<id>_": the secret is base64url, so it may itself hold '_' and '-'
        String firstSecret = first.secret().substring(StaticToken.PREFIX.length() + 17);
        assertThat(text).doesNotContain(firstSecret).contains(first.token().id());
        assertThat(first.token().salt()).isNotEqualTo(second.token().salt());
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(TokenFile.OWNER_ONLY);
        assertThat(first.toString()).doesNotContain(firstSecret);
    }

    @Test
    void a_token_with_a_wrong_secret_an_unknown_id_or_a_foreign_shape_is_invalid() {
        Path file = dir.resolve("tokens.json");
        String secret = add(file, "p1", Optional.empty()).secret();
        var validator = new StaticTokenValidator(file, clock);
        char last = secret.charAt(secret.length() - 1);

        assertThat(validator.validate(secret.substring(0, secret.length() - 1) + (last == 'A' ? 'B' : 'A'))).isEmpty();
        assertThat(validator.validate("nmt_0123456789abcdef_" + secret.substring(22))).isEmpty();
        assertThat(validator.validate(secret.substring(0, 21))).isEmpty();
        assertThat(validator.validate("gAAAAABkeystone-token")).isEmpty();
        assertThat(validator.validate("")).isEmpty();
    }

    @Test
    void a_new_token_works_at_once_and_a_revoked_one_is_refused_within_a_second_without_a_restart() {
        Path file = dir.resolve("tokens.json");
        StaticToken.Issued first = add(file, "p1", Optional.empty());
        var validator = new StaticTokenValidator(file, clock);
        assertThat(validator.validate(first.secret())).isPresent();

        StaticToken.Issued second = add(file, "p2", Optional.empty());
        assertThat(validator.validate(second.secret())).as("an unknown id makes it look").isPresent();

        TokenFile.update(file, tokens -> tokens.stream().filter(t -> !t.id().equals(first.token().id())).toList());
        clock.advance(StaticTokenValidator.RECHECK_INTERVAL);
        assertThat(validator.validate(first.secret())).isEmpty();
        assertThat(validator.validate(second.secret())).isPresent();
    }

    @Test
    void within_a_second_of_its_last_look_it_does_not_look_at_the_file_again_for_known_tokens() throws IOException {
        Path file = dir.resolve("tokens.json");
        StaticToken.Issued issued = add(file, "p1", Optional.empty());
        var validator = new StaticTokenValidator(file, clock);
        Files.delete(file);

        assertThat(validator.validate(issued.secret())).isPresent();
        clock.advance(StaticTokenValidator.RECHECK_INTERVAL);
        assertThat(validator.validate(issued.secret())).isEmpty();
    }

    @Test
    void an_expired_token_is_invalid() {
        Path file = dir.resolve("tokens.json");
        String secret = add(file, "p1", Optional.of(NOW.plus(Duration.ofHours(1)))).secret();
        var validator = new StaticTokenValidator(file, clock);
        assertThat(validator.validate(secret)).isPresent();

        clock.advance(Duration.ofHours(1));
        assertThat(validator.validate(secret)).isEmpty();
    }

    @Test
    void a_broken_file_leaves_the_tokens_read_before_and_a_deleted_one_revokes_all() throws IOException {
        Path file = dir.resolve("tokens.json");
        String secret = add(file, "p1", Optional.empty()).secret();
        var validator = new StaticTokenValidator(file, clock);
        validator.validate(secret);

        Files.writeString(file, "{\"tokens\": [ {\"id\": \"oops\"");
        clock.advance(StaticTokenValidator.RECHECK_INTERVAL);
        assertThat(validator.validate(secret)).as("last good file stays in force").isPresent();

        Files.delete(file);
        clock.advance(StaticTokenValidator.RECHECK_INTERVAL);
        assertThat(validator.validate(secret)).isEmpty();
    }

    @Test
    void a_hand_edited_file_with_a_duplicate_or_malformed_entry_is_refused_with_a_reason() throws IOException {
        Path file = dir.resolve("tokens.json");
        add(file, "p1", Optional.empty());
        String text = Files.readString(file);
        String entry = text.substring(text.indexOf('{', 1), text.lastIndexOf('}', text.lastIndexOf(']')) + 1);
        Files.writeString(file, text.replace(entry, entry + ", " + entry));
        assertThatThrownBy(() -> TokenFile.read(file)).hasMessageContaining("twice");

        Files.writeString(file, "{\"tokens\": [{\"id\": \"0123456789abcdef\", \"project_id\": \"p\"}]}");
        assertThatThrownBy(() -> TokenFile.read(file)).hasMessageContaining("\"user\" is missing");
    }
}
