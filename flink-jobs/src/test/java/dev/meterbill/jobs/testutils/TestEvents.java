package dev.meterbill.jobs.testutils;

import dev.meterbill.events.UsageEvent;
import dev.meterbill.events.UsageEventCodec;
import dev.meterbill.jobs.usage.parse.EnvelopeParser;
import dev.meterbill.jobs.usage.parse.ParsedEnvelope;
import dev.meterbill.jobs.usage.parse.RawEnvelope;
import dev.meterbill.jobs.usage.UsageRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Builds usage events the way the gateway stamps them; every field can be overridden. */
public final class TestEvents {

    private UUID eventId = UUID.randomUUID();
    private UUID projectId;
    private UUID organisationId;
    private String metricName = "api_calls";
    private String value = "1";
    private String unit = "count";
    private Instant timestamp = Instant.parse("2026-01-15T10:00:00Z");
    private String zone = "UTC";
    private String idempotencyKey;
    private Instant receivedAt;
    private Map<String, Object> metadata = Map.of("region", "ap-south-1");

    private TestEvents(UUID projectId, UUID organisationId) {
        this.projectId = projectId;
        this.organisationId = organisationId;
    }

    public static TestEvents event(UUID projectId, UUID organisationId) {
        return new TestEvents(projectId, organisationId);
    }

    public static TestEvents event() {
        return new TestEvents(UUID.randomUUID(), UUID.randomUUID());
    }

    public TestEvents eventId(String id) {
        eventId = UUID.fromString(id);
        return this;
    }

    public TestEvents metric(String name) {
        metricName = name;
        return this;
    }

    public TestEvents value(String v) {
        value = v;
        return this;
    }

    public TestEvents unit(String u) {
        unit = u;
        return this;
    }

    public TestEvents at(String instant) {
        timestamp = Instant.parse(instant);
        return this;
    }

    public TestEvents zone(String z) {
        zone = z;
        return this;
    }

    public TestEvents key(String k) {
        idempotencyKey = k;
        return this;
    }

    public TestEvents metadata(Map<String, Object> m) {
        metadata = m;
        return this;
    }

    /** Defaults to one second after the event's timestamp. */
    public TestEvents receivedAt(String instant) {
        receivedAt = Instant.parse(instant);
        return this;
    }

    /** A producer retry: same content and key, but a new eventId stamped by the gateway. */
    public TestEvents retry() {
        TestEvents copy = new TestEvents(projectId, organisationId);
        copy.metricName = metricName;
        copy.value = value;
        copy.unit = unit;
        copy.timestamp = timestamp;
        copy.zone = zone;
        copy.idempotencyKey = idempotencyKey;
        copy.receivedAt = receivedAt;
        copy.metadata = metadata;
        return copy;
    }

    public UsageEvent build() {
        return new UsageEvent(eventId, projectId, organisationId, metricName, new BigDecimal(value), unit,
                timestamp, receivedAt != null ? receivedAt : timestamp.plusSeconds(1), zone, metadata, idempotencyKey);
    }

    public byte[] bytes() {
        return UsageEventCodec.encode(build());
    }

    public RawEnvelope raw() {
        return RawEnvelope.of(bytes());
    }

    /** As the Kafka source emits it: decoded, or a dead letter. */
    public ParsedEnvelope parsed() {
        return EnvelopeParser.parse(raw());
    }

    public UsageRecord record() {
        return UsageRecord.from(build());
    }

    public static RawEnvelope rawText(String text) {
        return RawEnvelope.of(text.getBytes(StandardCharsets.UTF_8));
    }
}
