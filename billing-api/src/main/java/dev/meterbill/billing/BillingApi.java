package dev.meterbill.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.meterbill.billing.apikey.ApiKeyGenerator;
import dev.meterbill.billing.apikey.ApiKeyIssuer;
import dev.meterbill.billing.apikey.ApiKeyRepository;
import dev.meterbill.billing.apikey.ApiKeyService;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.db.ConnectionPool;
import dev.meterbill.billing.db.Migrations;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.http.Authenticator;
import dev.meterbill.billing.http.HealthHandler;
import dev.meterbill.billing.http.Json;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.ProblemMapper;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.organisation.OrganisationHandler;
import dev.meterbill.billing.organisation.OrganisationRepository;
import dev.meterbill.billing.organisation.OrganisationService;
import dev.meterbill.billing.project.ProjectHandler;
import dev.meterbill.billing.project.ProjectRepository;
import dev.meterbill.billing.project.ProjectService;
import dev.meterbill.billing.usage.UsageHandler;
import dev.meterbill.billing.usage.UsageRepository;
import dev.meterbill.billing.usage.UsageService;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The billing API service: wires the database, the features and the Javalin app.
 *
 * <p>{@link #create} migrates the database and builds the app without listening; {@link #start}
 * binds the port. Tests start it on port 0 and ask {@link #port()}.
 */
public final class BillingApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BillingApi.class);

    private final HikariDataSource pool;
    private final Javalin app;
    private boolean stopped;

    private BillingApi(HikariDataSource pool, Javalin app) {
        this.pool = pool;
        this.app = app;
    }

    /** Opens the pool, applies pending migrations and builds the app; the port is bound by {@link #start}. */
    public static BillingApi create(BillingApiConfig config) {
        HikariDataSource pool = ConnectionPool.create(config.dbUrl(), config.dbUser(), config.dbPassword());
        try {
            int applied = Migrations.apply(pool);
            LOG.info("Billing database ready at {} ({} migrations applied)", config.dbUrl(), applied);
            return new BillingApi(pool, buildApp(config, pool));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static Javalin buildApp(BillingApiConfig config, DataSource dataSource) {
        ObjectMapper json = Json.newMapper();
        Transactions transactions = new Transactions(dataSource);
        AuditLog auditLog = new AuditLog(json);
        ApiKeyRepository apiKeyRepository = new ApiKeyRepository();
        ApiKeyIssuer keys = new ApiKeyIssuer(new ApiKeyGenerator(), apiKeyRepository, auditLog);
        OrganisationRepository organisations = new OrganisationRepository();
        ProjectService projectService =
                new ProjectService(transactions, new ProjectRepository(), organisations, keys, auditLog);

        Authenticator authenticator =
                new Authenticator(config.adminToken(), new ApiKeyService(transactions, apiKeyRepository));
        JsonBody jsonBody = new JsonBody(json);
        HealthHandler health = new HealthHandler(transactions);
        OrganisationHandler organisationHandler = new OrganisationHandler(
                new OrganisationService(transactions, organisations, keys, auditLog), jsonBody);
        ProjectHandler projectHandler = new ProjectHandler(projectService, jsonBody);
        UsageHandler usageHandler =
                new UsageHandler(new UsageService(transactions, projectService, new UsageRepository()));

        return Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.jsonMapper(new JavalinJackson(json, false));
            ProblemMapper.register(javalin.routes, json);
            javalin.routes.before(RequestIds::assign);
            // beforeMatched: an unknown path is a 404 whatever the credentials.
            javalin.routes.beforeMatched("/api/v1/*", authenticator::authenticate);
            health.register(javalin.routes);
            organisationHandler.register(javalin.routes);
            projectHandler.register(javalin.routes);
            usageHandler.register(javalin.routes);
        });
    }

    /** Binds {@code port} (0 picks a free one) and serves. */
    public BillingApi start(int port) {
        app.start(port);
        LOG.info("Billing API listening on port {}", app.port());
        return this;
    }

    /** The bound port, once started. */
    public int port() {
        return app.port();
    }

    public Javalin app() {
        return app;
    }

    /** The pool of the billing database, for components that share the process (the local stack). */
    public DataSource dataSource() {
        return pool;
    }

    /** Stops serving and closes the pool; safe to call more than once. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            app.stop();
        } finally {
            pool.close();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Runs the service from the environment until the JVM is stopped. */
    public static void main(String[] args) {
        BillingApiConfig config = BillingApiConfig.fromEnv();
        BillingApi api = create(config).start(config.port());
        Runtime.getRuntime().addShutdownHook(new Thread(api::stop, "billing-api-shutdown"));
    }
}
