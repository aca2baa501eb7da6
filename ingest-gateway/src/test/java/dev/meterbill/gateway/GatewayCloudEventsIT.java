package dev.meterbill.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.events.UsageEvent;
import dev.meterbill.gateway.testutils.GatewayFixture;
import dev.meterbill.testkit.HttpTestClient;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CloudEvents 1.0 in structured and batch mode, written by the CloudEvents SDK's own JSON format (not our code):
 * the same events, validation and answers as the native format, errors named by CloudEvents attribute, and a batch
 * with one bad event accepts nothing.
 */
class GatewayCloudEventsIT {

    @RegisterExtension
    static final GatewayFixture fx = new GatewayFixture();
    private static final EventFormat FORMAT = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
    private static final String STRUCTURED = "application/cloudevents+json";
    private static final String BATCH = "application/cloudevents-batch+json";
    private static HttpTestClient api;
    private static GatewayFixture.Project project;

    @BeforeAll
    static void startGateway() {
        api = new HttpTestClient(fx.startGateway(1_000_000).port());
        project = fx.newProject();
    }

    private static CloudEventBuilder usage(String id, String value) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/llm-gateway/eu-1"))
                .withType("dev.meterbill.usage").withSubject("output_tokens")
                .withTime(OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(5).truncatedTo(ChronoUnit.MILLIS))
                .withData("application/json", ("{\"value\":" + value + ",\"unit\":\"tokens\","
                        + "\"metadata\":{\"model\":\"large\",\"region\":\"eu\"}}").getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] batch(List<CloudEvent> events) {
        List<String> each = events.stream().map(e -> new String(FORMAT.serialize(e), StandardCharsets.UTF_8)).toList();
        return ("[" + String.join(",", each) + "]").getBytes(StandardCharsets.UTF_8);
    }

    private static List<UsageEvent> committed(String keyPrefix) {
        return fx.committedEvents().stream().filter(e -> e.idempotencyKey() != null
                && e.idempotencyKey().startsWith(keyPrefix)).toList();
    }

    private static List<String> fields(HttpTestClient.Response r) {
        return StreamSupport.stream(r.json().get("errors").spliterator(), false)
                .map(e -> e.get("field").asText()).toList();
    }

    @Test
    void aStructuredCloudEventIsOneUsageEvent() throws Exception {
        CloudEvent event = usage("ce-single-1", "12.5").build();
        HttpTestClient.Response r = api.postBytes("/api/v1/ingest", project.apiKey(), STRUCTURED,
                FORMAT.serialize(event));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        UUID eventId = UUID.fromString(r.json().get("eventId").asText());
        UsageEvent published = committed("ce-single-1").get(0);
        assertThat(published.eventId()).isEqualTo(eventId);
        assertThat(published.projectId()).isEqualTo(project.id());
        assertThat(published.metricName()).isEqualTo("output_tokens");
        assertThat(published.metricValue()).isEqualByComparingTo("12.5");
        assertThat(published.unit()).isEqualTo("tokens");
        assertThat(published.timestamp()).isEqualTo(event.getTime().toInstant());
        assertThat(published.metadata()).containsEntry("model", "large").containsEntry("region", "eu");
    }

    @Test
    void theMetricExtensionNamesTheMetricOverTheSubject() throws Exception {
        CloudEvent event = usage("ce-extension-1", "3").withSubject("customer-42").withExtension("metric",
                "input_tokens").build();
        assertThat(api.postBytes("/api/v1/ingest", project.apiKey(), STRUCTURED, FORMAT.serialize(event)).status())
                .isEqualTo(202);
        assertThat(committed("ce-extension-1").get(0).metricName()).isEqualTo("input_tokens");
    }

    @Test
    void aBatchOfCloudEventsIsAcceptedWhole() throws Exception {
        List<CloudEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(usage("ce-batch-ok-" + i, String.valueOf(i)).build());
        }
        HttpTestClient.Response r = api.postBytes("/api/v1/ingest/batch", project.apiKey(), BATCH, batch(events));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(50);
        assertThat(committed("ce-batch-ok-")).hasSize(50);
    }

    @Test
    void aBatchWithOneBadCloudEventAcceptsNothingAndNamesIt() throws Exception {
        List<CloudEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(usage("ce-batch-bad-" + i, i == 7 ? "-1" : "1").build());
        }
        HttpTestClient.Response r = api.postBytes("/api/v1/ingest/batch", project.apiKey(), BATCH, batch(events));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(fields(r)).containsExactly("[7].data.value");
        assertThat(committed("ce-batch-bad-")).isEmpty();
    }

    @Test
    void aMalformedCloudEventIs400NamingTheAttribute() throws Exception {
        String future = OffsetDateTime.now(ZoneOffset.UTC).plusHours(2).toString();
        String now = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(5).toString();
        String data = "\"data\":{\"value\":1,\"unit\":\"tokens\"}";
        String[][] cases = {
            // body, the attribute named
            {"{\"specversion\":\"0.3\",\"id\":\"ce-bad-1\",\"source\":\"/s\",\"type\":\"t\",\"subject\":\"calls\","
                    + "\"time\":\"" + now + "\"," + data + "}", "specversion"},
            {"{\"specversion\":\"1.0\",\"source\":\"/s\",\"type\":\"t\",\"subject\":\"calls\",\"time\":\"" + now + "\","
                    + data + "}", "id"},
            {"{\"specversion\":\"1.0\",\"id\":\"ce-bad-3\",\"source\":\"/s\",\"type\":\"t\",\"subject\":\"calls\","
                    + "\"time\":\"" + future + "\"," + data + "}", "time"},
            {"{\"specversion\":\"1.0\",\"id\":\"ce-bad-4\",\"source\":\"/s\",\"type\":\"t\",\"time\":\"" + now + "\","
                    + data + "}", "subject"},
            {"{\"specversion\":\"1.0\",\"id\":\"ce-bad-5\",\"source\":\"/s\",\"type\":\"t\",\"subject\":\"calls\","
                    + "\"time\":\"" + now + "\",\"data\":{\"value\":\"NaN\",\"unit\":\"tokens\"}}", "data.value"},
            {"{\"specversion\":\"1.0\",\"id\":\"ce-bad-6\",\"source\":\"/s\",\"type\":\"t\",\"subject\":\"calls\","
                    + "\"time\":\"" + now + "\",\"data_base64\":\"AAAA\"}", "data_base64"},
            {"{\"specversion\":\"1.0\",\"id\":\"ce-bad-7\",\"source\":\"/s\",\"type\":\"t\",\"subject\":\"calls\","
                    + "\"time\":\"" + now + "\",\"data\":{\"value\":1,\"unit\":\"tokens\",\"metadata\":{\"m\":\""
                    + "x".repeat(5000) + "\"}}}", "data.metadata"},
            {"{\"specversion\":\"1.0\",\"id\":\"ce-bad-8\",\"source\":\"/s\",\"type\":\"t\",\"metric\":\"bad metric\","
                    + "\"time\":\"" + now + "\"," + data + "}", "metric"},
        };
        for (String[] c : cases) {
            HttpTestClient.Response r = api.postBytes("/api/v1/ingest", project.apiKey(), STRUCTURED,
                    c[0].getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(fields(r)).as(r.body()).contains(c[1]);
        }
        assertThat(committed("ce-bad-")).isEmpty();
    }

    @Test
    void eachRouteTakesItsOwnCloudEventsMode() throws Exception {
        byte[] one = FORMAT.serialize(usage("ce-mode-1", "1").build());
        HttpTestClient.Response batchOnSingle = api.postBytes("/api/v1/ingest", project.apiKey(), BATCH, one);
        assertThat(batchOnSingle.status()).isEqualTo(415);
        assertThat(batchOnSingle.json().get("detail").asText()).contains(STRUCTURED);
        assertThat(api.postBytes("/api/v1/ingest/batch", project.apiKey(), STRUCTURED, one).status()).isEqualTo(415);
        HttpTestClient.Response notAnArray = api.postBytes("/api/v1/ingest/batch", project.apiKey(), BATCH, one);
        assertThat(notAnArray.status()).isEqualTo(400);
        JsonNode error = notAnArray.json().get("errors").get(0);
        assertThat(error.get("field").asText()).isEqualTo("body");
        assertThat(committed("ce-mode-")).isEmpty();
    }
}
