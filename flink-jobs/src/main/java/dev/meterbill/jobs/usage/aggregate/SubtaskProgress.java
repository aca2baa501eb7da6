package dev.meterbill.jobs.usage.aggregate;

import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * What one subtask of {@link PeriodTotalsFunction} knows beyond its keys: which checkpoints it
 * snapshotted and saw complete, how far event time has gone, and since when the watermark stood still.
 *
 * <p>Checkpoint ids restart from the restored checkpoint's id, which Flink also continues counting
 * from. The watermark is kept in (union) operator state because a restored operator starts at
 * {@code Long.MIN_VALUE}: without it, an event of a period finalised long ago (its final flag
 * expired) arriving before the first watermark would reopen the period, and its total would bounce
 * off the final row unseen. After rescaling the smallest of the old subtasks' watermarks is used.
 */
final class SubtaskProgress {

    private final ListState<Long> checkpointedWatermark;
    private final long restoredWatermark;
    private long latestWatermark;
    private long lastSnapshot;
    private long lastCompleted;
    private long stillWatermark;
    private long stillSince = -1;

    private SubtaskProgress(ListState<Long> checkpointedWatermark, long restoredWatermark, long restoredCheckpoint) {
        this.checkpointedWatermark = checkpointedWatermark;
        this.restoredWatermark = restoredWatermark;
        this.latestWatermark = restoredWatermark;
        this.lastSnapshot = restoredCheckpoint;
        this.lastCompleted = restoredCheckpoint;
    }

    static SubtaskProgress initialize(FunctionInitializationContext context) throws Exception {
        ListState<Long> state = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("watermark", Types.LONG));
        long restored = Long.MIN_VALUE;
        for (Long w : state.get()) {
            restored = restored == Long.MIN_VALUE ? w : Math.min(restored, w);
        }
        return new SubtaskProgress(state, restored, context.getRestoredCheckpointId().orElse(0L));
    }

    void snapshot(long checkpointId) throws Exception {
        lastSnapshot = checkpointId;
        checkpointedWatermark.update(List.of(latestWatermark));
    }

    void completed(long checkpointId) {
        lastCompleted = Math.max(lastCompleted, checkpointId);
    }

    /** The id to store with a decision taken now: it is durable once a later checkpoint completed. */
    long lastSnapshot() {
        return lastSnapshot;
    }

    boolean isDurable(long decidedAfterSnapshot) {
        return lastCompleted > decidedAfterSnapshot;
    }

    /** Notes the operator's watermark; the end-of-input watermark says nothing about time and is ignored. */
    void observe(long watermark) {
        if (watermark != Long.MAX_VALUE && watermark > latestWatermark) {
            latestWatermark = watermark;
        }
    }

    /** The operator's watermark, or the one it had reached before the restore if that is further. */
    long watermark(long operatorWatermark) {
        return Math.max(operatorWatermark, restoredWatermark);
    }

    /**
     * When the watermark last moved, as far as this subtask has noticed. It looks only when asked
     * (from a timer), so it may notice a move late, which delays processing-time finalisation but
     * never hastens it; after a (re)start the quiet period counts from the first look.
     */
    long stillSince(long operatorWatermark, long now) {
        if (stillSince < 0 || operatorWatermark != stillWatermark) {
            stillWatermark = operatorWatermark;
            stillSince = now;
        }
        return stillSince;
    }
}
