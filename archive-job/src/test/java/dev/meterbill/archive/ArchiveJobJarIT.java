package dev.meterbill.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The shaded jar a cluster gets for the archive job: our code, the sink, Parquet and Hadoop's client; no Flink runtime. */
class ArchiveJobJarIT {

    private static final Path JAR = Path.of("target", "archive-job-0.1.0-SNAPSHOT-job.jar");

    @Test
    void theJobJarBundlesTheSinkParquetAndHadoopButNotFlinkItself() throws Exception {
        assertThat(JAR).exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(EventArchiveJob.class.getName());
            List<String> classes = jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).toList();
            assertThat(classes).contains(
                    "dev/meterbill/archive/EventArchiveJob.class",
                    "dev/meterbill/jobs/usage/dedupe/DedupeFunction.class",
                    "org/apache/flink/connector/kafka/source/KafkaSource.class",
                    "org/apache/flink/formats/parquet/avro/AvroParquetWriters.class",
                    "org/apache/parquet/hadoop/ParquetWriter.class",
                    "org/apache/hadoop/conf/Configuration.class");
            assertThat(classes).noneMatch(n -> n.startsWith("org/apache/flink/api/")
                    || n.startsWith("org/apache/flink/runtime/")
                    || n.startsWith("org/apache/flink/streaming/api/environment/")
                    || n.startsWith("org/slf4j/"));
        }
        assertThat(Files.size(JAR)).isLessThan(150L * 1024 * 1024);
    }
}
