package dev.meterbill.localstack.cluster;

import java.nio.file.Path;

/**
 * {@code ./billing cluster [start|stop|status]}: the production topology as separate processes on
 * this machine. {@code start} returns once everything is up and leaves the processes running;
 * {@code stop} ends exactly the processes named by the work dir's PID files.
 */
public final class ClusterMain {

    private ClusterMain() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "start" : args[0];
        ClusterConfig config = ClusterConfig.fromEnv(System.getenv(), BuildArtifacts.repoRoot(Path.of("")).resolve(".cluster"));
        switch (command) {
            case "start" -> {
                try {
                    ProcessCluster.start(config, BuildArtifacts.locate(Path.of("")), System.out);
                } catch (Exception e) {
                    System.err.println("cluster did not start: " + e.getMessage());
                    System.exit(1);
                }
            }
            case "stop" -> {
                if (ProcessCluster.stop(config, System.out, true).isEmpty()) {
                    System.out.println("no cluster process was running");
                }
            }
            case "status" -> ClusterReport.status(System.out, config, PidFiles.alive(config.pidDir()));
            default -> {
                System.err.println("usage: ./billing cluster [start|stop|status]");
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
