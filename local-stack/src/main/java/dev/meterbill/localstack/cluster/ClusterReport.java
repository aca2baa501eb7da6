package dev.meterbill.localstack.cluster;

import java.io.PrintStream;
import java.util.List;

/** What {@code ./billing cluster} prints: where each component listens and which PID it has. */
final class ClusterReport {

    private ClusterReport() {}

    static void started(PrintStream out, ClusterConfig c, String adminToken, ProcessCluster.Started started) {
        out.printf("%nmeterbill cluster is up (production topology, one JVM per component; work dir %s)%n", c.workDir());
        out.printf("  kafka          %s%n", c.kafkaBootstrap());
        out.printf("  flink          %s   (web UI; aggregation job %s, archive job %s)%n", started.flinkRestUrl(),
                started.jobId(), started.archiveJobId());
        out.printf("  archive        %s   (Parquet, organisation=<id>/date=<day>/)%n", c.archiveDir());
        for (int i = 0; i < c.gatewayPorts().size(); i++) {
            out.printf("  gateway-%d      http://localhost:%d   (POST /api/v1/ingest with a project API key)%n",
                    i + 1, c.gatewayPorts().get(i));
        }
        out.printf("  billing API    http://localhost:%d   (operator token: %s)%n", c.billingApiPort(), adminToken);
        out.printf("  database       %s%n", c.dbUrl());
        out.println("  processes:");
        started.processes().forEach(p -> out.printf("    %-14s pid %d%n", p.name(), p.pid()));
        out.printf("logs in %s; ./billing cluster stop ends exactly these processes.%n", c.workDir().resolve("logs"));
    }

    static void status(PrintStream out, ClusterConfig c, List<ManagedProcess> processes) {
        if (processes.isEmpty()) {
            out.println("no cluster process is running (work dir " + c.workDir() + ")");
            return;
        }
        processes.forEach(p -> out.printf("%-14s pid %d%n", p.name(), p.pid()));
    }
}
