package dev.meterbill.localstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

    /** A JVM that waits to be ended. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        }
    }

    @TempDir
    Path work;

    private ManagedProcess launchSleeper(String name) throws Exception {
        return ManagedProcess.launch(new ManagedProcess.Spec(name, List.of("-Xmx32m"), System.getProperty("java.class.path"),
                Sleeper.class.getName(), List.of(), Map.of()), work.resolve("pids"), work.resolve("logs"));
    }

    @Test
    void aProcessIsFoundAgainThroughItsPidFileAndEndedByPid() throws Exception {
        ManagedProcess started = launchSleeper("sleeper");
        assertThat(Files.readString(work.resolve("pids/sleeper.pid")).trim()).isEqualTo(Long.toString(started.pid()));

        List<ManagedProcess> found = PidFiles.alive(work.resolve("pids"));
        assertThat(found).extracting(ManagedProcess::pid).containsExactly(started.pid());

        assertThat(PidFiles.stopAll(work.resolve("pids"), Duration.ofSeconds(10))).hasSize(1);
        assertThat(started.isAlive()).isFalse();
        assertThat(work.resolve("pids/sleeper.pid")).doesNotExist();
    }

    @Test
    void aPidFileNamingSomeoneElsesProcessIsNeverActedOn() throws Exception {
        Files.createDirectories(work.resolve("pids"));
        // this test JVM does not carry the marker of that file: as if the PID had been reused
        Files.writeString(work.resolve("pids/stale.pid"), Long.toString(ProcessHandle.current().pid()));

        assertThat(PidFiles.stopAll(work.resolve("pids"), Duration.ofSeconds(1))).isEmpty();
        assertThat(work.resolve("pids/stale.pid")).doesNotExist();
    }

    @Test
    void killEndsAProcessAtOnce() throws Exception {
        ManagedProcess started = launchSleeper("victim");
        started.kill();
        assertThat(started.isAlive()).isFalse();
        assertThat(PidFiles.alive(work.resolve("pids"))).isEmpty();
    }

    @Test
    void extraJvmOptionsComeFromOneWhitespaceSeparatedVariable() {
        assertThat(ManagedProcess.extraJvmArgs(null)).isEmpty();
        assertThat(ManagedProcess.extraJvmArgs("  ")).isEmpty();
        assertThat(ManagedProcess.extraJvmArgs(" -XX:TieredStopAtLevel=1\t -Xss1m ")).containsExactly(
                "-XX:TieredStopAtLevel=1", "-Xss1m");
    }
}
