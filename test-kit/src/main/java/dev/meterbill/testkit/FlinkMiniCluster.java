package dev.meterbill.testkit;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The Flink MiniCluster every job test runs on, as flink-training's tests do: one TaskManager with
 * two slots, so that jobs run with parallelism 2 and exercise keyed shuffles and per-subtask state.
 */
public final class FlinkMiniCluster {

    /** Slots of the one TaskManager: the highest parallelism a test job may ask for. */
    public static final int SLOTS = 2;

    private FlinkMiniCluster() {}

    /**
     * A MiniCluster for a static {@code @RegisterExtension} field: started before the class's tests,
     * shared by them, and the default environment of {@code StreamExecutionEnvironment.getExecutionEnvironment()}.
     */
    public static MiniClusterExtension extension() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(SLOTS)
                .build());
    }
}
