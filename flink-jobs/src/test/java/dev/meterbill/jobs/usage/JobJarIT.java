package dev.meterbill.jobs.usage;


import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The shaded job jar that {@code flink run} gets: our code and connectors, no Flink runtime, no benchmark. */
class JobJarIT {

    private static final Path JAR = Path.of("target", "flink-jobs-0.1.0-SNAPSHOT-job.jar");

    @Test
    void theJobJarBundlesConnectorsAndDriversButNotFlinkItself() throws Exception {
        assertThat(JAR).exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(UsageAggregationJob.class.getName());
            List<String> classes = jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).toList();

            assertThat(classes).contains(
                    "dev/meterbill/jobs/usage/UsageAggregationJob.class",
                    "dev/meterbill/events/UsageEventCodec.class",
                    "org/apache/flink/connector/kafka/source/KafkaSource.class",
                    "dev/meterbill/jobs/usage/sink/IsolatingJdbcSink.class",
                    "org/postgresql/Driver.class",
                    "org/apache/kafka/clients/consumer/KafkaConsumer.class",
                    "com/fasterxml/jackson/databind/ObjectMapper.class");
            assertThat(classes).noneMatch(n -> n.startsWith("org/apache/flink/api/")
                    || n.startsWith("org/apache/flink/core/")
                    || n.startsWith("org/apache/flink/runtime/")
                    || n.startsWith("org/apache/flink/configuration/")
                    || n.startsWith("org/apache/flink/streaming/api/")
                    || n.startsWith("org/apache/flink/shaded/")
                    || n.startsWith("org/apache/flink/state/rocksdb/")
                    || n.startsWith("org/rocksdb/")
                    || n.startsWith("org/slf4j/")
                    || n.startsWith("org/apache/logging/log4j/")
                    || n.contains("/bench"));
        }
        assertThat(Files.size(JAR)).isLessThan(60L * 1024 * 1024);
    }
}
