package dev.meterbill.e2e.testutils;

import dev.meterbill.localstack.LocalStack;
import dev.meterbill.localstack.LocalStackConfig;
import dev.meterbill.localstack.cluster.BuildArtifacts;
import dev.meterbill.localstack.cluster.ClusterConfig;
import dev.meterbill.localstack.cluster.ProcessCluster;
import dev.meterbill.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * What the system tests start, each with a database of its own: the embedded local stack ({@code ./billing up}) and the
 * configuration of {@code ./billing cluster}'s processes, on free ports.
 */
public final class TestStacks {

    private TestStacks() {}

    /** A new database name for one test class. */
    public static String databaseName() {
        return "billing_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The local stack on random ports, a database of its own and a temporary work dir named after {@code prefix}. */
    public static LocalStack startLocal(String prefix) throws Exception {
        return LocalStack.start(LocalStackConfig.forTest(databaseName(), Files.createTempDirectory(prefix)));
    }

    /** Closes {@code stack} (null: it never started) and drops its database. */
    public static void stopLocal(LocalStack stack) throws Exception {
        if (stack != null) {
            stack.close();
            TestDatabase.drop(stack.dbUrl().substring(stack.dbUrl().lastIndexOf('/') + 1));
        }
    }

    /**
     * {@code ./billing cluster}'s configuration in {@code e2e/target/cluster-it/<name>} (reset): free ports, one
     * TaskManager, two gateways, database {@code dbName}, billing-api's heap {@code billingApiHeap} (null: the default).
     */
    public static ClusterConfig cluster(BuildArtifacts artifacts, String name, String dbName, String adminToken,
                                        String billingApiHeap) throws IOException {
        Path workDir = artifacts.repoRoot().resolve("e2e/target/cluster-it").resolve(name);
        WorkDirs.reset(workDir);
        return new ClusterConfig(workDir, TestDatabase.urlOf(dbName), TestDatabase.USER, TestDatabase.PASSWORD,
                freePort(), freePort(), freePort(), freePort(), 1, List.of(freePort(), freePort()), freePort(), adminToken,
                billingApiHeap);
    }

    /** Stops every process of the cluster (no savepoint) and drops its database. */
    public static void stopCluster(ClusterConfig config, String dbName) throws IOException {
        ProcessCluster.stop(config, new PrintStream(new ByteArrayOutputStream()), false);
        TestDatabase.drop(dbName);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
