package dev.meterbill.localstack;

import dev.meterbill.billing.BillingApi;
import dev.meterbill.archive.EventArchiveJob;
import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.billing.archive.ArchiveSettings;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.meterbill.billing.delivery.MailSettings;
import dev.meterbill.billing.hooks.WebhookSettings;
import dev.meterbill.billing.invoice.BillingSettings;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.payment.RazorpaySettings;
import dev.meterbill.events.UsageTopics;
import dev.meterbill.gateway.GatewayApp;
import dev.meterbill.gateway.GatewayConfig;
import dev.meterbill.jobs.usage.JobConfig;
import dev.meterbill.jobs.usage.UsageAggregationJob;
import dev.meterbill.irp.emulator.IrpEmulator;
import dev.meterbill.razorpay.emulator.RazorpayEmulator;
import dev.meterbill.testkit.KafkaBroker;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a real Kafka broker, the aggregation job and the raw-event archive job on Flink
 * MiniClusters, the gateway and billing-api (reading the archive), all in this JVM, against a real PostgreSQL server.
 *
 * <p>The stack is ephemeral: its database and Kafka data start empty on every start, because the
 * job's state lives in the MiniCluster and does not survive the JVM.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final LocalStackConfig config;
    private final KafkaBroker kafka;
    private final BillingApi billingApi;
    private final GatewayApp gateway;
    private final JobClient job;
    private final JobClient archiveJob;
    private final RazorpayEmulator razorpay;
    private final IrpEmulator irp;
    private final GreenMail mail;
    /** Saves every e-mail the SMTP server receives under {@link #mailDir}, so other processes can read them. */
    private final java.util.concurrent.ScheduledExecutorService mailSaver =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "local-stack-mail");
                t.setDaemon(true);
                return t;
            });
    private int mailsSaved;
    private static final java.util.regex.Pattern DOCUMENT_NUMBER =
            java.util.regex.Pattern.compile("\\b[A-Z0-9]{1,4}[0-9]{4}-[0-9]{6}\\b");

    private LocalStack(LocalStackConfig config, KafkaBroker kafka, BillingApi billingApi, GatewayApp gateway,
                       JobClient job, JobClient archiveJob, RazorpayEmulator razorpay, IrpEmulator irp, GreenMail mail) {
        this.archiveJob = archiveJob;
        this.irp = irp;
        this.mail = mail;
        this.config = config;
        this.kafka = kafka;
        this.billingApi = billingApi;
        this.gateway = gateway;
        this.job = job;
        this.razorpay = razorpay;
        mailSaver.scheduleWithFixedDelay(this::saveNewMail, 250, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Where every e-mail received is saved, as {@code <document number>.eml}. */
    public static Path mailDir(Path workDir) {
        return workDir.resolve("mail");
    }

    private void saveNewMail() {
        try {
            MimeMessage[] received = mail.getReceivedMessages();
            for (; mailsSaved < received.length; mailsSaved++) {
                MimeMessage message = received[mailsSaved];
                java.util.regex.Matcher number = DOCUMENT_NUMBER.matcher(String.valueOf(message.getSubject()));
                String name = number.find() ? number.group() : "mail-" + mailsSaved;
                Path dir = Files.createDirectories(mailDir(config.workDir()));
                Path partial = dir.resolve(name + ".eml.part");
                try (var out = Files.newOutputStream(partial)) {
                    message.writeTo(out);
                }
                Files.move(partial, dir.resolve(name + ".eml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (Exception e) {
            LOG.warn("could not save a received e-mail: {}", e.toString());
        }
    }

    /** Keys of the local Razorpay emulator; never valid on the real Razorpay. */
    static final String RAZORPAY_KEY_ID = "rzp_test_localstack";
    static final String RAZORPAY_KEY_SECRET = "local-key-secret";
    static final String RAZORPAY_WEBHOOK_SECRET = "local-webhook-secret";

    /** The demo supplier's GST registration (a made-up GSTIN with a valid check character), Karnataka. */
    static final BillingSettings DEMO_SUPPLIER_SETTINGS = BillingSettings.fromEnv(Map.of(
            BillingSettings.SUPPLIER_GSTIN, "29AAACM4321B1Z0"));

    public static LocalStack start(LocalStackConfig config) throws Exception {
        LocalDatabase.recreate(config.dbServerUrl(), config.dbUser(), config.dbPassword(), config.dbName());
        String dbUrl = config.dbUrl();
        deleteRecursively(config.workDir());
        KafkaBroker kafka = null;
        BillingApi api = null;
        GatewayApp gateway = null;
        RazorpayEmulator razorpay = null;
        IrpEmulator irp = null;
        GreenMail mail = null;
        try {
            // billing-api talks to it through the real razorpay-java SDK, redirected to its URL
            razorpay = RazorpayEmulator.start(config.razorpayPort(), RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET);
            // B2B invoices are registered at the Invoice Registration Portal's emulator (e-invoicing)
            irp = IrpEmulator.start(0);
            // invoices and credit notes are e-mailed to an embedded SMTP server (GreenMail), readable without an account
            mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            mail.start();
            kafka = KafkaBroker.start(config.workDir().resolve("kafka"), config.kafkaPort());
            kafka.createTopics(4, UsageTopics.USAGE, UsageTopics.DEAD_LETTERS);
            // billing-api first: it applies the migrations the job's sink writes into
            api = BillingApi.create(new BillingApiConfig(dbUrl, config.dbUser(), config.dbPassword(),
                            config.billingApiPort(), config.adminToken(), DEMO_SUPPLIER_SETTINGS)
                            .withRazorpay(RazorpaySettings.of(RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET,
                                    RAZORPAY_WEBHOOK_SECRET, razorpay.baseUrl()))
                            .withSupplier(SupplierProfile.defaults().withIrp(irp.baseUrl()))
                            .withMail(MailSettings.local(mail.getSmtp().getPort(), SupplierProfile.defaults().email()))
                            // webhooks to endpoints on this machine (the demo's own), retried after a second
                            .withWebhooks(WebhookSettings.local(Duration.ofSeconds(1)))
                            // metric definitions to the compacted topic the job reads
                            .withKafka(kafka.bootstrapServers())
                            // the raw events the archive job keeps: export, retention, deletion
                            .withArchive(ArchiveSettings.at(archiveDir(config.workDir()).toString())))
                    .start(config.billingApiPort());
            razorpay.webhook("http://localhost:" + api.port() + "/api/v1/webhooks/razorpay", RAZORPAY_WEBHOOK_SECRET);
            JobClient job = startJob(config, kafka.bootstrapServers(), dbUrl);
            JobClient archiveJob = startArchiveJob(config, kafka.bootstrapServers(), dbUrl);
            gateway = GatewayApp.create(GatewayConfig.local(kafka.bootstrapServers(), dbUrl, config.gatewayPort()))
                    .start(config.gatewayPort());
            return new LocalStack(config, kafka, api, gateway, job, archiveJob, razorpay, irp, mail);
        } catch (Exception e) {
            if (gateway != null) {
                gateway.close();
            }
            if (api != null) {
                api.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            if (razorpay != null) {
                razorpay.close();
            }
            if (irp != null) {
                irp.close();
            }
            if (mail != null) {
                mail.stop();
            }
            throw e;
        }
    }

    private static JobClient startJob(LocalStackConfig config, String bootstrap, String dbUrl) throws Exception {
        Configuration flinkConf = new Configuration();
        flinkConf.setString("taskmanager.numberOfTaskSlots", "2");
        flinkConf.setString("execution.checkpointing.dir", config.workDir().resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, flinkConf);
        JobConfig jobConfig = JobConfig.fromArgs(new String[] {
                "--kafka.bootstrap", bootstrap,
                "--jdbc.url", dbUrl,
                "--jdbc.user", config.dbUser(),
                "--jdbc.password", config.dbPassword(),
                "--checkpoint.interval.ms", "2000",
                "--refresh.interval.ms", "500",
                // one local producer feeds one of four partitions: do not wait 30 s for the idle ones
                "--idleness.ms", "2000",
                // a period past its end plus the grace closes after the stream was quiet this long
                "--finalise.quiet.ms", "15000"});
        UsageAggregationJob.build(env, jobConfig);
        return env.executeAsync("usage-aggregation");
    }

    /**
     * The archive job on a MiniCluster of its own (its files roll at its checkpoints, every 5 s here), writing to
     * {@link #archiveDir}.
     */
    private static JobClient startArchiveJob(LocalStackConfig config, String bootstrap, String dbUrl) throws Exception {
        Configuration flinkConf = new Configuration();
        flinkConf.setString("taskmanager.numberOfTaskSlots", "2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, flinkConf);
        JobConfig jobConfig = JobConfig.fromArgs(new String[] {
                "--kafka.bootstrap", bootstrap,
                "--group.id", EventArchiveJob.GROUP_ID,
                "--jdbc.url", dbUrl,
                "--checkpoint.interval.ms", "5000",
                "--checkpoint.dir", config.workDir().resolve("archive-checkpoints").toUri().toString(),
                "--idleness.ms", "2000",
                "--finalise.quiet.ms", "15000"});
        UsageAggregationJob.configure(env, jobConfig);
        EventArchiveJob.attach(UsageAggregationJob.source(env, jobConfig), jobConfig,
                archiveDir(config.workDir()).toUri().toString());
        return env.executeAsync("usage-archive");
    }

    /** Where the local stack's archive job writes the raw events (BILLING_ARCHIVE_PATH of its billing-api). */
    public static Path archiveDir(Path workDir) {
        return workDir.resolve("archive");
    }

    /** This stack's {@link #archiveDir(Path)}. */
    public Path archiveDir() {
        return archiveDir(config.workDir());
    }

    public String gatewayUrl() {
        return "http://localhost:" + gateway.port();
    }

    public String billingApiUrl() {
        return "http://localhost:" + billingApi.port();
    }

    /**
     * Waits for the e-mail whose subject names {@code document} (an invoice or credit note number) in the local
     * stack's mail directory under {@code workDir} (this process's or a running {@code ./billing up}'s) and copies it
     * to {@code dir}; its path.
     */
    public static Path saveEmail(Path workDir, String document, Path dir, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path saved = mailDir(workDir).resolve(document + ".eml");
        while (System.nanoTime() < deadline) {
            if (Files.exists(saved)) {
                return Files.copy(saved, Files.createDirectories(dir).resolve(document + ".eml"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("no e-mail about " + document + " within " + timeout);
    }

    public String razorpayUrl() {
        return razorpay.baseUrl();
    }

    public String adminToken() {
        return config.adminToken();
    }

    public String dbUrl() {
        return config.dbUrl();
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public JobClient job() {
        return job;
    }

    /** Stops in dependency order: no new events, then the job, the API, the broker. */
    @Override
    public void close() {
        safely("gateway", gateway::close);
        safely("aggregation job", () -> job.cancel().get());
        safely("archive job", () -> archiveJob.cancel().get());
        safely("billing-api", billingApi::close);
        safely("kafka", kafka::close);
        safely("razorpay emulator", razorpay::close);
        safely("IRP emulator", irp::close);
        safely("mail saver", mailSaver::shutdownNow);
        safely("SMTP server", mail::stop);
        safely("work dir", () -> deleteRecursively(config.workDir()));
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void safely(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("stopping {} failed: {}", what, e.toString());
        }
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
