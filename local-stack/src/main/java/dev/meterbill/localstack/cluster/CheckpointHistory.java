package dev.meterbill.localstack.cluster;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A job's checkpoint statistics as {@code GET /jobs/:id/checkpoints} reports them.
 *
 * @param completed            checkpoints completed since the job was submitted
 * @param restored             how often the job restored its state (from a checkpoint or savepoint)
 * @param latestRestoredId     id of the checkpoint the latest restore used, -1 if none
 * @param latestRestoredFromSavepoint whether that restore used a savepoint
 * @param latestRestoredPath   its external path, null if none
 * @param latestCompletedId    id of the latest completed checkpoint, -1 if none
 */
public record CheckpointHistory(long completed, long restored, long latestRestoredId, boolean latestRestoredFromSavepoint,
                                String latestRestoredPath, long latestCompletedId) {

    static CheckpointHistory of(JsonNode json) {
        JsonNode counts = json.path("counts");
        JsonNode restored = json.path("latest").path("restored");
        JsonNode completed = json.path("latest").path("completed");
        boolean hasRestore = restored.isObject();
        return new CheckpointHistory(
                counts.path("completed").asLong(),
                counts.path("restored").asLong(),
                hasRestore ? restored.path("id").asLong(-1) : -1,
                hasRestore && restored.path("is_savepoint").asBoolean(),
                hasRestore ? restored.path("external_path").asText(null) : null,
                completed.isObject() ? completed.path("id").asLong(-1) : -1);
    }
}
