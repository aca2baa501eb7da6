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

    private ApiKeyHash() {}

    public static String of(String plainKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(plainKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
