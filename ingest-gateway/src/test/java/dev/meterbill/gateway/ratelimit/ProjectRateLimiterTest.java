package dev.meterbill.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProjectRateLimiterTest {

    private final AtomicLong now = new AtomicLong(0);
    private final ProjectRateLimiter limiter = new ProjectRateLimiter(1_000, 2, now::get);
    private final UUID project = UUID.randomUUID();

    @Test
    void aFullBucketTakesTwoSecondsOfTrafficAtOnce() {
        assertThat(limiter.tryAcquire(project, 2_000).allowed()).isTrue();
        ProjectRateLimiter.Decision refused = limiter.tryAcquire(project, 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void tokensRefillAtTheRate() {
        limiter.tryAcquire(project, 2_000);
        now.addAndGet(500_000_000L); // half a second refills 500 events
        assertThat(limiter.tryAcquire(project, 501).allowed()).isFalse();
        assertThat(limiter.tryAcquire(project, 500).allowed()).isTrue();
    }

    @Test
    void aRefusedRequestTakesNothingAndSaysWhenItWouldFit() {
        limiter.tryAcquire(project, 1_500);
        ProjectRateLimiter.Decision refused = limiter.tryAcquire(project, 2_000); // 500 left, 1,500 missing
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(2);
        assertThat(limiter.tryAcquire(project, 500).allowed()).isTrue();
    }

    @Test
    void projectsHaveTheirOwnBuckets() {
        limiter.tryAcquire(project, 2_000);
        assertThat(limiter.tryAcquire(UUID.randomUUID(), 2_000).allowed()).isTrue();
    }
}
