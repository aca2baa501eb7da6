package dev.meterbill.billing.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.service.ApiKeyHash;
import org.junit.jupiter.api.Test;

class ApiKeyGeneratorTest {

    private final ApiKeyGenerator generator = new ApiKeyGenerator();

    @Test
    void secretKeysCarryTheSkPrefixAnd256RandomBits() {
        IssuedKey key = generator.secretKey();

        assertThat(key.plainKey()).startsWith("sk_").matches("sk_[A-Za-z0-9_-]{43}");
    }

    @Test
    void projectKeysCarryThePkPrefix() {
        assertThat(generator.projectKey().plainKey()).startsWith("pk_").hasSize(46);
    }

    @Test
    void onlyTheHashAndAShortPrefixAreMeantForStorage() {
        IssuedKey key = generator.projectKey();

        assertThat(key.hash()).isEqualTo(ApiKeyHash.of(key.plainKey())).matches("[0-9a-f]{64}");
        assertThat(key.displayPrefix()).hasSize(12).isEqualTo(key.plainKey().substring(0, 12));
        assertThat(key.toString()).doesNotContain(key.plainKey());
    }

    @Test
    void keysDoNotRepeat() {
        assertThat(generator.secretKey().plainKey()).isNotEqualTo(generator.secretKey().plainKey());
    }
}
