package dev.meterbill.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.events.UsageEvent;
import dev.meterbill.gateway.testutils.GatewayFixture;
import dev.meterbill.gateway.testutils.IngestLoad;
import dev.meterbill.testkit.HttpTestClient;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker stops in the middle of a load and comes back: nothing acknowledged is lost, nothing refused is counted. */
class GatewayBrokerOutageIT {

    @RegisterExtension
    static final GatewayFixture fx = new GatewayFixture();

    @Test
    void brokerOutageAnswers503AndLosesNoAcknowledgedEvent() throws Exception {
        GatewayApp gateway = fx.startGateway(1_000_000);
        GatewayFixture.Project project = fx.newProject();
        String url = "http://localhost:" + gateway.port();
        IngestLoad load = new IngestLoad(url, project.apiKey(), 6);
        try {
            assertThat(load.awaitAcknowledged(2_000, 30_000)).as("load is flowing").isTrue();

            fx.kafka().stop(); // the broker dies mid-load
            long down = System.currentTimeMillis();
            while (load.count(503) < 10 && System.currentTimeMillis() - down < 60_000) {
                Thread.sleep(100);
            }
            assertThat(load.count(503)).as("requests refused while the broker is down").isGreaterThanOrEqualTo(10);
            assertThat(new HttpTestClient(gateway.port()).get("/health/ready", null).status()).isEqualTo(503);
            Thread.sleep(2_000);

            fx.kafka().restart(); // and comes back with its data
            assertThat(load.awaitAcknowledged(2_000, 90_000)).as("load flows again after the broker returned").isTrue();
        } finally {
            load.close();
        }

        assertThat(load.statuses.keySet()).as("only 202 or 503, never another error").isSubsetOf(Set.of(202, 503));
        assertThat(load.missingRetryAfter.get()).as("every 503 says when to retry").isZero();

        List<UsageEvent> committed = fx.committedEvents();
        load.assertAcknowledgedExactly(committed);
        assertThat(committed.stream().map(UsageEvent::eventId).distinct().count())
                .as("no event published twice").isEqualTo(committed.size());
        System.out.printf("outage: %d acknowledged, %d refused (503 x%d), %d without answer, %d committed%n",
                load.acknowledged.size(), load.refused.size(), load.count(503), load.connectionErrors.get(), committed.size());
    }
}
