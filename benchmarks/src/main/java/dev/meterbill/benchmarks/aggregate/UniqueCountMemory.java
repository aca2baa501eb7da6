package dev.meterbill.benchmarks.aggregate;

import dev.meterbill.jobs.usage.UsageRecord;
import dev.meterbill.jobs.usage.dedupe.DedupeFunction;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * {@code ./billing bench unique-counts}: what exact unique counts cost per million distinct values, in the state of the
 * first-seen operator the job runs for a unique_count definition (docs/metering.md): the heap it takes on the
 * hashmap backend (heap used after a full GC, minus before), and the bytes a full snapshot writes on hashmap and on
 * RocksDB. Keys look like the job's: {@code <name>|<period>|user-<n>} within one project.
 */
public final class UniqueCountMemory {

    private static final int VALUES = Integer.getInteger("bench.unique.values", 1_000_000);
    /**
     * Values written on RocksDB. In this harness every put goes to RocksDB on the calling thread with default options,
     * about 5,000 a second here (a million did not finish in 36 minutes), so RocksDB gets fewer values and its snapshot
     * is scaled per million.
     */
    private static final int ROCKSDB_VALUES = Integer.getInteger("bench.unique.rocksdb.values", 20_000);
    private static final String NAME = "monthly_active_users{region=in}";

    private UniqueCountMemory() {}

    public static void main(String[] args) throws Exception {
        System.out.printf("unique counts: %,d distinct values of one definition, period and group (RocksDB: %,d)%n", VALUES,
                ROCKSDB_VALUES);
        long heap = measure(false, VALUES);
        long rocks = measure(true, ROCKSDB_VALUES);
        System.out.printf("%nheap per million distinct values (hashmap backend): %,.0f MiB%n", heap * 1e6 / VALUES / 1048576.0);
        System.out.printf("RocksDB full snapshot per million distinct values: %,.1f MiB%n",
                rocks * 1e6 / ROCKSDB_VALUES / 1048576.0);
        System.exit(0);
    }

    /** Returns heap bytes (hashmap) or snapshot bytes (RocksDB) for {@link #VALUES} keys; prints both figures. */
    private static long measure(boolean rocksDb, int values) throws Exception {
        UUID project = UUID.randomUUID();
        UUID org = UUID.randomUUID();
        Instant at = Instant.parse("2026-03-10T10:00:00Z");
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, UsageRecord, UsageRecord>(
                new KeyedProcessOperator<>(new DedupeFunction(Duration.ofDays(40))), new DedupeFunction.Key(),
                DedupeFunction.KEY_TYPE, 128, 1, 0)) {
            if (rocksDb) {
                EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
                backend.setDbStoragePath(Files.createTempDirectory("unique-rocksdb").toString());
                harness.setStateBackend(backend);
            }
            // snapshots of this size go to files, as in the job (memory-backed checkpoints stop at 5 MiB)
            harness.setCheckpointStorage(new FileSystemCheckpointStorage(Files.createTempDirectory("unique-checkpoints").toUri()));
            harness.open();
            long before = usedHeapAfterGc();
            long started = System.nanoTime();
            for (int i = 0; i < values; i++) {
                harness.processElement(new UsageRecord(UUID.randomUUID().toString(), project.toString(), org.toString(), NAME,
                        BigDecimal.ONE, "count", at, at, "UTC", NAME + "|2026-03|user-" + i, Map.of()), 0);
                if (i % 100_000 == 99_999) {
                    harness.getOutput().clear(); // the operator's output is not its state
                }
            }
            harness.getOutput().clear();
            long heap = usedHeapAfterGc() - before;
            OperatorSubtaskState snapshot = harness.snapshot(1, 1);
            long snapshotBytes = snapshot.getStateSize();
            System.out.printf("%-8s %,d values in %.1f s; heap +%,d bytes (%,.0f per value), full snapshot %,d bytes (%,.0f per value)%n",
                    rocksDb ? "rocksdb" : "hashmap", values, (System.nanoTime() - started) / 1e9, heap, (double) heap / values,
                    snapshotBytes, (double) snapshotBytes / values);
            System.out.flush();
            return rocksDb ? snapshotBytes : heap;
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
