package dev.meterbill.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.apikey.ApiKeyGenerator;
import dev.meterbill.billing.apikey.ApiKeyIssuer;
import dev.meterbill.billing.apikey.ApiKeyRepository;
import dev.meterbill.billing.apikey.ApiKeyService;
import dev.meterbill.billing.archive.ArchiveRetention;
import dev.meterbill.billing.archive.EventArchiveHandler;
import dev.meterbill.billing.rerating.ReratingHandler;
import dev.meterbill.billing.rerating.Reratings;
import dev.meterbill.billing.audit.AuditHandler;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.audit.AuditRepository;
import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.creditnote.CreditNoteHandler;
import dev.meterbill.billing.creditnote.CreditNoteRepository;
import dev.meterbill.billing.creditnote.CreditNoteService;
import dev.meterbill.billing.deal.DealHandler;
import dev.meterbill.billing.deal.DealRepository;
import dev.meterbill.billing.deal.DealService;
import dev.meterbill.billing.delivery.EmailOutbox;
import dev.meterbill.billing.delivery.SmtpMailer;
import dev.meterbill.billing.document.DocumentHandler;
import dev.meterbill.billing.document.DocumentMailer;
import dev.meterbill.billing.document.HostedInvoicePage;
import dev.meterbill.billing.hooks.EntitlementHandler;
import dev.meterbill.billing.hooks.Entitlements;
import dev.meterbill.billing.hooks.LimitOverrideHandler;
import dev.meterbill.billing.hooks.UsageAlertHandler;
import dev.meterbill.billing.hooks.UsageAlerts;
import dev.meterbill.billing.hooks.WebhookDeliverer;
import dev.meterbill.billing.hooks.WebhookEndpointHandler;
import dev.meterbill.billing.hooks.WebhookEvents;
import dev.meterbill.billing.hooks.WebhookRepository;
import dev.meterbill.billing.invoice.InvoiceLinks;
import dev.meterbill.billing.portal.PortalPages;
import dev.meterbill.billing.portal.PortalSessionHandler;
import dev.meterbill.billing.portal.PortalSessions;
import dev.meterbill.billing.einvoice.EInvoiceService;
import dev.meterbill.billing.einvoice.HttpEInvoiceProvider;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.http.HealthHandler;
import dev.meterbill.billing.http.Json;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.OpenApiHandler;
import dev.meterbill.billing.http.ProblemMapper;
import dev.meterbill.billing.http.PublicRoutes;
import dev.meterbill.billing.http.RegisteredRoute;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.http.RequestText;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.idempotency.IdempotencyRepository;
import dev.meterbill.billing.invoice.BillingSettings;
import dev.meterbill.billing.invoice.GenerationFailures;
import dev.meterbill.billing.invoice.InvoiceGenerator;
import dev.meterbill.billing.invoice.InvoiceHandler;
import dev.meterbill.billing.invoice.InvoiceNumbers;
import dev.meterbill.billing.invoice.InvoiceRegistrations;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.InvoiceScheduler;
import dev.meterbill.billing.invoice.InvoiceService;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.schedule.PeriodicTask;
import dev.meterbill.billing.metric.MetricDefinitionRelay;
import dev.meterbill.billing.metric.MetricDefinitions;
import dev.meterbill.billing.metrics.BillingMetrics;
import dev.meterbill.billing.organisation.OrganisationHandler;
import dev.meterbill.billing.organisation.OrganisationRepository;
import dev.meterbill.billing.organisation.OrganisationService;
import dev.meterbill.billing.payment.PaymentProvider;
import dev.meterbill.billing.payment.Payments;
import dev.meterbill.billing.payment.TdsHandler;
import dev.meterbill.billing.payment.TdsService;
import dev.meterbill.billing.payment.RazorpaySettings;
import dev.meterbill.billing.payment.razorpay.RazorpayPaymentProvider;
import dev.meterbill.billing.plan.PricingPlanHandler;
import dev.meterbill.billing.plan.PricingPlanRepository;
import dev.meterbill.billing.plan.PricingPlanService;
import dev.meterbill.billing.project.ProjectHandler;
import dev.meterbill.billing.project.ProjectKeyHandler;
import dev.meterbill.billing.project.ProjectKeyService;
import dev.meterbill.billing.project.ProjectRepository;
import dev.meterbill.billing.project.ProjectService;
import dev.meterbill.billing.statement.StatementHandler;
import dev.meterbill.billing.statement.StatementService;
import dev.meterbill.billing.subscription.SubscriptionHandler;
import dev.meterbill.billing.subscription.SubscriptionRepository;
import dev.meterbill.billing.subscription.SubscriptionService;
import dev.meterbill.billing.usage.UsageHandler;
import dev.meterbill.billing.usage.UsageRepository;
import dev.meterbill.billing.usage.UsageService;
import dev.meterbill.billing.webhook.RazorpayWebhookHandler;
import dev.meterbill.billing.webhook.RazorpayWebhookService;
import dev.meterbill.billing.webhook.WebhookEventRepository;
import dev.meterbill.billing.webhook.WebhookEventsHandler;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/** Builds every service and handler of the billing API from its configuration and registers the routes. */
final class ApiWiring {

    private static final String STARTED = "meterbill.started";

    final Javalin app;
    final List<RegisteredRoute> routes = new CopyOnWriteArrayList<>();
    final Idempotency idempotency;
    final InvoiceScheduler scheduler;
    /** Registers invoices whose IRN is pending; a no-op without e-invoicing. */
    final PeriodicTask eInvoiceRetry;
    /** Null without e-invoicing. */
    final EInvoiceService eInvoices;
    /** Sends the e-mail outbox; null without SMTP (the outbox keeps the e-mails). */
    final DocumentMailer mailer;
    final PeriodicTask emailDelivery;
    final WebhookDeliverer webhooks;
    final PeriodicTask webhookDelivery;
    final UsageAlerts usageAlerts;
    final ArchiveRetention archiveRetention;
    final PeriodicTask archiveSweep;
    final PeriodicTask alertEvaluation;
    final Payments payments;
    /** Publishes metric definitions from their outbox; publishes nothing without Kafka brokers configured. */
    final MetricDefinitionRelay metricRelay;
    final PeriodicTask metricPublishing;

    ApiWiring(BillingApiConfig config, DataSource dataSource, Clock clock, BillingMetrics metrics) {
        ObjectMapper json = Json.newMapper();
        Transactions transactions = new Transactions(dataSource);
        AuditLog auditLog = new AuditLog(json);
        idempotency = new Idempotency(transactions, new IdempotencyRepository());

        ApiKeyRepository apiKeyRepository = new ApiKeyRepository();
        ApiKeyIssuer keys = new ApiKeyIssuer(new ApiKeyGenerator(), apiKeyRepository, auditLog);
        OrganisationRepository organisations = new OrganisationRepository();
        PricingPlanRepository plans = new PricingPlanRepository();
        SubscriptionRepository subscriptions = new SubscriptionRepository();
        ProjectService projectService =
                new ProjectService(transactions, new ProjectRepository(), organisations, keys, auditLog);

        Authenticator authenticator =
                new Authenticator(config.adminToken(), new ApiKeyService(transactions, apiKeyRepository));
        JsonBody jsonBody = new JsonBody(json);
        HealthHandler health = new HealthHandler(transactions);
        OpenApiHandler openApi = new OpenApiHandler();
        OrganisationHandler organisationHandler = new OrganisationHandler(
                new OrganisationService(transactions, organisations, keys, auditLog, clock), jsonBody, idempotency);
        ProjectHandler projectHandler = new ProjectHandler(projectService, jsonBody, idempotency);
        UsageService usageService = new UsageService(transactions, projectService, new UsageRepository());
        UsageHandler usageHandler = new UsageHandler(usageService, json);
        PricingPlanHandler planHandler = new PricingPlanHandler(
                new PricingPlanService(transactions, plans, auditLog), jsonBody, idempotency);
        SubscriptionHandler subscriptionHandler = new SubscriptionHandler(
                new SubscriptionService(transactions, subscriptions, plans, auditLog, clock), jsonBody, idempotency);
        ProjectKeyHandler keyHandler = new ProjectKeyHandler(
                new ProjectKeyService(transactions, projectService, apiKeyRepository, keys, auditLog), idempotency);
        AuditHandler auditHandler = new AuditHandler(transactions, new AuditRepository(), json);
        BillingSettings settings = config.billing();
        InvoiceRepository invoices = new InvoiceRepository();
        GenerationFailures generationFailures = new GenerationFailures(transactions, auditLog);
        DealRepository deals = new DealRepository();
        CreditNoteRepository creditNoteRepository = new CreditNoteRepository();
        EmailOutbox emails = new EmailOutbox();
        CreditNoteService creditNotes = new CreditNoteService(transactions, invoices, creditNoteRepository, emails,
                auditLog, clock);
        InvoiceGenerator generator = InvoiceGenerator.create(transactions, invoices, plans, subscriptions, deals,
                creditNotes::creditLateCorrection, auditLog, generationFailures, settings, config.supplier(), metrics,
                clock);
        metrics.openGenerationFailures(generationFailures::openCount);
        scheduler = new InvoiceScheduler(generator, idempotency, clock, settings.invoiceRunInterval());
        RazorpaySettings razorpay = config.razorpay();
        PaymentProvider provider = RazorpayPaymentProvider.of(razorpay, json, metrics);
        ReratingHandler reratingHandler = new ReratingHandler(new Reratings(transactions, generator, invoices, creditNotes,
                auditLog, json), jsonBody, idempotency);
        CreditNoteHandler creditNoteHandler = new CreditNoteHandler(creditNotes, jsonBody, idempotency);
        StatementService statementService = new StatementService(transactions, invoices, creditNoteRepository);
        StatementHandler statementHandler = new StatementHandler(statementService);
        DealHandler dealHandler = new DealHandler(new DealService(transactions, deals, plans, subscriptions, auditLog,
                clock), jsonBody, idempotency);
        TdsHandler tdsHandler = new TdsHandler(new TdsService(transactions, invoices, auditLog), jsonBody, idempotency);
        payments = Payments.create(provider, razorpay.reconcileInterval(), razorpay.reconcileAfter(), transactions,
                invoices, auditLog, json, jsonBody, idempotency, clock, creditNotes, creditNoteRepository);
        SupplierProfile supplier = config.supplier();
        eInvoices = supplier.irpBaseUrl() == null ? null : new EInvoiceService(transactions, invoices,
                new HttpEInvoiceProvider(supplier.irpBaseUrl(), json), supplier, auditLog, clock);
        eInvoiceRetry = new PeriodicTask("e-invoice-retry", () -> {
            if (eInvoices != null) {
                eInvoices.retryPending();
            }
        });
        InvoiceService invoiceService = new InvoiceService(transactions, invoices, generator,
                new InvoiceNumbers(settings.invoiceNumberPrefix()), payments.orders(),
                eInvoices == null ? InvoiceRegistrations.NONE : eInvoices, emails, organisations, auditLog,
                Duration.ofDays(settings.invoiceDueDays()), clock);
        InvoiceHandler invoiceHandler = new InvoiceHandler(invoiceService, generationFailures, jsonBody, idempotency);
        DocumentHandler documentHandler = new DocumentHandler(invoiceService, creditNotes, config.supplier());
        InvoiceLinks links = new InvoiceLinks();
        HostedInvoicePage hostedPage = new HostedInvoicePage(transactions, links, invoices, config.supplier(), razorpay);
        WebhookRepository webhookRepository = new WebhookRepository();
        WebhookEvents outgoingEvents = new WebhookEvents(webhookRepository, invoices, json, clock);
        auditLog.listen(outgoingEvents);
        WebhookEndpointHandler webhookEndpointHandler = new WebhookEndpointHandler(transactions, webhookRepository,
                outgoingEvents, organisations, config.webhooks(), auditLog, jsonBody, idempotency, clock);
        webhooks = new WebhookDeliverer(transactions, webhookRepository, config.webhooks(), auditLog, clock);
        usageAlerts = new UsageAlerts(transactions, generator, outgoingEvents, auditLog, clock);
        UsageAlertHandler usageAlertHandler = new UsageAlertHandler(transactions, usageAlerts, organisations, auditLog,
                jsonBody, idempotency, clock);
        Entitlements entitlements = new Entitlements(transactions, outgoingEvents, auditLog, clock);
        EntitlementHandler entitlementHandler = new EntitlementHandler(transactions, authenticator, entitlements);
        LimitOverrideHandler limitOverrideHandler = new LimitOverrideHandler(transactions, organisations, entitlements,
                auditLog, jsonBody, idempotency, clock);
        alertEvaluation = new PeriodicTask("usage-alerts", () -> {
            usageAlerts.evaluate();
            entitlements.evaluateExhaustion();
        });
        webhookDelivery = new PeriodicTask("webhook-delivery", webhooks::deliverDue);
        PortalSessions portalSessions = new PortalSessions();
        PortalSessionHandler portalSessionHandler = new PortalSessionHandler(transactions, portalSessions, organisations,
                auditLog, idempotency, config.mail().publicUrl(), clock);
        PortalPages portalPages = new PortalPages(transactions, portalSessions, organisations, usageService,
                invoiceService, statementService, creditNotes, links, config.supplier(), clock);
        WebhookEventRepository webhookEvents = new WebhookEventRepository();
        RazorpayWebhookHandler webhookHandler = new RazorpayWebhookHandler(new RazorpayWebhookService(
                razorpay, transactions, webhookEvents, payments.ledger(), auditLog, json, metrics));
        WebhookEventsHandler webhookEventsHandler = new WebhookEventsHandler(transactions, webhookEvents);
        MetricDefinitions metricDefinitions = new MetricDefinitions(transactions, auditLog, jsonBody, idempotency, json, clock);
        metricRelay = MetricDefinitionRelay.of(transactions, metricDefinitions, json, config.kafkaBootstrap());
        metricPublishing = new PeriodicTask("metric-definition-relay", metricRelay::publishDue);
        EventArchiveHandler archiveHandler = new EventArchiveHandler(transactions, projectService, organisations,
                config.archive(), auditLog, jsonBody, idempotency, json);
        archiveRetention = new ArchiveRetention(transactions, config.archive(), auditLog, clock);
        archiveSweep = new PeriodicTask("archive-retention", archiveRetention::sweep);
        metrics.gauge("billing.metric.definitions.unpublished", "Metric definition changes not yet published to Kafka",
                () -> MetricDefinitionRelay.unpublished(transactions));

        app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.jsonMapper(new JavalinJackson(json, false));
            // timed in nanoseconds (Javalin's request logger hands out float milliseconds), labelled by
            // route template, so that ids in paths never become metric labels
            javalin.routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
            javalin.routes.after(ctx -> {
                Long started = ctx.attribute(STARTED);
                metrics.httpRequest(ctx.method().name(), ctx.endpoints().matchedHttpEndpoint() == null
                                ? "unmatched" : ctx.endpoints().matchedHttpEndpoint().path,
                        ctx.statusCode(), started == null ? 0 : System.nanoTime() - started);
            });
            javalin.events.handlerAdded(info -> {
                if (info.getHttpMethod().isHttpMethod()) {
                    routes.add(RegisteredRoute.of(info));
                }
            });
            ProblemMapper.register(javalin);
            javalin.routes.before(RequestIds::assign);
            // beforeMatched: an unknown path is a 404 whatever the credentials.
            javalin.routes.beforeMatched("/api/v1/*", ctx -> {
                if (ctx.path().equals(EntitlementHandler.PATH)) {
                    entitlementHandler.authenticate(ctx);
                } else if (!PublicRoutes.isPublic(ctx)) {
                    authenticator.authenticate(ctx);
                }
            });
            // after authentication, before any handler: path, query and Idempotency-Key text (bodies: the mapper)
            javalin.routes.beforeMatched(RequestText::check);
            health.register(javalin.routes);
            // early: Javalin tries the routes in the order they were added, and this one is asked on every request
            // of our users' own APIs
            entitlementHandler.register(javalin.routes);
            javalin.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            openApi.register(javalin.routes);
            organisationHandler.register(javalin.routes);
            projectHandler.register(javalin.routes);
            usageHandler.register(javalin.routes);
            archiveHandler.register(javalin.routes);
            planHandler.register(javalin.routes);
            metricDefinitions.register(javalin.routes);
            subscriptionHandler.register(javalin.routes);
            invoiceHandler.register(javalin.routes);
            documentHandler.register(javalin.routes);
            hostedPage.register(javalin.routes);
            portalSessionHandler.register(javalin.routes);
            webhookEndpointHandler.register(javalin.routes);
            usageAlertHandler.register(javalin.routes);
            limitOverrideHandler.register(javalin.routes);
            portalPages.register(javalin.routes);
            // the hosted page's script (pay.js), from the jar
            javalin.staticFiles.add(files -> {
                files.hostedPath = "/assets";
                files.directory = "/assets";
                files.location = Location.CLASSPATH;
                files.headers = java.util.Map.of("Cache-Control", "max-age=300", "X-Content-Type-Options", "nosniff");
            });
            payments.handler().register(javalin.routes);
            creditNoteHandler.register(javalin.routes);
            reratingHandler.register(javalin.routes);
            tdsHandler.register(javalin.routes);
            statementHandler.register(javalin.routes);
            dealHandler.register(javalin.routes);
            webhookHandler.register(javalin.routes);
            webhookEventsHandler.register(javalin.routes);
            keyHandler.register(javalin.routes);
            auditHandler.register(javalin.routes);
        });
        mailer = config.mail().enabled() ? new DocumentMailer(transactions, emails, invoices, creditNoteRepository,
                config.supplier(), new SmtpMailer(config.mail()), links, () -> config.mail().publicUrl() != null
                        ? config.mail().publicUrl() : "http://localhost:" + app.port(), clock) : null;
        emailDelivery = new PeriodicTask("email-delivery", () -> {
            if (mailer != null) {
                mailer.sendDue();
            }
        });
    }
}
