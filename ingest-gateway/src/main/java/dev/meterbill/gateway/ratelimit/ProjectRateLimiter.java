package dev.meterbill.gateway.ratelimit;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per project, in events per second.
 *
 * <p>The bucket holds up to {@code burstSeconds} seconds of the rate, so a producer may send a
 * batch of 1,000 events at once as long as its average stays under the limit. Each gateway
 * instance limits on its own: with N replicas behind a balancer a project gets up to N times the
 * rate, which docs/operations.md states. Tokens are counted in integer nano-events (events x 1e9)
 * so refills are exact.
 */
public final class ProjectRateLimiter {

    /** Outcome of an acquire: allowed, or refused with the seconds after which a retry would fit. */
    public record Decision(boolean allowed, long retryAfterSeconds) {}

    private static final long NANO = 1_000_000_000L;

    private static final class Bucket {
        long nanoTokens;
        long lastNanos;

        Bucket(long nanoTokens, long now) {
            this.nanoTokens = nanoTokens;
            this.lastNanos = now;
        }
    }

    private final long ratePerSecond;
    private final long capacityEvents;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    public ProjectRateLimiter(long eventsPerSecond, long burstSeconds, LongSupplier nanoClock) {
        if (eventsPerSecond <= 0 || burstSeconds <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.ratePerSecond = eventsPerSecond;
        this.capacityEvents = Math.max(eventsPerSecond * burstSeconds, 1_000);
        this.nanoClock = nanoClock;
    }

    /** Takes {@code events} tokens from the project's bucket, or refuses without taking any. */
    public Decision tryAcquire(UUID projectId, int events) {
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(projectId, id -> new Bucket(capacityEvents * NANO, now));
        synchronized (bucket) {
            long elapsed = Math.max(0, now - bucket.lastNanos);
            // elapsed [ns] * rate [events/s] = nano-events; cap elapsed so the product cannot overflow
            long refill = Math.min(elapsed, 3_600 * NANO) * ratePerSecond;
            bucket.nanoTokens = Math.min(capacityEvents * NANO, bucket.nanoTokens + refill);
            bucket.lastNanos = now;
            long wanted = events * NANO;
            if (bucket.nanoTokens >= wanted) {
                bucket.nanoTokens -= wanted;
                return new Decision(true, 0);
            }
            long missing = wanted - bucket.nanoTokens;
            long perSecond = ratePerSecond * NANO;
            return new Decision(false, Math.max(1, (missing + perSecond - 1) / perSecond));
        }
    }
}
