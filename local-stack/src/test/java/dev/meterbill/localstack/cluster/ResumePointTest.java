package dev.meterbill.localstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumePointTest {

    @TempDir
    Path work;

    private Path snapshot(String dir, long modifiedMillis, boolean complete) throws Exception {
        Path d = Files.createDirectories(work.resolve(dir));
        if (complete) {
            Files.writeString(d.resolve("_metadata"), "x");
            Files.setLastModifiedTime(d.resolve("_metadata"), FileTime.fromMillis(modifiedMillis));
        }
        return d;
    }

    @Test
    void nothingToResumeFromOnAFreshWorkDir() throws Exception {
        assertThat(ResumePoint.latest(work)).isEmpty();
    }

    @Test
    void theNewestCompleteSnapshotWinsWhetherSavepointOrRetainedCheckpoint() throws Exception {
        snapshot("savepoints/savepoint-aaa", 1_000, true);
        Path checkpoint = snapshot("checkpoints/job1/chk-7", 2_000, true);
        snapshot("checkpoints/job1/chk-8", 3_000, false); // still being written: no _metadata

        assertThat(ResumePoint.latest(work)).contains(checkpoint);

        Path savepoint = snapshot("savepoints/savepoint-bbb", 4_000, true);
        assertThat(ResumePoint.latest(work)).contains(savepoint);
    }
}
