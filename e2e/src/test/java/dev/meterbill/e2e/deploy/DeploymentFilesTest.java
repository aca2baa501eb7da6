package dev.meterbill.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meterbill.billing.BillingApi;
import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.billing.payment.RazorpaySettings;
import dev.meterbill.gateway.GatewayApp;
import dev.meterbill.gateway.GatewayConfig;
import dev.meterbill.jobs.usage.JobConfig;
import dev.meterbill.jobs.usage.UsageAggregationJob;
import dev.meterbill.localstack.cluster.UsageJobDeployment;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so this keeps docker/ honest: every service in compose.yaml starts
 * with the environment it is given (parsed by the service's own configuration class), listens
 * where its ports and health checks expect, and the job's entry class and arguments are what
 * UsageAggregationJob accepts, in compose and in the Kubernetes FlinkDeployment.
 */
class DeploymentFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String USRLIB_JAR = "/opt/flink/usrlib/usage-aggregation.jar";
    private static final String ARCHIVE_JAR = "/opt/flink/usrlib/usage-archive.jar";

    private static Path docker;
    private static JsonNode services;

    @BeforeAll
    static void load() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("docker"))) {
            dir = dir.getParent();
        }
        docker = dir.resolve("docker");
        services = YAML.readTree(docker.resolve("compose.yaml").toFile()).path("services");
    }

    @Test
    void everyGatewayReplicaStartsWithItsEnvironmentAndListensOnItsMappedPort() {
        List<String> gateways = servicesWithImage("meterbill/ingest-gateway");
        assertThat(gateways).hasSizeGreaterThanOrEqualTo(2);
        List<String> instanceIds = new ArrayList<>();
        for (String name : gateways) {
            RecordingEnv env = ComposeEnv.of(services.get(name));
            GatewayConfig config = GatewayConfig.fromEnv(env); // throws, naming the variable, if one is missing
            assertThat(env.keySet()).as(name + " sets only variables the gateway reads").isSubsetOf(env.read());
            assertThat(containerPort(name)).isEqualTo(config.port());
            assertThat(config.kafkaBootstrapServers()).isEqualTo(kafkaAdvertisedAddress());
            assertDatabaseIsComposePostgres(config.dbUrl(), config.dbUser());
            instanceIds.add(config.instanceId());
        }
        assertThat(instanceIds).as("unique transactional ids per replica").doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void billingApiStartsWithItsEnvironmentAndTheOperatorMustSupplyTheSecrets() {
        RecordingEnv env = ComposeEnv.of(services.get("billing-api"));
        BillingApiConfig config = BillingApiConfig.fromEnv(env, false);
        assertThat(env.keySet()).isSubsetOf(env.read());
        assertThat(containerPort("billing-api")).isEqualTo(config.port());
        assertDatabaseIsComposePostgres(config.dbUrl(), config.dbUser());
        // compose refuses to start without them (${VAR:?...}) instead of running with a default secret
        assertThat(ComposeEnv.requiredFromOperator(services.get("billing-api")))
                .contains(BillingApiConfig.ADMIN_TOKEN, BillingApiConfig.DB_PASSWORD,
                        RazorpaySettings.KEY_ID, RazorpaySettings.KEY_SECRET, RazorpaySettings.WEBHOOK_SECRET);
        assertThat(config.razorpay().enabled()).as("a production deployment collects payments").isTrue();
        assertThat(config.kafkaBootstrap()).as("metric definitions reach the job").isEqualTo(kafkaAdvertisedAddress());
    }

    @Test
    void serviceImagesRunAsNonRootWithHealthChecksOnTheDefaultPorts() throws IOException {
        int gatewayPort = GatewayConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")).port();
        assertServiceImage("ingest-gateway.Dockerfile", GatewayApp.class.getName(), "GATEWAY_PORT", gatewayPort);
        assertServiceImage("billing-api.Dockerfile", BillingApi.class.getName(), BillingApiConfig.API_PORT, BillingApiConfig.DEFAULT_PORT);
    }

    @Test
    void theJobImageIsTheOfficialFlinkImageOfOurFlinkVersionWithTheJarInUsrlib() throws IOException {
        String dockerfile = Files.readString(docker.resolve("flink-job.Dockerfile"));
        assertThat(lastMatch(dockerfile, "(?m)^FROM (\\S+)\\s*$")).startsWith("flink:" + flinkVersion() + "-java17");
        assertThat(dockerfile).containsPattern("(?m)^COPY .* " + Pattern.quote(USRLIB_JAR) + "\\s*$");
    }

    @Test
    void composeRunsTheJobInApplicationModeWithArgumentsTheJobAccepts() {
        List<String> command = strings(services.path("jobmanager").path("command"));
        assertThat(command.get(0)).isEqualTo("standalone-job");
        assertThat(command.subList(1, 3)).containsExactly("--job-classname", UsageAggregationJob.class.getName());
        List<String> jobArgs = ComposeEnv.interpolate(command.subList(3, command.size()));
        assertThat(jobArgs).as("the password stays out of the arguments (Flink's web UI shows them)")
                .doesNotContain("--jdbc.password");
        RecordingEnv jobmanager = ComposeEnv.of(services.get("jobmanager"));
        JobConfig job = JobArguments.assertAccepted(jobArgs, jobmanager);
        assertThat(ComposeEnv.requiredFromOperator(services.get("jobmanager"))).contains(JobConfig.JDBC_PASSWORD_ENV);

        RecordingEnv gateway = ComposeEnv.of(services.get("gateway-1"));
        assertThat(job.kafkaBootstrap()).isEqualTo(gateway.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(job.jdbcUrl()).isEqualTo(gateway.get("BILLING_DB_URL"));
        assertThat(job.jdbcUser()).isEqualTo(gateway.get("BILLING_DB_USER"));
        assertThat(job.jdbcPassword()).isEqualTo(gateway.get("BILLING_DB_PASSWORD"));
        Map<String, String> flink = flinkProperties("jobmanager");
        assertThat(job.checkpointDir()).isEqualTo(flink.get("execution.checkpointing.dir"));
        assertThat(flinkProperties("taskmanager")).isEqualTo(flink);
        assertThat(job.parallelism()).isLessThanOrEqualTo(Integer.parseInt(flink.get("taskmanager.numberOfTaskSlots")));
        assertThat(services.path("taskmanager").path("image").asText()).isEqualTo(services.path("jobmanager").path("image").asText());
    }

    @Test
    void theFlinkDeploymentRunsOurJarWithArgumentsTheJobAccepts() throws IOException {
        JsonNode spec = YAML.readTree(docker.resolve("k8s/flink-deployment.yaml").toFile()).path("spec");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v" + flinkVersion().replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2"));
        assertThat(spec.path("job").path("entryClass").asText()).isEqualTo(UsageAggregationJob.class.getName());
        assertThat(spec.path("job").path("jarURI").asText()).isEqualTo("local://" + USRLIB_JAR);
        assertThat(spec.path("job").path("upgradeMode").asText()).isEqualTo("savepoint");
        List<String> args = strings(spec.path("job").path("args"));
        assertThat(args).as("the password comes from a Secret, not an argument").doesNotContain("--jdbc.password");
        JobConfig job = JobArguments.assertAccepted(args);
        JsonNode env = spec.path("jobManager").path("podTemplate").path("spec").path("containers").path(0).path("env");
        assertThat(env.findValues("name").stream().map(JsonNode::asText).toList()).contains(JobConfig.JDBC_PASSWORD_ENV);
        assertThat(env.findValue("secretKeyRef").path("name").asText()).isNotBlank();
        assertThat(job.parallelism()).isEqualTo(spec.path("job").path("parallelism").asInt());
        assertThat(job.checkpointDir()).isEqualTo(spec.path("flinkConfiguration").path("execution.checkpointing.dir").asText());
        assertThat(job.stateBackend()).isEqualTo(spec.path("flinkConfiguration").path("state.backend.type").asText());
    }

    @Test
    void composeRunsTheArchiveJobBesideItOnTheVolumeBillingApiReads() throws IOException {
        List<String> command = strings(services.path("archive-jobmanager").path("command"));
        assertThat(command.subList(0, 3)).containsExactly("standalone-job", "--job-classname",
                UsageJobDeployment.ARCHIVE_ENTRY_CLASS);
        List<String> args = new ArrayList<>(command.subList(3, command.size()));
        String archivePath = archivePath(args);
        JobConfig job = JobArguments.assertAccepted(args);
        assertThat(job.kafkaBootstrap()).isEqualTo(kafkaAdvertisedAddress());
        Map<String, String> flink = flinkProperties("archive-jobmanager");
        assertThat(job.checkpointDir()).isEqualTo(flink.get("execution.checkpointing.dir"))
                .isNotEqualTo(flinkProperties("jobmanager").get("execution.checkpointing.dir"));
        assertThat(flinkProperties("archive-taskmanager")).isEqualTo(flink);
        assertThat(flink.get("jobmanager.rpc.address")).isEqualTo("archive-jobmanager");
        assertThat(job.parallelism()).isLessThanOrEqualTo(Integer.parseInt(flink.get("taskmanager.numberOfTaskSlots")));

        // the job writes where billing-api reads: the same volume, mounted at the same path
        String mount = URI.create(archivePath).getPath();
        String volume = volumeAt(services.get("archive-jobmanager"), mount);
        assertThat(volume).isNotNull().isEqualTo(volumeAt(services.get("archive-taskmanager"), mount))
                .isEqualTo(volumeAt(services.get("billing-api"), mount));
        BillingApiConfig billing = BillingApiConfig.fromEnv(ComposeEnv.of(services.get("billing-api")), false);
        assertThat(billing.archive().archive().root()).isEqualTo(Path.of(mount));
        String dockerfile = Files.readString(docker.resolve("archive-job.Dockerfile"));
        assertThat(lastMatch(dockerfile, "(?m)^FROM (\\S+)\\s*$")).startsWith("flink:" + flinkVersion() + "-java17");
        assertThat(dockerfile).containsPattern("(?m)^COPY .* " + Pattern.quote(ARCHIVE_JAR) + "\\s*$");
        assertThat(services.path("archive-jobmanager").path("image").asText())
                .isEqualTo(services.path("archive-taskmanager").path("image").asText());
    }

    @Test
    void theArchiveFlinkDeploymentWritesToS3ThroughTheHadoopPlugin() throws IOException {
        JsonNode spec = YAML.readTree(docker.resolve("k8s/archive-deployment.yaml").toFile()).path("spec");
        assertThat(spec.path("job").path("entryClass").asText()).isEqualTo(UsageJobDeployment.ARCHIVE_ENTRY_CLASS);
        assertThat(spec.path("job").path("jarURI").asText()).isEqualTo("local://" + ARCHIVE_JAR);
        assertThat(spec.path("job").path("upgradeMode").asText()).isEqualTo("savepoint");
        List<String> args = new ArrayList<>(strings(spec.path("job").path("args")));
        assertThat(archivePath(args)).startsWith("s3://");
        JobConfig job = JobArguments.assertAccepted(args);
        assertThat(job.parallelism()).isEqualTo(spec.path("job").path("parallelism").asInt());
        assertThat(job.checkpointDir()).isEqualTo(spec.path("flinkConfiguration").path("execution.checkpointing.dir").asText());
        // FileSink's recoverable writer on S3 is in flink-s3-fs-hadoop, not in the presto plugin
        assertThat(spec.path("podTemplate").findValue("env").findValues("value").stream().map(JsonNode::asText))
                .contains("flink-s3-fs-hadoop-" + flinkVersion() + ".jar");
    }

    /** Removes {@code --archive.path} (EventArchiveJob's own argument, not JobConfig's) from {@code args}; returns it. */
    private static String archivePath(List<String> args) {
        int i = args.indexOf("--archive.path");
        assertThat(i).as("--archive.path is given").isNotNegative();
        String path = args.get(i + 1);
        args.subList(i, i + 2).clear();
        return path;
    }

    /** The named volume a compose service mounts at {@code path}, or null. */
    private static String volumeAt(JsonNode service, String path) {
        for (String volume : strings(service.path("volumes"))) {
            if (volume.endsWith(":" + path)) {
                return volume.substring(0, volume.indexOf(':'));
            }
        }
        return null;
    }

    private void assertServiceImage(String file, String mainClass, String portVariable, int port) throws IOException {
        String dockerfile = Files.readString(docker.resolve(file));
        assertThat(lastMatch(dockerfile, "(?m)^FROM (\\S+)")).startsWith("eclipse-temurin:17-jre");
        assertThat(lastMatch(dockerfile, "(?m)^USER (\\S+)")).as(file + " runs as a non-root user").isNotIn("root", "0");
        assertThat(lastMatch(dockerfile, "(?m)^EXPOSE (\\d+)")).isEqualTo(Integer.toString(port));
        assertThat(dockerfile).containsPattern("(?m)^ENV " + portVariable + "=" + port + "\\s*$");
        assertThat(dockerfile).containsPattern("HEALTHCHECK[^\\n]*(\\\\\\n[^\\n]*)*http://localhost:\\$\\{" + portVariable + "\\}/health/ready");
        assertThat(lastMatch(dockerfile, "(?m)^ENTRYPOINT .*\"(dev\\.meterbill\\.[\\w.]+)\"\\]")).isEqualTo(mainClass);
    }

    private static void assertDatabaseIsComposePostgres(String dbUrl, String dbUser) {
        JsonNode postgres = services.path("postgres").path("environment");
        assertThat(dbUrl).isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.path("POSTGRES_DB").asText());
        assertThat(dbUser).isEqualTo(postgres.path("POSTGRES_USER").asText());
    }

    private static String kafkaAdvertisedAddress() {
        String listeners = services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText();
        return listeners.replaceFirst("^PLAINTEXT://", "");
    }

    private static int containerPort(String service) {
        List<String> ports = strings(services.path(service).path("ports"));
        assertThat(ports).as(service + " publishes one port").hasSize(1);
        return Integer.parseInt(ports.get(0).substring(ports.get(0).lastIndexOf(':') + 1));
    }

    private static Map<String, String> flinkProperties(String service) {
        String props = services.path(service).path("environment").path("FLINK_PROPERTIES").asText();
        Map<String, String> map = new java.util.TreeMap<>();
        props.lines().filter(l -> l.contains(": ")).forEach(l -> map.put(l.substring(0, l.indexOf(": ")).trim(),
                l.substring(l.indexOf(": ") + 2).trim()));
        return map;
    }

    private static List<String> servicesWithImage(String image) {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(n -> {
            if (services.get(n).path("image").asText().startsWith(image + ":")) {
                names.add(n);
            }
        });
        return names;
    }

    static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static String lastMatch(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    private static String flinkVersion() throws IOException {
        return lastMatch(Files.readString(docker.resolveSibling("pom.xml")), "<flink.version>([^<]+)</flink.version>");
    }
}
