package dev.meterbill.localstack.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the {@code config.yaml} and log4j configuration a Flink 2.2 process reads from its --configDir. */
final class FlinkConfigFile {

    // Flink's own log4j.properties, reduced: one file per process, named by -Dlog.file.
    private static final String LOG4J = """
            monitorInterval = 0
            rootLogger.level = INFO
            rootLogger.appenderRef.file.ref = MainAppender
            logger.pekko.name = org.apache.pekko
            logger.pekko.level = WARN
            logger.kafka.name = org.apache.kafka
            logger.kafka.level = WARN
            appender.main.name = MainAppender
            appender.main.type = File
            appender.main.append = true
            appender.main.fileName = ${sys:log.file}
            appender.main.layout.type = PatternLayout
            appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
            """;

    private FlinkConfigFile() {}

    /**
     * The settings of a small session cluster on this machine, measured to work on 2 cores (see
     * FLINK-CLUSTER.md): fast failure detection, unlimited fixed-delay restarts, RocksDB with
     * incremental checkpoints retained on cancellation, so a stopped cluster can resume.
     */
    static Map<String, String> defaults(Path workDir, int restPort, int rpcPort, int slotsPerTaskManager) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "localhost");
        c.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        c.put("jobmanager.bind-host", "localhost");
        c.put("jobmanager.memory.process.size", "768m");
        c.put("blob.server.port", "0");
        c.put("rest.address", "localhost");
        c.put("rest.bind-address", "localhost");
        c.put("rest.port", Integer.toString(restPort));
        c.put("web.upload.dir", workDir.resolve("web-upload").toAbsolutePath().toString());
        c.put("taskmanager.host", "localhost");
        c.put("taskmanager.bind-host", "localhost");
        c.put("taskmanager.rpc.port", "0");
        c.put("taskmanager.data.port", "0");
        c.put("taskmanager.numberOfTaskSlots", Integer.toString(slotsPerTaskManager));
        // 1024m leaves ~26 MB of task heap: too small for the job
        c.put("taskmanager.memory.process.size", "1280m");
        c.put("taskmanager.memory.managed.fraction", "0.25");
        c.put("io.tmp.dirs", workDir.resolve("tmp").toAbsolutePath().toString());
        c.put("state.backend.type", "rocksdb");
        c.put("execution.checkpointing.incremental", "true");
        // RocksDB writes one LOG per operator instance; keep them out of the process logs
        c.put("state.backend.rocksdb.log.dir", workDir.resolve("tmp").resolve("rocksdb-logs").toAbsolutePath().toString());
        c.put("state.backend.rocksdb.log.level", "HEADER_LEVEL");
        c.put("execution.checkpointing.dir", workDir.resolve("checkpoints").toAbsolutePath().toUri().toString());
        c.put("execution.checkpointing.savepoint-dir", workDir.resolve("savepoints").toAbsolutePath().toUri().toString());
        c.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        c.put("restart-strategy.type", "fixed-delay");
        c.put("restart-strategy.fixed-delay.attempts", "1000");
        c.put("restart-strategy.fixed-delay.delay", "1s");
        // the defaults take ~20 s to notice a dead TaskManager
        c.put("heartbeat.interval", "1000");
        c.put("heartbeat.timeout", "6000");
        // a busy 2-core machine answers RPCs slowly; a timeout here would fail healthy work
        c.put("pekko.ask.timeout", "30 s");
        return c;
    }

    static void write(Path confDir, Map<String, String> settings) throws IOException {
        Files.createDirectories(confDir);
        StringBuilder yaml = new StringBuilder("# written by meterbill local-stack; flat keys are valid Flink 2 YAML\n");
        settings.forEach((k, v) -> yaml.append(k).append(": ").append(quote(v)).append('\n'));
        Files.writeString(confDir.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
        Files.writeString(confDir.resolve("log4j.properties"), LOG4J, StandardCharsets.UTF_8);
    }

    private static String quote(String v) {
        return v.matches("[A-Za-z0-9_./:, -]*") && !v.contains(": ") ? v : "'" + v.replace("'", "''") + "'";
    }
}
