package dev.netmeter.api.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests for token hashes and cache keys. Thread-safe: each call gets a digest of its own. */
final class Sha256 {
    /** Cloned for each use: cheaper than {@code getInstance}, which looks the provider up every time. */
    private static final MessageDigest PROTOTYPE = prototype();

    private Sha256() {
    }

    /** A fresh digest. */
    static MessageDigest digest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }

    private static MessageDigest prototype() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
