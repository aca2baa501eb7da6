package dev.meterbill.gateway.ingest;

import dev.meterbill.events.IncomingEvent;
import dev.meterbill.events.UsageEvent;
import dev.meterbill.gateway.apikey.ApiKeyStore;
import dev.meterbill.gateway.apikey.ProjectIdentity;
import dev.meterbill.gateway.http.ProblemException;
import dev.meterbill.gateway.publish.EventPublisher;
import dev.meterbill.gateway.ratelimit.ProjectRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Authenticates a producer, stamps ids and tenancy on its events and publishes them durably. */
public final class IngestService {

    private final ApiKeyStore keys;
    private final ProjectRateLimiter rateLimiter;
    private final EventPublisher publisher;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Timer publishLatency;
    private final Counter accepted;

    public IngestService(ApiKeyStore keys, ProjectRateLimiter rateLimiter, EventPublisher publisher, Clock clock,
                         MeterRegistry metrics) {
        this.keys = keys;
        this.rateLimiter = rateLimiter;
        this.publisher = publisher;
        this.clock = clock;
        this.metrics = metrics;
        this.publishLatency = Timer.builder("ingest.publish.latency")
                .description("time from a request's publish call to the broker's acknowledgement")
                .publishPercentileHistogram()
                .register(metrics);
        this.accepted = metrics.counter("ingest.events.accepted");
    }

    /** The project a bearer key belongs to; 401 for a missing, unknown or revoked key. */
    public ProjectIdentity authenticate(String plainKey) {
        if (plainKey == null || plainKey.isBlank()) {
            throw rejected("unauthorized", 1, new ProblemException.Unauthorized("Authorization: Bearer <project API key> is required"));
        }
        try {
            return keys.lookup(plainKey).orElseThrow(() ->
                    rejected("unauthorized", 1, new ProblemException.Unauthorized("the API key is unknown or revoked")));
        } catch (ApiKeyStore.KeyStoreUnavailableException e) {
            throw rejected("key_store_unavailable", 1, new ProblemException.Unavailable("the key store is unavailable, retry shortly", 5));
        }
    }

    /** Publishes all events or none; returns their ids only after the broker acknowledged them all. */
    public List<UUID> ingest(ProjectIdentity project, List<IncomingEvent> events) {
        admit(project, events.size());
        Instant receivedAt = clock.instant();
        List<UsageEvent> stamped = new ArrayList<>(events.size());
        for (IncomingEvent e : events) {
            stamped.add(stamp(project, e, receivedAt));
        }
        Timer.Sample sample = Timer.start(metrics);
        try {
            publisher.publish(stamped);
        } catch (EventPublisher.PublishFailedException e) {
            throw unacknowledged(events.size(), NONE_ACCEPTED);
        } finally {
            sample.stop(publishLatency);
        }
        accepted.increment(events.size());
        return stamped.stream().map(UsageEvent::eventId).toList();
    }

    /**
     * Publishes one event without holding the caller's thread: the future gives its id once the broker acknowledged
     * it, or fails with the problem to answer. Refusals that need no broker (rate limit) are thrown at once.
     *
     * <p>An event with an idempotency key goes as one record without a transaction: should the broker take it and
     * fail before answering, the 503 cannot say it is absent, but the key makes the producer's retry count once.
     * An event without a key goes in a transaction like a batch, whose refusal proves it absent: its retry is a new
     * event, so a refusal that was not one would count it twice (GatewayBrokerOutageIT saw such a record).
     */
    public CompletableFuture<UUID> ingestOne(ProjectIdentity project, IncomingEvent event) {
        admit(project, 1);
        UsageEvent stamped = stamp(project, event, clock.instant());
        Timer.Sample sample = Timer.start(metrics);
        boolean keyed = stamped.idempotencyKey() != null;
        return (keyed ? publisher.publishOne(stamped) : publisher.publishAsync(List.of(stamped))).handle((ok, error) -> {
            sample.stop(publishLatency);
            if (error != null) {
                throw keyed ? unacknowledged(1, MAYBE_KEPT) : unacknowledged(1, NONE_ACCEPTED);
            }
            accepted.increment();
            return stamped.eventId();
        });
    }

    private void admit(ProjectIdentity project, int events) {
        ProjectRateLimiter.Decision decision = rateLimiter.tryAcquire(project.projectId(), events);
        if (!decision.allowed()) {
            throw rejected("rate_limited", events, new ProblemException.TooManyRequests(
                    "the project is over its limit of events per second; none of these events were accepted",
                    decision.retryAfterSeconds()));
        }
    }

    private static UsageEvent stamp(ProjectIdentity project, IncomingEvent e, Instant receivedAt) {
        return new UsageEvent(EventIds.next(), project.projectId(), project.organisationId(), e.metricName(),
                e.metricValue(), e.unit(), e.timestamp(), receivedAt, project.timezoneAt(e.timestamp()),
                e.metadata(), e.idempotencyKey());
    }

    private static final String NONE_ACCEPTED = "the event store did not acknowledge the events; none were accepted, retry";
    /** A single event sent without a transaction: the broker may have kept it (see {@link #ingestOne}). */
    private static final String MAYBE_KEPT = "the event store did not acknowledge the event; it may have kept it: send it"
            + " again with the same idempotencyKey, it is counted once";

    private ProblemException unacknowledged(int events, String detail) {
        return rejected("kafka_unavailable", events, new ProblemException.Unavailable(detail, 5));
    }

    /** Counts a refusal by reason and returns the exception to throw. */
    public ProblemException rejected(String reason, int eventCount, ProblemException problem) {
        metrics.counter("ingest.events.rejected", "reason", reason).increment(eventCount);
        return problem;
    }
}
