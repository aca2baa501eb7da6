package dev.meterbill.billing.apikey;

import dev.meterbill.service.ApiKeyHash;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/** Creates organisation secret keys ({@code sk_}) and project API keys ({@code pk_}). */
public final class ApiKeyGenerator {

    public static final String SECRET_KEY_PREFIX = "sk_";
    public static final String PROJECT_KEY_PREFIX = "pk_";
    /** 256 random bits: too many to guess, which is why an unsalted SHA-256 is a safe way to store them. */
    static final int RANDOM_BYTES = 32;
    static final int DISPLAY_PREFIX_LENGTH = 12;

    private final SecureRandom random;

    public ApiKeyGenerator() {
        this(new SecureRandom());
    }

    ApiKeyGenerator(SecureRandom random) {
        this.random = random;
    }

    public IssuedKey secretKey() {
        return generate(SECRET_KEY_PREFIX);
    }

    public IssuedKey projectKey() {
        return generate(PROJECT_KEY_PREFIX);
    }

    private IssuedKey generate(String prefix) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String plain = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new IssuedKey(UUID.randomUUID(), plain, ApiKeyHash.of(plain), plain.substring(0, DISPLAY_PREFIX_LENGTH));
    }
}
