package dev.meterbill.jobs.usage.sink;

import dev.meterbill.jobs.usage.parse.DeadLetter;
import dev.meterbill.jobs.usage.parse.RawEnvelope;

import dev.meterbill.events.UsageTopics;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLetterSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDeadLetterCarriesReasonOriginalPayloadAndKafkaCoordinates() throws Exception {
        RawEnvelope raw = new RawEnvelope(UsageTopics.USAGE, 1, 17L, 1_000L, "p-1".getBytes(StandardCharsets.UTF_8),
                "{\"metricValue\": oops".getBytes(StandardCharsets.UTF_8));

        JsonNode n = JSON.readTree(DeadLetterSink.toJson(DeadLetter.of(raw, "not JSON: oops")));

        assertThat(n.get("reason").asText()).isEqualTo("not JSON: oops");
        assertThat(n.get("payload").asText()).isEqualTo("{\"metricValue\": oops");
        assertThat(n.get("key").asText()).isEqualTo("p-1");
        assertThat(n.get("topic").asText()).isEqualTo(UsageTopics.USAGE);
        assertThat(n.get("partition").asInt()).isEqualTo(1);
        assertThat(n.get("offset").asLong()).isEqualTo(17L);
    }

    @Test
    void unknownCoordinatesAreLeftOut() throws Exception {
        JsonNode n = JSON.readTree(DeadLetterSink.toJson(DeadLetter.of(RawEnvelope.of(null), "empty record")));

        assertThat(n.get("reason").asText()).isEqualTo("empty record");
        assertThat(n.get("payload").isNull()).isTrue();
        assertThat(n.has("topic")).isFalse();
        assertThat(n.has("offset")).isFalse();
    }
}
