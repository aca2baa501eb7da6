package dev.meterbill.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How project API keys and organisation secret keys are stored: lowercase hex SHA-256 of the key.
 *
 * <p>Shared by billing-api (which issues keys) and the gateway (which looks them up). Keys are
 * 256-bit random tokens, so an unsalted fast hash is enough: there is nothing to brute-force.
 */
public final class ApiKeyHash {

    /** One digest per thread: looking the algorithm up was most of the cost of a hash, once per ingest request. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    });

    private ApiKeyHash() {}

    public static String of(String plainKey) {
        // digest() resets the digest, so the next call on this thread starts clean even after an exception here
        return HexFormat.of().formatHex(SHA_256.get().digest(plainKey.getBytes(StandardCharsets.UTF_8)));
    }
}
