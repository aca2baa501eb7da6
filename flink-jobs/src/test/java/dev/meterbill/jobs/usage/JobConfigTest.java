package dev.meterbill.jobs.usage;

import dev.meterbill.events.UsageTopics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JobConfigTest {

    @Test
    void defaultsServeTheLocalStack() {
        JobConfig c = JobConfig.fromArgs(new String[0]);

        assertThat(c.kafkaBootstrap()).isEqualTo("localhost:9092");
        assertThat(c.topic()).isEqualTo(UsageTopics.USAGE);
        assertThat(c.dlqTopic()).isEqualTo(UsageTopics.DEAD_LETTERS);
        assertThat(c.groupId()).isEqualTo("usage-aggregation");
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/billing");
        assertThat(c.jdbcUser()).isEqualTo("postgres");
        assertThat(c.jdbcPassword()).isEmpty();
        assertThat(c.checkpointIntervalMs()).isEqualTo(5000);
        assertThat(c.refreshIntervalMs()).isEqualTo(1000);
        assertThat(c.dedupeTtlDays()).isEqualTo(36);
        assertThat(c.outOfOrdernessMs()).isEqualTo(5000);
        assertThat(c.idlenessMs()).isEqualTo(30_000);
        assertThat(c.graceMs()).isEqualTo(3_600_000);
        assertThat(c.finaliseQuietMs()).isEqualTo(60_000);
        assertThat(c.sinkDetailIntervalMs()).isEqualTo(2_000);
        assertThat(c.groupCeiling()).isEqualTo(1_000);
        assertThat(c.parallelism()).isNull();
        assertThat(c.checkpointDir()).as("the cluster's own setting").isNull();
        assertThat(c.stateBackend()).as("the cluster's own setting").isNull();
        assertThat(JobConfig.defaults()).isEqualTo(c);
    }

    @Test
    void everyParameterCanBeOverridden() {
        JobConfig c = JobConfig.fromArgs(new String[] {
            "--kafka.bootstrap", "kafka:29092", "--topic", "t", "--dlq.topic", "d", "--group.id", "g",
            "--jdbc.url", "jdbc:postgresql://db/billing", "--jdbc.user", "u", "--jdbc.password", "secret",
            "--checkpoint.interval.ms", "60000", "--refresh.interval.ms", "0", "--combine.interval.ms", "0",
            "--dedupe.ttl.days", "40",
            "--out.of.orderness.ms", "100", "--idleness.ms", "2000", "--grace.ms", "0", "--finalise.quiet.ms", "2001",
            "--sink.batch.size", "10", "--sink.batch.interval.ms", "50", "--sink.detail.interval.ms", "3000",
            "--group.ceiling", "7", "--parallelism", "4",
            "--checkpoint.dir", "s3://bucket/ckpt", "--state.backend", "rocksdb"});

        assertThat(c).isEqualTo(new JobConfig("kafka:29092", "t", "d", "g", "jdbc:postgresql://db/billing", "u",
                "secret", 60000, 0, 0, 40, 100, 2000, 0, 2001, 10, 50, 3000, 7, 4, "s3://bucket/ckpt", "rocksdb"));
    }

    @Test
    void withoutTheArgumentThePasswordComesFromTheEnvironment() {
        Map<String, String> env = Map.of(JobConfig.JDBC_PASSWORD_ENV, "from-secret");

        assertThat(JobConfig.fromArgs(new String[0], env).jdbcPassword()).isEqualTo("from-secret");
        assertThat(JobConfig.fromArgs(new String[] {"--jdbc.password", "given"}, env).jdbcPassword()).isEqualTo("given");
        assertThat(JobConfig.fromArgs(new String[0]).jdbcPassword()).as("tests ignore the environment").isEmpty();
        assertThat(JobConfig.fromArgs(new String[0], env).toString()).doesNotContain("from-secret");
    }

    @Test
    void anEmptyPasswordMeansNone() {
        assertThat(JobConfig.fromArgs(new String[] {"--jdbc.password", ""}).jdbcPassword()).isEmpty();
        assertThat(JobConfig.fromArgs(new String[] {"--jdbc.password"}).jdbcPassword()).isEmpty();
    }

    @Test
    void aBadNumberNamesTheParameter() {
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--checkpoint.interval.ms", "soon"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--checkpoint.interval.ms");
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--grace.ms", "-1"}))
                .hasMessageContaining("--grace.ms");
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--group.ceiling", "0"}))
                .hasMessageContaining("--group.ceiling must be positive");
    }

    @Test
    void dedupeMustRememberKeysForTheWholeBackfillWindowOfTheGateway() {
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--dedupe.ttl.days", "35"}))
                .hasMessageContaining("--dedupe.ttl.days must be at least 36");
    }

    @Test
    void theQuietPeriodMustOutlastIdlenessSoThatASilentPartitionCannotFakeAnIdleStream() {
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--idleness.ms", "5000", "--finalise.quiet.ms", "5000"}))
                .hasMessageContaining("--finalise.quiet.ms must be greater than --idleness.ms");
    }

    @Test
    void onlyTheHashmapAndRocksdbStateBackendsAreAccepted() {
        assertThat(JobConfig.fromArgs(new String[] {"--state.backend", "hashmap"}).stateBackend()).isEqualTo("hashmap");
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--state.backend", "memory"}))
                .hasMessageContaining("--state.backend must be hashmap or rocksdb");
    }

    @Test
    void toStringNeverShowsThePassword() {
        JobConfig c = JobConfig.defaults().withJdbc("jdbc:postgresql://x/y", "u", "hunter2");

        assertThat(c.toString()).doesNotContain("hunter2").contains("jdbc:postgresql://x/y");
    }
}
