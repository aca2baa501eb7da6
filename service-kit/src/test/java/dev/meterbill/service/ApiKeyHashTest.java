package dev.meterbill.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ApiKeyHashTest {

    /** FIPS 180-2's test vectors, as lowercase hex. */
    @Test
    void isLowercaseHexSha256() {
        assertThat(ApiKeyHash.of("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiKeyHash.of("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    /** The digest is kept per thread: many threads hashing at once each get their own key's hash. */
    @Test
    void threadsDoNotShareADigest() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> checks = IntStream.range(0, 64).mapToObj(t -> pool.submit(() -> {
                String expected = ApiKeyHash.of("key-" + t);
                for (int i = 0; i < 2_000; i++) {
                    if (!ApiKeyHash.of("key-" + t).equals(expected)) {
                        return false;
                    }
                }
                return true;
            })).toList();
            for (Future<Boolean> check : checks) {
                assertThat(check.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
