package dev.meterbill.gateway.ingest;

import dev.meterbill.events.IncomingEvent;
import dev.meterbill.events.UsageEvent;
import dev.meterbill.gateway.apikey.ApiKeyStore;
import dev.meterbill.gateway.apikey.ProjectIdentity;
import dev.meterbill.gateway.http.ProblemException;
import dev.meterbill.gateway.publish.EventPublisher;
import dev.meterbill.gateway.ratelimit.ProjectRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Authenticates a producer, stamps ids and tenancy on its events and publishes them durably. */
public final class IngestService {

    private final ApiKeyStore keys;
    private final ProjectRateLimiter rateLimiter;
    private final EventPublisher publisher;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Timer publishLatency;

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
        ProjectRateLimiter.Decision decision = rateLimiter.tryAcquire(project.projectId(), events.size());
        if (!decision.allowed()) {
            throw rejected("rate_limited", events.size(), new ProblemException.TooManyRequests(
                    "the project is over its limit of events per second; none of these events were accepted",
                    decision.retryAfterSeconds()));
        }
        Instant receivedAt = clock.instant();
        List<UsageEvent> stamped = new ArrayList<>(events.size());
        List<UUID> ids = new ArrayList<>(events.size());
        for (IncomingEvent e : events) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            stamped.add(new UsageEvent(id, project.projectId(), project.organisationId(), e.metricName(),
                    e.metricValue(), e.unit(), e.timestamp(), receivedAt, project.timezoneAt(e.timestamp()),
                    e.metadata(), e.idempotencyKey()));
        }
        Timer.Sample sample = Timer.start(metrics);
        try {
            publisher.publish(stamped);
        } catch (EventPublisher.PublishFailedException e) {
            throw rejected("kafka_unavailable", events.size(),
                    new ProblemException.Unavailable("the event store did not acknowledge the events; none were accepted, retry", 5));
        } finally {
            sample.stop(publishLatency);
        }
        metrics.counter("ingest.events.accepted").increment(events.size());
        return ids;
    }

    /** Counts a refusal by reason and returns the exception to throw. */
    public ProblemException rejected(String reason, int eventCount, ProblemException problem) {
        metrics.counter("ingest.events.rejected", "reason", reason).increment(eventCount);
        return problem;
    }
}
