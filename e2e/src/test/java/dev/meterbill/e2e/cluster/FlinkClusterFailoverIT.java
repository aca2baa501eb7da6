package dev.meterbill.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.e2e.testutils.ArchiveContents;
import dev.meterbill.e2e.testutils.ClusterTestbed;
import dev.meterbill.e2e.testutils.UsageLoad;
import dev.meterbill.e2e.testutils.UsageTotals;
import dev.meterbill.localstack.cluster.CheckpointHistory;
import dev.meterbill.localstack.cluster.ManagedProcess;
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
 * Issue 4, point 7: on a real Flink cluster (JobManager and TaskManager JVMs started from the Maven
 * artifacts, the shaded job jar submitted through the REST API), 200,000 envelopes with 10% producer
 * retries are counted exactly once in PostgreSQL although TaskManagers are SIGKILLed twice while
 * they flow, and the checkpoint history shows that the job restored its state each time. Issue 17: the api_calls
 * events carry a model and a user, and two metric definitions meter them per model and as distinct users; those
 * grouped and unique-count totals are exact too. Issue 18: the raw-event archive job runs beside it on the same
 * TaskManagers, so the kills hit it while it writes; afterwards its Parquet files, read with parquet's own reader,
 * hold every accepted event exactly once and add up to the live totals.
 */
class FlinkClusterFailoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkClusterFailoverIT.class);
    private static final int EVENTS = 200_000;
    private static final Duration RECOVERY = Duration.ofMinutes(2);

    // two TaskManagers of two slots each (one a job): losing either stops half of each job until a replacement registers
    @RegisterExtension
    static final ClusterTestbed bed = new ClusterTestbed("failover", 2, 2);

    @Test
    void killedTaskManagersNeitherLoseNorDoubleCountAnEvent() throws Exception {
        long started = System.nanoTime();
        // api_calls metered per model and as distinct users too: grouped and unique-count totals survive the kills
        UsageLoad.publishDefinitions(bed.kafkaBootstrap());
        String jobId = bed.startJob(2, null, RECOVERY);
        String archiveJobId = bed.startArchiveJob(2, RECOVERY);

        UsageLoad load = UsageLoad.generate(EVENTS, 10, 8, 7L, true);
        // the last 10% wait for the second kill: on a slow machine too, both kills fall into the stream
        CompletableFuture<Void> killsDone = new CompletableFuture<>();
        CompletableFuture<Void> producing = load.produce(bed.kafkaBootstrap(), ClusterTestbed.TOPIC, 5_000,
                EVENTS * 9 / 10, killsDone);

        try {
            killTaskManagersTwice(load, jobId, archiveJobId, killsDone);
        } finally {
            killsDone.complete(null); // never leave the producer waiting
        }
        producing.get(5, TimeUnit.MINUTES);
        assertThat(load.sent()).isEqualTo(EVENTS);

        Map<UsageTotals.Key, UsageTotals.Row> expected = load.expected();
        bed.awaitTotals(expected, Duration.ofMinutes(3));
        // nothing is counted twice later either: a replay or refresh after the match changes nothing
        Thread.sleep(3_000);
        Map<UsageTotals.Key, UsageTotals.Row> actual = bed.totals();
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(UsageTotals.totalCount(actual)).isEqualTo(load.distinctEvents()).isLessThan(EVENTS);
        assertThat(UsageTotals.dailyCountsByMonth(bed.dbUrl()))
                .allSatisfy((key, count) -> assertThat(count).isEqualTo(expected.get(key).count()));

        CheckpointHistory history = bed.rest().checkpoints(jobId);
        assertThat(history.restored()).as("restores in the checkpoint history").isGreaterThanOrEqualTo(2);
        assertThat(history.latestRestoredId()).isPositive();
        assertThat(history.latestRestoredFromSavepoint()).isFalse();
        assertThat(bed.rest().checkpoints(archiveJobId).restored()).as("archive job restores").isGreaterThanOrEqualTo(1);

        // the archive: its files are committed with its checkpoints (every 2 s), each accepted event once
        Poll.until("every accepted event in the archive", Duration.ofMinutes(2),
                () -> ArchiveContents.read(bed.archiveDir()).rows() >= load.distinctEvents());
        Thread.sleep(4_000); // two more checkpoints: nothing is written twice later either
        ArchiveContents archived = ArchiveContents.read(bed.archiveDir());
        assertThat(archived.rows()).as("archived rows").isEqualTo(load.distinctEvents());
        assertThat(archived.distinct()).as("distinct archived events").isEqualTo(load.distinctEvents());
        Map<UsageTotals.Key, UsageTotals.Row> plainTotals = new java.util.HashMap<>(actual);
        plainTotals.keySet().removeIf(k -> k.metric().contains("{")); // metric definitions' totals are not events
        assertThat(archived.totals()).containsExactlyInAnyOrderEntriesOf(plainTotals);
        LOG.info("{} envelopes ({} distinct) exact after 2 TaskManager kills in {} s; {}; archive: {} rows, {}", EVENTS,
                load.distinctEvents(), (System.nanoTime() - started) / 1_000_000_000, history, archived.rows(),
                bed.rest().checkpoints(archiveJobId));
    }

    /**
     * Kills the oldest TaskManager at a third and at two thirds of the stream, each time after a
     * checkpoint completed since the last recovery (so there is state to restore), replaces it, and
     * waits until the checkpoint history shows a restore and every task runs again. The producer's
     * last 10% are released right after the second kill, so events also arrive during recovery.
     */
    private static void killTaskManagersTwice(UsageLoad load, String jobId, String archiveJobId,
                                              CompletableFuture<Void> afterLastKill) throws Exception {
        for (int kill = 1; kill <= 2; kill++) {
            awaitSent(load, EVENTS * kill / 3);
            long completedBefore = bed.rest().checkpoints(jobId).completed();
            Poll.until("a checkpoint after restore " + (kill - 1), RECOVERY,
                    () -> bed.rest().checkpoints(jobId).completed() > completedBefore);
            ManagedProcess victim = bed.flink().taskManagers().get(0);
            long restoredBefore = bed.rest().checkpoints(jobId).restored();
            LOG.info("SIGKILL {} after {} envelopes sent", victim, load.sent());
            bed.flink().kill(victim);
            if (kill == 2) {
                afterLastKill.complete(null);
            }
            bed.flink().startTaskManager();
            // the job notices the loss (a broken connection or a missed heartbeat), restores, redeploys
            Poll.until("a restore after kill " + kill, RECOVERY,
                    () -> bed.rest().checkpoints(jobId).restored() > restoredBefore);
            bed.rest().awaitAllTasksRunning(jobId, RECOVERY);
            bed.rest().awaitAllTasksRunning(archiveJobId, RECOVERY);
            LOG.info("job running again after kill {}: {}", kill, bed.rest().checkpoints(jobId));
        }
    }

    private static void awaitSent(UsageLoad load, long count) throws Exception {
        Poll.until(count + " envelopes sent", Duration.ofMinutes(3), () -> load.sent() >= count);
    }
}
