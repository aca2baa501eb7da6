package dev.meterbill.archive;

import dev.meterbill.archive.format.EventArchive;
import dev.meterbill.archive.format.RerateDiff;
import dev.meterbill.archive.format.RerateSchema;
import dev.meterbill.events.BillingPeriod;
import dev.meterbill.events.UsageTopics;
import dev.meterbill.jobs.usage.JobConfig;
import dev.meterbill.jobs.usage.UsageAggregationJob;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code ./billing rerate --organisation <id> --period YYYY-MM}: recomputes a closed billing period of one
 * organisation from the raw-event archive ({@link RerateJob}, Flink batch, in this process) into a schema of its own,
 * records the re-rating in {@code reratings} and prints what it changes per project and metric. Applying it is the
 * operator's confirmation through billing-api ({@code POST /api/v1/reratings/{id}/apply}).
 *
 * <p>Refused, without computing anything: an open period (the live job still adds to it: a re-rating must never count
 * beside it) or one whose live totals are not final yet, and a period another re-rating is computing (a unique index).
 *
 * <p>Arguments: {@code --organisation}, {@code --period}, {@code --archive.path} (or BILLING_ARCHIVE_PATH: the archive's
 * local or mounted directory), and the aggregation job's ({@code --jdbc.url}, {@code --jdbc.user}, BILLING_DB_PASSWORD,
 * {@code --kafka.bootstrap} for the metric definitions, {@code --grace.ms}, {@code --parallelism}).
 */
public final class RerateMain {

    /** A re-rating that must not run now; the message says why. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** What a re-rating computed. */
    public record Result(UUID id, String schema, int files, List<RerateDiff.Row> diff) {}

    private static final Set<String> OWN_ARGUMENTS = Set.of("organisation", "period", "archive.path");

    private RerateMain() {}

    public static void main(String[] args) throws Exception {
        try {
            run(args, System.getenv(), Clock.systemUTC(), System.out);
        } catch (Refused e) {
            System.err.println("re-rating refused: " + e.getMessage());
            System.exit(2);
        }
    }

    public static Result run(String[] args, Map<String, String> env, Clock clock, PrintStream out) throws Exception {
        ParameterTool p = ParameterTool.fromArgs(args);
        UUID organisation;
        YearMonth period;
        try {
            organisation = UUID.fromString(p.getRequired("organisation"));
            period = YearMonth.parse(p.getRequired("period"));
        } catch (RuntimeException e) {
            throw new Refused("--organisation <uuid> --period <YYYY-MM> are required (" + e.getMessage() + ")");
        }
        String archivePath = p.get("archive.path", env.get("BILLING_ARCHIVE_PATH"));
        if (archivePath == null || archivePath.isBlank()) {
            throw new Refused("--archive.path (or BILLING_ARCHIVE_PATH) must name the archive's directory");
        }
        EventArchive archive = EventArchive.at(archivePath);
        JobConfig config = JobConfig.fromArgs(jobArguments(args), env);
        UUID id = UUID.randomUUID();
        String schema = "rerate_" + id.toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword())) {
            ZoneId zone = closedPeriod(c, organisation, period, config, clock);
            start(c, id, organisation, period, schema);
            out.printf("re-rating %s of organisation %s (%s) from %s%n", id, organisation, period, archive.root());
            int files;
            try {
                RerateSchema.create(c, schema);
                StreamExecutionEnvironment batch = environment(config);
                files = RerateJob.build(batch, archive, organisation.toString(), period,
                        config.withJdbc(RerateSchema.jdbcUrl(config.jdbcUrl(), schema), config.jdbcUser(), config.jdbcPassword()),
                        definitions(batch, config));
                if (files > 0) {
                    batch.execute("re-rating " + organisation + " " + period);
                }
                recordLateEvents(c, id, archive, organisation, period, zone);
                finish(c, id, files);
            } catch (Exception e) {
                fail(c, id, schema, e);
                throw e;
            }
            List<RerateDiff.Row> diff = RerateDiff.read(c, schema, organisation, period.toString());
            print(out, id, files, diff);
            return new Result(id, schema, files, diff);
        }
    }

    /** The organisation's timezone, once its period is closed and its live totals final. */
    private static ZoneId closedPeriod(Connection c, UUID organisation, YearMonth period, JobConfig config, Clock clock)
            throws SQLException, Refused {
        ZoneId zone;
        try (PreparedStatement ps = c.prepareStatement("SELECT timezone FROM organisations WHERE id = ?")) {
            ps.setObject(1, organisation);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new Refused("no organisation " + organisation);
                }
                zone = ZoneId.of(rs.getString(1));
            }
        }
        Instant closes = new BillingPeriod(period, zone).end().plusMillis(config.graceMs());
        if (clock.instant().isBefore(closes)) {
            throw new Refused(period + " is still open for " + organisation + " (it closes at " + closes + "): the live job "
                    + "still adds to it, and a re-rating must never count beside it");
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM usage_aggregates WHERE organisation_id = ? AND period = ? AND NOT is_final")) {
            ps.setObject(1, organisation);
            ps.setString(2, period.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new Refused("the live job has not made " + period + " final yet (" + rs.getLong(1)
                            + " totals open); try again once it has");
                }
            }
        }
        return zone;
    }

    private static void start(Connection c, UUID id, UUID organisation, YearMonth period, String schema)
            throws SQLException, Refused {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO reratings (id, organisation_id, period, schema_name, status) VALUES (?, ?, ?, ?, 'running')")) {
            ps.setObject(1, id);
            ps.setObject(2, organisation);
            ps.setString(3, period.toString());
            ps.setString(4, schema);
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new Refused("another re-rating of " + organisation + " " + period + " is running");
            }
            throw e;
        }
    }

    /**
     * The period's late events that the archive holds, hence the re-rated totals include: applying the re-rating moves
     * them into the totals. Read one row at a time; only the late events' ids are held.
     */
    private static void recordLateEvents(Connection c, UUID id, EventArchive archive, UUID organisation, YearMonth period,
                                         ZoneId zone) throws Exception {
        Set<String> late = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT event_id FROM late_usage_events WHERE organisation_id = ? AND period = ?")) {
            ps.setObject(1, organisation);
            ps.setString(2, period.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    late.add(rs.getString(1));
                }
            }
        }
        if (late.isEmpty()) {
            return;
        }
        List<String> included = new ArrayList<>();
        archive.read(organisation.toString(), period.atDay(1), period.atEndOfMonth(), null, e -> late.contains(e.eventId),
                e -> included.add(e.eventId));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rerating_late_events (rerating_id, event_id) VALUES (?, ?::uuid)"
                + " ON CONFLICT DO NOTHING")) {
            for (String event : included) {
                ps.setObject(1, id);
                ps.setString(2, event);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void finish(Connection c, UUID id, int files) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE reratings SET status = 'computed', archive_files = ?, finished_at = now() WHERE id = ?")) {
            ps.setInt(1, files);
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }

    private static void fail(Connection c, UUID id, String schema, Exception cause) {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE reratings SET status = 'failed', error = ?, finished_at = now() WHERE id = ?")) {
            ps.setString(1, String.valueOf(cause));
            ps.setObject(2, id);
            ps.executeUpdate();
            RerateSchema.drop(c, schema);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void print(PrintStream out, UUID id, int files, List<RerateDiff.Row> diff) {
        out.printf("%d archive files; per project and metric (re-rated minus live minus late events):%n", files);
        out.printf("  %-36s %-40s %20s %12s %20s %20s%n", "project", "metric", "live", "late", "re-rated", "change");
        for (RerateDiff.Row r : diff) {
            out.printf("  %-36s %-40s %20s %12s %20s %20s%n", r.projectId(), r.metricName(),
                    r.liveSum().toPlainString() + " (" + r.liveCount() + ")", r.lateSum().toPlainString() + " (" + r.lateCount() + ")",
                    r.reratedSum().toPlainString() + " (" + r.reratedCount() + ")", r.change().toPlainString());
        }
        out.printf("review: GET /api/v1/reratings/%s; apply: POST /api/v1/reratings/%s/apply (operator)%n", id, id);
    }

    /** The metric definitions billing-api published, read to the end; none when the topic does not exist yet. */
    private static DataStream<String> definitions(StreamExecutionEnvironment env, JobConfig config) throws Refused {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        try (Admin admin = Admin.create(props)) {
            if (!admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(UsageTopics.METRIC_DEFINITIONS)) {
                return null;
            }
        } catch (Exception e) {
            throw new Refused("cannot read the metric definitions at " + config.kafkaBootstrap() + " (" + e
                    + "); give --kafka.bootstrap: without them a definition's totals cannot be recomputed");
        }
        // the live job's settings, read to the end once (a bounded source discovers the topic's partitions once)
        return UsageAggregationJob.definitions(env, UsageAggregationJob.definitionsSourceBuilder(config)
                .setGroupId(config.groupId() + "-rerate").setBounded(OffsetsInitializer.latest()).build());
    }

    private static StreamExecutionEnvironment environment(JobConfig config) {
        Configuration flink = new Configuration();
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(config.parallelism() == null ? 2 : config.parallelism());
        return env;
    }

    private static String[] jobArguments(String[] args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && OWN_ARGUMENTS.contains(args[i].substring(2))) {
                i++; // and its value
            } else {
                rest.add(args[i]);
            }
        }
        return rest.toArray(String[]::new);
    }
}
