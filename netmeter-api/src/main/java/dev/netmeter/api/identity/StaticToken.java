package dev.netmeter.api.identity;

import dev.netmeter.domain.ProjectId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One static API token as the token file keeps it: who it stands for, and a salted SHA-256 hash of its
 * secret, never the secret itself. Immutable.
 *
 * <p>A token reads {@code nmt_<id>_<secret>}: the id (16 hex digits) finds the entry without hashing
 * every entry, the secret (32 random bytes, base64url) is what is hashed. One SHA-256 round suffices
 * because the secret is 256 random bits, not a password a person chose: there is nothing to guess a
 * dictionary word at, so a slow hash would only slow down every request.
 *
 * @param id the public part of the token, also how the CLI names it
 * @param projectId the project the token acts for
 * @param userName the user it acts as (also its user id)
 * @param roles the roles it holds
 * @param salt base64 of 16 random bytes
 * @param sha256 base64 of SHA-256(salt ‖ secret)
 * @param createdAt when it was issued
 * @param expiresAt when it stops being valid; empty: when revoked
 * @param description what it is for, as the operator wrote it
 */
public record StaticToken(String id, ProjectId projectId, String userName, Set<String> roles, String salt,
                          String sha256, Instant createdAt, Optional<Instant> expiresAt, String description) {
    static final String PREFIX = "nmt_";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public StaticToken {
        if (!ID.matcher(Objects.requireNonNull(id, "id")).matches()) {
            throw new IllegalArgumentException("token id '%s' is not 16 hex digits".formatted(id));
        }
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(userName, "userName");
        roles = Set.copyOf(roles);
        if (Base64.getDecoder().decode(Objects.requireNonNull(salt, "salt")).length < 16
                || Base64.getDecoder().decode(Objects.requireNonNull(sha256, "sha256")).length != 32) {
            throw new IllegalArgumentException("token %s: salt or sha256 is not a hash of ours".formatted(id));
        }
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(description, "description");
    }

    /** A newly issued token and the one copy of its secret text, to be shown once. */
    public record Issued(StaticToken token, String secret) {
        @Override
        public String toString() {   // never print the secret by accident
            return "Issued[" + token.id() + "]";
        }
    }

    /** Issues a new token with fresh random id, salt and secret. */
    public static Issued issue(ProjectId projectId, String userName, Set<String> roles, Instant now,
                               Optional<Instant> expiresAt, String description) {
        String id = HexFormat.of().formatHex(random(8));
        byte[] salt = random(16);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
        StaticToken token = new StaticToken(id, projectId, userName, roles, Base64.getEncoder().encodeToString(salt),
                Base64.getEncoder().encodeToString(hash(salt, secret)), now, expiresAt, description);
        return new Issued(token, PREFIX + id + "_" + secret);
    }

    /** The id a presented token claims, if it has the form of one; says nothing about validity. */
    static Optional<String> idOf(String presented) {
        int end = PREFIX.length() + 16;
        if (presented.length() < end + 2 || !presented.startsWith(PREFIX) || presented.charAt(end) != '_') {
            return Optional.empty();
        }
        for (int i = PREFIX.length(); i < end; i++) {   // on every request: no regex
            char c = presented.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return Optional.empty();
            }
        }
        return Optional.of(presented.substring(PREFIX.length(), end));
    }

    /**
     * Whether {@code presented}, a token whose {@link #idOf id} is this one's, carries this token's secret,
     * compared in time independent of where they differ.
     */
    boolean matches(String presented) {
        String secret = presented.substring(PREFIX.length() + 17);
        byte[] expected = Base64.getDecoder().decode(sha256);
        return MessageDigest.isEqual(expected, hash(Base64.getDecoder().decode(salt), secret));
    }

    /** Whether the token is still valid at {@code now}. */
    public boolean isValidAt(Instant now) {
        return expiresAt.map(now::isBefore).orElse(true);
    }

    Identity identity() {
        return new Identity(projectId, userName, userName, roles, expiresAt);
    }

    /** Roles in a stable order, for display. */
    public List<String> sortedRoles() {
        return roles.stream().sorted().toList();
    }

    private static byte[] hash(byte[] salt, String secret) {
        MessageDigest digest = Sha256.digest();
        digest.update(salt);
        return digest.digest(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return value;
    }
}
