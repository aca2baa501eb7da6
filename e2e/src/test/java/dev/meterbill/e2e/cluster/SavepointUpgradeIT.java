package dev.meterbill.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.e2e.testutils.ClusterTestbed;
import dev.meterbill.e2e.testutils.UsageLoad;
import dev.meterbill.e2e.testutils.UsageTotals;
import dev.meterbill.localstack.cluster.CheckpointHistory;
import dev.meterbill.localstack.cluster.Poll;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 4, point 8: an operator deploying a new version stops the job with a savepoint while events
 * keep arriving, submits the jar again from that savepoint (refusing state that no operator claims,
 * which holds only while every stateful operator keeps its uid), and the totals stay exact: nothing
 * counted before the stop is lost or counted again, including producer retries across the upgrade.
 * By default both jobs run this build's jar; with {@code UPGRADE_FROM_JAR} set the first one runs
 * that (earlier) jar, which tests an upgrade between releases (see {@link ClusterTestbed#submitJob}).
 */
class SavepointUpgradeIT {

    private static final Logger LOG = LoggerFactory.getLogger(SavepointUpgradeIT.class);
    private static final int EVENTS = 60_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    static final ClusterTestbed bed = new ClusterTestbed("savepoint", 1, 2);

    @Test
    void stopWithSavepointAndResubmitKeepsTotalsExact() throws Exception {
        long started = System.nanoTime();
        String oldJob = bed.startJob(2, null, TIMEOUT);

        UsageLoad load = UsageLoad.generate(EVENTS, 10, 4, 11L);
        // the last third waits for the stop, so the savepoint is taken mid-stream on a slow machine too
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        CompletableFuture<Void> producing = load.produce(bed.kafkaBootstrap(), ClusterTestbed.TOPIC, 3_000,
                EVENTS * 2 / 3, stopped);
        Poll.until("a third of the envelopes sent", TIMEOUT, () -> load.sent() >= EVENTS / 3);
        Poll.until("a completed checkpoint", TIMEOUT, () -> bed.rest().checkpoints(oldJob).completed() > 0);

        String savepoint;
        try {
            savepoint = bed.rest().stopWithSavepoint(oldJob,
                    bed.workDir().resolve("savepoints").toAbsolutePath().toUri().toString(), TIMEOUT);
        } finally {
            stopped.complete(null); // events go on arriving while no job runs, as during a deployment
        }
        long sentAtStop = load.sent();
        LOG.info("stopped {} with savepoint {} after {} envelopes sent", oldJob, savepoint, sentAtStop);
        assertThat(sentAtStop).as("stopped mid-stream").isLessThan(EVENTS);

        String newJob = bed.startJob(2, savepoint, TIMEOUT);
        CheckpointHistory restored = bed.rest().checkpoints(newJob);
        assertThat(restored.restored()).isEqualTo(1);
        assertThat(restored.latestRestoredFromSavepoint()).isTrue();
        assertThat(restored.latestRestoredPath()).isEqualTo(savepoint);

        producing.get(3, TimeUnit.MINUTES);
        Map<UsageTotals.Key, UsageTotals.Row> expected = load.expected();
        bed.awaitTotals(expected, TIMEOUT);
        Thread.sleep(3_000);
        assertThat(bed.totals()).containsExactlyInAnyOrderEntriesOf(expected);
        LOG.info("{} envelopes ({} distinct) exact across a savepoint upgrade in {} s", EVENTS, load.distinctEvents(),
                (System.nanoTime() - started) / 1_000_000_000);
    }
}
