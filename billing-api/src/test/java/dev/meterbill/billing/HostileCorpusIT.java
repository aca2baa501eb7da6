package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.PaymentStack.KEY_SECRET;
import static dev.meterbill.billing.testutils.PaymentStack.WEBHOOK_SECRET;
import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterbill.billing.HostileCorpus.Leaf;
import dev.meterbill.billing.hooks.LimitOverrideHandler;
import dev.meterbill.billing.metric.MetricRequest;
import dev.meterbill.billing.hooks.UsageAlertHandler;
import dev.meterbill.billing.hooks.WebhookEndpointHandler;
import dev.meterbill.billing.http.RegisteredRoute;
import dev.meterbill.billing.invoice.InvoiceHandler;
import dev.meterbill.billing.invoice.InvoiceLinks;
import dev.meterbill.billing.organisation.OrganisationHandler;
import dev.meterbill.billing.creditnote.CreditNoteHandler;
import dev.meterbill.billing.deal.DealHandler;
import dev.meterbill.billing.payment.PaymentHandler;
import dev.meterbill.billing.payment.TdsHandler;
import dev.meterbill.billing.payment.razorpay.RazorpaySignatures;
import dev.meterbill.billing.plan.PlanRequest;
import dev.meterbill.billing.project.ProjectHandler;
import dev.meterbill.billing.subscription.SubscriptionHandler;
import dev.meterbill.archive.format.RerateSchema;
import dev.meterbill.billing.archive.ArchiveSettings;
import dev.meterbill.billing.archive.EventArchiveHandler;
import dev.meterbill.billing.rerating.ReratingHandler;
import dev.meterbill.billing.testutils.PaymentStack;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.razorpay.emulator.PaymentSimulation;
import dev.meterbill.razorpay.emulator.WebhookSigner;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every registered route, called with a valid request and then with each value of the hostile corpus
 * ({@link HostileCorpus}) in each of its path parameters, query parameters and body fields (every leaf
 * of every body variant, the request records' fields all covered): never a 5xx, a problem document for
 * every refusal of a body or query, and when the answer is 2xx, the stored value reads back exactly as
 * sent (up to the documented trimming and upper-casing). A route without a case here fails the test.
 */
class HostileCorpusIT {

    @RegisterExtension
    static final PaymentStack stack = PaymentStack.perClassWith(c -> c.withArchive(ArchiveSettings.at(tempArchive())));
    private static HttpTestClient client;
    private static Map<String, Case> cases;
    private static final List<String> problems = new ArrayList<>();
    private static int readBacks;
    /** A portal link made at send time: links open once. */
    private static final String FRESH_LINK = "fresh-link";
    private static UUID portalOrg;
    private static final String HOOK_URL = "https://203.0.113.10/hooks";
    /** The corpus invoice's link token: the hosted page's cookie. */
    private static String invoiceToken;
    private static final Pattern PORTAL_COOKIE = Pattern.compile("mb_portal=([A-Za-z0-9_-]{43})");
    private static final Pattern PORTAL_CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]{43})\"");
    /** Pages that answer a valid call with a redirect. */
    private static final Set<String> REDIRECTING = Set.of("/portal/open/{token}", "/portal/invoices/{invoiceId}",
            "/i/{token}");

    /**
     * A valid call of a route.
     *
     * @param pathParams valid values of the path's parameters
     * @param query      valid query parameters
     * @param bodies     valid body variants, a fresh one per request; together they hold every field
     * @param record     the request record whose every field some variant must hold; null when none
     * @param readBack   the stored resource a 2xx answer created or changed, to compare with what was sent
     */
    record Case(Map<String, String> pathParams, Map<String, String> query, List<Supplier<ObjectNode>> bodies,
                Class<?> record, Function<Response, JsonNode> readBack) {

        static Case of(Map<String, String> pathParams) {
            return new Case(pathParams, Map.of(), List.of(), null, r -> null);
        }

        static Case query(Map<String, String> pathParams, Map<String, String> query) {
            return new Case(pathParams, query, List.of(), null, r -> null);
        }
    }

    private static String tempArchive() {
        try {
            return java.nio.file.Files.createTempDirectory("corpus-archive").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode json(String text) {
        return (ObjectNode) HostileCorpus.parse(text);
    }

    @BeforeAll
    static void start() {
        client = stack.client();
        PaymentStack.Issued paid = stack.issued("Corpus Pvt Ltd");
        OrgFixture org = stack.lastOrganisation();
        String payment = stack.emulator().pay(paid.orderId(), PaymentSimulation.captured()).paymentId();
        stack.awaitWebhooks();
        UUID draft = stack.draftInvoice("Corpus Draft Ltd");
        ProjectFixture project = stack.running().createProject(org.id(), "Corpus project");
        String key = client.postJson("/api/v1/projects/" + project.id() + "/api-keys", ADMIN_TOKEN, "")
                .json().get("id").asText();
        UUID plan = stack.running().createPlan(planBody("Corpus plan", "per_unit").toString());
        UUID unused = stack.running().createPlan(planBody("Corpus unused", "per_unit").toString());

        String orgPath = org.id().toString();
        cases = new LinkedHashMap<>();
        cases.put("GET /health/live", Case.of(Map.of()));
        cases.put("GET /health/ready", Case.of(Map.of()));
        cases.put("GET /metrics", Case.of(Map.of()));
        cases.put("GET /api/v1/openapi.json", Case.of(Map.of()));
        cases.put("POST /api/v1/organisations", new Case(Map.of(), Map.of(), List.of(() -> json("""
                {"name":"Org","billingEmail":"a@b.in","currency":"INR","timezone":"Asia/Kolkata",
                 "gstin":"29ABCDE1234F1ZW","stateCode":"29","address":{"line1":"1 MG Road","line2":"Floor 2",
                 "city":"Bengaluru","postalCode":"560001","stateCode":"29","country":"IN"}}""")),
                OrganisationHandler.CreateRequest.class,
                r -> client.get("/api/v1/organisations/" + r.json().get("id").asText(), ADMIN_TOKEN).json()));
        cases.put("GET /api/v1/organisations/{orgId}", Case.of(Map.of("orgId", orgPath)));
        cases.put("GET /api/v1/organisations", Case.query(Map.of(), Map.of("name", "corpus", "gstin", "29ABCDE1234F1ZW",
                "limit", "10", "offset", "0")));
        String changer = stack.running().createOrganisation("Corpus changer", "Asia/Kolkata", "29").id().toString();
        cases.put("PATCH /api/v1/organisations/{orgId}", new Case(Map.of("orgId", changer), Map.of(), List.of(() -> json("""
                {"name":"Changed","billingEmail":"ap@b.in","currency":"INR","timezone":"Asia/Kolkata",
                 "gstin":"29ABCDE1234F1ZW","stateCode":"29","address":{"line1":"2 MG Road","line2":"Floor 3",
                 "city":"Bengaluru","postalCode":"560002","stateCode":"29","country":"IN"}}""")),
                OrganisationHandler.ChangeRequest.class, Response::json));
        cases.put("POST /api/v1/organisations/{orgId}/projects", new Case(Map.of("orgId", orgPath), Map.of(),
                List.of(() -> json("{\"name\":\"P " + UUID.randomUUID() + "\"}")), ProjectHandler.CreateRequest.class,
                r -> find(client.get("/api/v1/organisations/" + orgPath + "/projects", ADMIN_TOKEN).json()
                        .get("projects"), r.json().get("id").asText())));
        cases.put("GET /api/v1/organisations/{orgId}/projects", Case.of(Map.of("orgId", orgPath)));
        cases.put("GET /api/v1/organisations/{orgId}/usage", Case.query(Map.of("orgId", orgPath),
                Map.of("period", "2026-01")));
        cases.put("GET /api/v1/projects/{projectId}/usage", Case.query(Map.of("projectId", project.id().toString()),
                Map.of("period", "2026-01")));
        client.postJson("/api/v1/metrics", ADMIN_TOKEN, """
                {"key":"corpus_priced","displayName":"Priced","unit":"tokens","aggregation":"sum","groupBy":["model","region"]}""");
        List<Supplier<ObjectNode>> plans = List.of(() -> planBody("Plan " + UUID.randomUUID(), "per_unit"),
                () -> planBody("Plan " + UUID.randomUUID(), "graduated"),
                () -> planBody("Plan " + UUID.randomUUID(), "package"), () -> planBody("Plan " + UUID.randomUUID(), "flat"),
                () -> planBody("Plan " + UUID.randomUUID(), "dimensional"));
        Function<Response, JsonNode> planReadBack =
                r -> client.get("/api/v1/pricing-plans/" + r.json().get("id").asText(), ADMIN_TOKEN).json();
        cases.put("POST /api/v1/pricing-plans", new Case(Map.of(), Map.of(), plans, PlanRequest.class, planReadBack));
        cases.put("GET /api/v1/pricing-plans", Case.query(Map.of(), Map.of("name", "Corpus%20plan")));
        cases.put("GET /api/v1/pricing-plans/{planId}", Case.of(Map.of("planId", plan.toString())));
        List<Supplier<ObjectNode>> samePlan = List.of(() -> planBody("Corpus unused", "per_unit"),
                () -> planBody("Corpus unused", "graduated"), () -> planBody("Corpus unused", "package"),
                () -> planBody("Corpus unused", "flat"), () -> planBody("Corpus unused", "dimensional"));
        // a fresh key for every body, so that each valid variant creates a definition; PATCH changes one definition
        List<Supplier<ObjectNode>> metrics = List.of(() -> json("""
                {"key":"corpus_%s","displayName":"Corpus tokens","unit":"tokens","eventMetric":"tokens",
                 "aggregation":"sum","groupBy":["model","region"],"effectiveFrom":"2099-01-01T00:00:00Z",
                 "filters":[{"property":"region","op":"in","values":["in","us"]},{"property":"model","op":"equals","value":"large"}]}"""
                .formatted(UUID.randomUUID().toString().replace("-", ""))), () -> json("""
                {"key":"corpus_%s","displayName":"Corpus users","unit":"users","aggregation":"unique_count",
                 "uniqueProperty":"user_id","filters":[{"property":"plan","op":"exists"}]}"""
                .formatted(UUID.randomUUID().toString().replace("-", ""))));
        cases.put("POST /api/v1/metrics", new Case(Map.of(), Map.of(), metrics, MetricRequest.class, r -> null));
        client.postJson("/api/v1/metrics", ADMIN_TOKEN, """
                {"key":"corpus_changed","displayName":"Changed","unit":"calls","aggregation":"count"}""");
        cases.put("GET /api/v1/metrics", Case.of(Map.of()));
        cases.put("GET /api/v1/metrics/{key}", Case.of(Map.of("key", "corpus_changed")));
        cases.put("PATCH /api/v1/metrics/{key}", new Case(Map.of("key", "corpus_changed"), Map.of(), List.of(() -> json("""
                {"displayName":"Changed again","groupBy":["region"],"filters":[{"property":"region","op":"equals","value":"in"}]}""")),
                null, r -> null));
        cases.put("PUT /api/v1/pricing-plans/{planId}", new Case(Map.of("planId", unused.toString()), Map.of(), samePlan,
                PlanRequest.class, planReadBack));
        cases.put("POST /api/v1/pricing-plans/{planId}/versions", new Case(Map.of("planId", unused.toString()), Map.of(),
                samePlan, PlanRequest.class, planReadBack));
        cases.put("PUT /api/v1/organisations/{orgId}/subscription", new Case(Map.of("orgId", orgPath), Map.of(),
                List.of(() -> json("{\"pricingPlanId\":\"" + plan + "\",\"startsOn\":\"2099-01-01\",\"trialDays\":14}"),
                        () -> json("{\"pricingPlanId\":\"" + plan + "\",\"startsOn\":\"2099-01-01\","
                                + "\"trialEndsOn\":\"2099-01-20\"}")),
                SubscriptionHandler.SubscribeRequest.class, Response::json));
        OrgFixture leaving = stack.running().createOrganisation("Corpus leaver");
        stack.running().subscribe(leaving.id(), plan, "2026-01-01");
        cases.put("DELETE /api/v1/organisations/{orgId}/subscription", Case.query(Map.of("orgId",
                leaving.id().toString()), Map.of("at", "period_end")));
        cases.put("GET /api/v1/organisations/{orgId}/subscription", Case.of(Map.of("orgId", orgPath)));
        cases.put("POST /api/v1/invoices/generate", new Case(Map.of(), Map.of(), List.of(
                () -> json("{\"period\":\"2026-01\",\"organisationId\":\"" + orgPath + "\"}")),
                InvoiceHandler.GenerateRequest.class, r -> null));
        cases.put("GET /api/v1/invoices", Case.query(Map.of(), Map.of("organisationId", orgPath, "period", "2026-01",
                "status", "paid", "limit", "10", "offset", "0")));
        cases.put("GET /api/v1/invoices/{invoiceId}", Case.of(Map.of("invoiceId", paid.id().toString())));
        cases.put("POST /api/v1/invoices/{invoiceId}/issue", Case.of(Map.of("invoiceId", draft.toString())));
        cases.put("POST /api/v1/invoices/{invoiceId}/void", Case.of(Map.of("invoiceId", draft.toString())));
        cases.put("GET /api/v1/invoice-generation-failures", Case.query(Map.of(), Map.of("period", "2026-01",
                "organisationId", orgPath, "status", "open", "limit", "10", "offset", "0")));
        String note = client.postJson("/api/v1/invoices/" + paid.id() + "/credit-notes", ADMIN_TOKEN,
                "{\"reason\":\"overcharge\",\"lines\":[{\"line\":1,\"amount\":1.00}]}").json().get("id").asText();
        cases.put("GET /api/v1/invoices/{invoiceId}/payments", Case.of(Map.of("invoiceId", paid.id().toString())));
        cases.put("POST /api/v1/invoices/{invoiceId}/refunds", new Case(Map.of("invoiceId", paid.id().toString()),
                Map.of(), List.of(() -> json("{\"amountMinor\":100,\"reason\":\"corpus\",\"paymentId\":\"" + payment + "\"}"),
                () -> json("{\"amount\":1.00,\"creditNoteId\":\"" + note + "\"}")), PaymentHandler.RefundRequest.class,
                Response::json));
        UUID credited = stack.issued("Corpus Credited Ltd").id();
        cases.put("POST /api/v1/invoices/{invoiceId}/credit-notes", new Case(Map.of("invoiceId", credited.toString()),
                Map.of(), List.of(() -> json("{\"reason\":\"overcharge\",\"memo\":\"corpus\",\"lines\":[{\"line\":1,"
                        + "\"amount\":1.00}]}"), () -> json("{\"reason\":\"other\",\"lines\":[{\"line\":1,\"quantity\":0.001}]}"),
                () -> json("{\"reason\":\"service_issue\",\"whole\":true}")),
                CreditNoteHandler.CreditNoteRequest.class, r -> null));
        cases.put("GET /api/v1/invoices/{invoiceId}/credit-notes", Case.of(Map.of("invoiceId", paid.id().toString())));
        cases.put("GET /api/v1/invoices/{invoiceId}/pdf", Case.of(Map.of("invoiceId", paid.id().toString())));
        cases.put("GET /api/v1/invoices/{invoiceId}/html", Case.of(Map.of("invoiceId", paid.id().toString())));
        cases.put("GET /api/v1/credit-notes/{creditNoteId}", Case.of(Map.of("creditNoteId", note)));
        cases.put("GET /api/v1/credit-notes/{creditNoteId}/pdf", Case.of(Map.of("creditNoteId", note)));
        String token;
        try (java.sql.Connection c = stack.database().connect()) {
            token = new InvoiceLinks().ensure(c, paid.id());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        invoiceToken = token;
        cases.put("GET /i/{token}", Case.of(Map.of("token", token)));
        cases.put("GET /i", Case.of(Map.of()));
        cases.put("GET /i/pdf", Case.of(Map.of()));
        portalOrg = org.id();
        cases.put("POST /api/v1/organisations/{orgId}/portal-sessions", Case.of(Map.of("orgId", org.id().toString())));
        cases.put("GET /portal/open/{token}", Case.of(Map.of("token", FRESH_LINK)));
        cases.put("GET /portal", Case.query(Map.of(), Map.of("period",
                YearMonth.now(ZoneId.of("Asia/Kolkata")).toString())));
        cases.put("GET /portal/invoices", Case.of(Map.of()));
        cases.put("GET /portal/invoices/{invoiceId}", Case.of(Map.of("invoiceId", paid.id().toString())));
        cases.put("GET /portal/payments", Case.of(Map.of()));
        cases.put("GET /portal/payments/{paymentId}/receipt", Case.of(Map.of("paymentId", payment)));
        cases.put("GET /portal/credit-notes/{creditNoteId}/pdf", Case.of(Map.of("creditNoteId", note)));
        cases.put("POST /portal/logout", Case.of(Map.of()));
        // webhook endpoints at a documentation address (TEST-NET-3): public, https, and never answering
        String hooks = "/api/v1/organisations/" + org.id() + "/webhook-endpoints";
        String hook = client.postJson(hooks, ADMIN_TOKEN, "{\"url\":\"" + HOOK_URL + "\"}").json().get("id").asText();
        String doomed = client.postJson(hooks, ADMIN_TOKEN, "{\"url\":\"" + HOOK_URL + "\"}").json().get("id").asText();
        client.postJson(hooks + "/" + hook + "/ping", ADMIN_TOKEN, "");
        String delivery = stack.database().queryValue(String.class,
                "SELECT id::text FROM outgoing_deliveries WHERE endpoint_id = ?::uuid LIMIT 1", hook);
        Map<String, String> orgParam = Map.of("orgId", org.id().toString());
        cases.put("POST /api/v1/organisations/{orgId}/webhook-endpoints", new Case(orgParam, Map.of(), List.of(
                () -> json("{\"url\":\"" + HOOK_URL + "\",\"description\":\"Corpus sync\","
                        + "\"eventTypes\":[\"invoice.paid\",\"ping\"],\"enabled\":true}")),
                WebhookEndpointHandler.EndpointRequest.class, r -> null));
        cases.put("GET /api/v1/organisations/{orgId}/webhook-endpoints", Case.of(orgParam));
        Map<String, String> hookParams = Map.of("orgId", org.id().toString(), "endpointId", hook);
        cases.put("GET /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}", Case.of(hookParams));
        cases.put("PATCH /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}", new Case(hookParams, Map.of(),
                List.of(() -> json("{\"url\":\"" + HOOK_URL + "\",\"description\":\"Corpus sync 2\","
                        + "\"eventTypes\":[\"ping\"],\"enabled\":true}")), WebhookEndpointHandler.EndpointRequest.class, r -> null));
        cases.put("DELETE /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}",
                Case.of(Map.of("orgId", org.id().toString(), "endpointId", doomed)));
        cases.put("POST /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}/secret", new Case(hookParams,
                Map.of(), List.of(() -> json("{\"overlapHours\":2}")), WebhookEndpointHandler.RotateRequest.class,
                r -> null));
        cases.put("POST /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}/ping", Case.of(hookParams));
        cases.put("GET /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}/deliveries", Case.query(hookParams,
                Map.of("status", "pending", "limit", "10", "offset", "0")));
        String alerts = "/api/v1/organisations/" + org.id() + "/usage-alerts";
        String alert = client.postJson(alerts, ADMIN_TOKEN, "{\"kind\":\"amount\",\"values\":[100]}").json()
                .get("alert").get("id").asText();
        cases.put("POST /api/v1/organisations/{orgId}/usage-alerts", new Case(orgParam, Map.of(), List.of(
                () -> json("{\"kind\":\"quantity\",\"metricName\":\"api_calls\",\"projectId\":\"" + project.id()
                        + "\",\"budget\":1000,\"percentages\":[50,100],\"description\":\"Corpus budget\"}"),
                () -> json("{\"kind\":\"amount\",\"values\":[100.5,2000]}")),
                UsageAlertHandler.AlertRequest.class, r -> null));
        cases.put("GET /api/v1/organisations/{orgId}/usage-alerts", Case.of(orgParam));
        cases.put("GET /api/v1/projects/{projectId}/events", Case.query(Map.of("projectId", project.id().toString()),
                Map.of("from", "2026-11-01T00:00:00Z", "to", "2026-11-02T00:00:00Z", "metric", "api_calls", "format", "csv")));
        cases.put("GET /api/v1/organisations/{orgId}/archive", Case.of(orgParam));
        cases.put("PUT /api/v1/organisations/{orgId}/archive", new Case(orgParam, Map.of(), List.of(
                () -> json("{\"retentionDays\":400}"), () -> json("{\"retentionDays\":null}")),
                EventArchiveHandler.RetentionRequest.class, r -> null));
        cases.put("DELETE /api/v1/organisations/{orgId}/events", Case.query(orgParam, Map.of("before", "2020-01-01")));
        // a computed re-rating of a period without an invoice (its schema as ./billing rerate leaves it, empty)
        UUID rerating = UUID.randomUUID();
        stack.running().database().update("INSERT INTO reratings (id, organisation_id, period, schema_name, status)"
                + " VALUES (?, ?, '2020-01', 'rerate_corpus', 'computed')", rerating, org.id());
        try (java.sql.Connection c = stack.running().database().connect()) {
            RerateSchema.create(c, "rerate_corpus");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> reratingParam = Map.of("reratingId", rerating.toString());
        cases.put("GET /api/v1/reratings/{reratingId}", Case.of(reratingParam));
        cases.put("POST /api/v1/reratings/{reratingId}/apply", new Case(reratingParam, Map.of(),
                List.of(() -> json("{\"pricingPlanId\":null}")), ReratingHandler.ApplyRequest.class, r -> null));
        cases.put("GET /api/v1/entitlements", Case.query(Map.of(), Map.of("metric", "api_calls", "projectId",
                project.id().toString())));
        cases.put("DELETE /api/v1/organisations/{orgId}/usage-alerts/{alertId}",
                Case.of(Map.of("orgId", org.id().toString(), "alertId", alert)));
        String limits = "/api/v1/organisations/" + org.id() + "/subscription/limits";
        client.putJson(limits + "/doomed_calls", ADMIN_TOKEN, "{\"limit\":10}");
        cases.put("GET /api/v1/organisations/{orgId}/subscription/limits", Case.of(orgParam));
        cases.put("PUT /api/v1/organisations/{orgId}/subscription/limits/{metric}", new Case(
                Map.of("orgId", org.id().toString(), "metric", "api_calls"), Map.of(), List.of(
                        () -> json("{\"limit\":5000.5,\"limitKind\":\"soft\"}"), () -> json("{\"limit\":null}")),
                LimitOverrideHandler.LimitRequest.class, r -> null));
        cases.put("DELETE /api/v1/organisations/{orgId}/subscription/limits/{metric}",
                Case.of(Map.of("orgId", org.id().toString(), "metric", "doomed_calls")));
        cases.put("POST /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/retry",
                Case.of(Map.of("orgId", org.id().toString(), "endpointId", hook, "deliveryId", delivery)));
        UUID withTds = stack.issued("Corpus TDS Ltd").id();
        cases.put("POST /api/v1/invoices/{invoiceId}/tds", new Case(Map.of("invoiceId", withTds.toString()), Map.of(),
                List.of(() -> json("{\"section\":\"194J\",\"ratePercent\":1,\"certificateRef\":\"16A-1\"}"),
                        () -> json("{\"section\":\"194C\",\"amount\":1.00}")),
                TdsHandler.TdsRequest.class, r -> null));
        cases.put("GET /api/v1/invoices/{invoiceId}/tds", Case.of(Map.of("invoiceId", withTds.toString())));
        cases.put("GET /api/v1/organisations/{orgId}/statement", Case.of(Map.of("orgId", orgPath)));
        cases.put("GET /api/v1/organisations/{orgId}/upcoming-invoice", Case.query(Map.of("orgId", orgPath),
                Map.of("period", "2099-01")));
        OrgFixture dealer = stack.running().createOrganisation("Corpus dealer");
        stack.running().subscribe(dealer.id(), plan, "2026-01-01");
        UUID tiered = stack.running().createPlan(planBody("Corpus tiered", "graduated").toString());
        stack.running().subscribe(dealer.id(), tiered, "2099-01-01");
        String dealerPath = dealer.id().toString();
        String unitCharge = client.get("/api/v1/pricing-plans/" + plan, ADMIN_TOKEN).json().get("charges").get(0)
                .get("id").asText();
        String tieredCharge = client.get("/api/v1/pricing-plans/" + tiered, ADMIN_TOKEN).json().get("charges").get(0)
                .get("id").asText();
        cases.put("POST /api/v1/organisations/{orgId}/price-overrides", new Case(Map.of("orgId", dealerPath), Map.of(),
                List.of(() -> json("{\"chargeId\":\"" + unitCharge + "\",\"unitPrice\":0.001,\"fromPeriod\":\"2099-01\"}"),
                        () -> json("{\"chargeId\":\"" + tieredCharge + "\",\"tiers\":[{\"upTo\":10,\"unitPrice\":0,"
                                + "\"flatFee\":1},{\"upTo\":null,\"unitPrice\":1}]}")),
                DealHandler.PriceOverrideRequest.class, r -> null));
        cases.put("GET /api/v1/organisations/{orgId}/price-overrides", Case.of(Map.of("orgId", dealerPath)));
        cases.put("POST /api/v1/organisations/{orgId}/discounts", new Case(Map.of("orgId", dealerPath), Map.of(),
                List.of(() -> json("{\"kind\":\"percent\",\"percent\":5,\"description\":\"Corpus\","
                                + "\"firstPeriod\":\"2099-01\",\"durationPeriods\":2}"),
                        () -> json("{\"kind\":\"fixed\",\"amount\":1.00}")),
                DealHandler.DiscountRequest.class, r -> null));
        cases.put("GET /api/v1/organisations/{orgId}/discounts", Case.of(Map.of("orgId", dealerPath)));
        String discount = client.postJson("/api/v1/organisations/" + dealerPath + "/discounts", ADMIN_TOKEN,
                "{\"kind\":\"percent\",\"percent\":1}").json().get("id").asText();
        cases.put("DELETE /api/v1/organisations/{orgId}/discounts/{discountId}", Case.of(Map.of("orgId", dealerPath,
                "discountId", discount)));
        client.postJson("/api/v1/coupons", ADMIN_TOKEN, "{\"code\":\"CORPUS\",\"kind\":\"percent\",\"percent\":1}");
        cases.put("POST /api/v1/organisations/{orgId}/coupons", new Case(Map.of("orgId", dealerPath), Map.of(),
                List.of(() -> json("{\"code\":\"corpus\",\"firstPeriod\":\"2099-01\"}")),
                DealHandler.RedeemRequest.class, r -> null));
        cases.put("POST /api/v1/coupons", new Case(Map.of(), Map.of(), List.of(
                () -> json("{\"code\":\"C-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"kind\":\"percent\","
                        + "\"percent\":5,\"durationPeriods\":1,\"maxRedemptions\":2,\"redeemBy\":\"2099-01-01T00:00:00Z\"}"),
                () -> json("{\"code\":\"F-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"kind\":\"fixed\","
                        + "\"amount\":1.00,\"currency\":\"INR\"}")),
                DealHandler.CouponRequest.class, r -> null));
        cases.put("GET /api/v1/coupons", Case.of(Map.of()));
        cases.put("POST /api/v1/payments/reconcile", new Case(Map.of(), Map.of(), List.of(
                () -> json("{\"olderThanMinutes\":1}"), () -> json("{\"invoiceId\":\"" + paid.id() + "\"}")),
                PaymentHandler.ReconcileRequest.class, r -> null));
        String signature = RazorpaySignatures.sign(KEY_SECRET, (paid.orderId() + "|" + payment).getBytes(StandardCharsets.UTF_8));
        cases.put("POST /api/v1/payments/razorpay/callback", new Case(Map.of(), Map.of(), List.of(() -> json(
                "{\"razorpay_order_id\":\"" + paid.orderId() + "\",\"razorpay_payment_id\":\"" + payment
                        + "\",\"razorpay_signature\":\"" + signature + "\"}")),
                PaymentHandler.CallbackRequest.class, r -> null));
        cases.put("POST /api/v1/webhooks/razorpay", new Case(Map.of(), Map.of(), List.of(() -> json("""
                {"entity":"event","event":"payment.captured","contains":["payment"],"payload":{"payment":{"entity":
                 {"id":"pay_corpus","amount":118000,"currency":"INR","status":"captured","order_id":"order_unknown",
                  "method":"upi","error_description":null,"notes":{"k":"v"}}}},"created_at":1767225600}"""),
                () -> json("""
                {"entity":"event","event":"refund.processed","payload":{"refund":{"entity":{"id":"rfnd_corpus",
                 "amount":100,"currency":"INR","payment_id":"pay_unknown","status":"processed","notes":[]}}}}""")),
                null, r -> null));
        cases.put("GET /api/v1/webhook-events", Case.query(Map.of(), Map.of("status", "unprocessable", "limit", "10",
                "before", "1000000")));
        cases.put("GET /api/v1/projects/{projectId}/api-keys", Case.of(Map.of("projectId", project.id().toString())));
        cases.put("POST /api/v1/projects/{projectId}/api-keys", Case.of(Map.of("projectId", project.id().toString())));
        cases.put("DELETE /api/v1/projects/{projectId}/api-keys/{keyId}", Case.of(Map.of("projectId",
                project.id().toString(), "keyId", key)));
        cases.put("GET /api/v1/audit-logs", Case.query(Map.of(), Map.of("entityType", "organisation", "entityId", orgPath,
                "limit", "10", "before", "1000000")));
    }


    /** A valid plan of one charge of {@code model}, with every field that model takes. */
    private static ObjectNode planBody(String name, String model) {
        String charge = switch (model) {
            case "per_unit" -> "{\"metricName\":\"api_calls\",\"aggregation\":\"sum\",\"model\":\"per_unit\","
                    + "\"unitPrice\":0.00125,\"freeUnits\":1000,\"limit\":100000,\"limitKind\":\"hard\"}";
            case "graduated" -> "{\"metricName\":\"storage\",\"aggregation\":\"latest\",\"model\":\"graduated\","
                    + "\"tiers\":[{\"upTo\":100,\"unitPrice\":0,\"flatFee\":99},{\"upTo\":null,\"unitPrice\":2.5}]}";
            case "package" -> "{\"metricName\":\"sms\",\"aggregation\":\"count\",\"model\":\"package\","
                    + "\"packageSize\":1000,\"unitPrice\":49}";
            case "dimensional" -> """
                    {"metricDefinition":"corpus_priced","model":"per_unit","unitPrice":0.000001,"dimensionPrices":[
                      {"dimensions":{"model":"large"},"model":"graduated","freeUnits":10,
                       "tiers":[{"upTo":1000,"unitPrice":0.00002,"flatFee":5},{"upTo":null,"unitPrice":0.00001}]},
                      {"dimensions":{"model":"small","region":"in"},"model":"package","packageSize":1000,"unitPrice":0.5}]}""";
            default -> "{\"metricName\":\"platform\",\"aggregation\":\"sum\",\"model\":\"flat\",\"flatFee\":999,"
                    + "\"sac\":\"998314\"}";
        };
        return json("{\"name\":\"" + name + "\",\"currency\":\"INR\",\"minimumCommitment\":5000,"
                + "\"pricingScope\":\"" + ("flat".equals(model) ? "project" : "organisation") + "\",\"charges\":["
                + charge + "]}");
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode item : list) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        return null;
    }

    @Test
    void everyRouteHasACaseAndEveryRequestFieldIsInABodyVariant() {
        assertThat(cases.keySet()).containsExactlyInAnyOrderElementsOf(
                stack.running().api().routes().stream().map(RegisteredRoute::toString).toList());
        cases.forEach((route, c) -> {
            if (c.record() != null) {
                Set<String> covered = new HashSet<>();
                c.bodies().forEach(body -> HostileCorpus.leaves(body.get()).forEach(leaf -> covered.add(leaf.shape())));
                // a map (dimensions) is covered by a value under any of its keys
                assertThat(HostileCorpus.shapesOf(c.record())).as(route).allSatisfy(shape -> assertThat(covered)
                        .as(route).anyMatch(leaf -> leaf.equals(shape) || leaf.startsWith(shape + ".")));
            }
        });
    }

    @Test
    void noValueOfTheCorpusAnywhereIsAServerErrorOrAnAlteration() {
        int requests = 0;
        for (RegisteredRoute route : stack.running().api().routes()) {
            Case c = cases.get(route.toString());
            requests += callValid(route, c);
            for (String parameter : c.pathParams().keySet()) {
                for (String value : HostileCorpus.PATH_VALUES) {
                    Map<String, String> params = new LinkedHashMap<>(c.pathParams());
                    params.put(parameter, value);
                    check(route, "path " + parameter, value, send(route, params, c.query(), body(c)), false);
                    requests++;
                }
            }
            for (String parameter : c.query().keySet()) {
                for (String value : HostileCorpus.QUERY_VALUES) {
                    Map<String, String> query = new LinkedHashMap<>(c.query());
                    query.put(parameter, value);
                    check(route, "query " + parameter, value, send(route, c.pathParams(), query, null), true);
                    requests++;
                }
            }
            Set<String> done = new HashSet<>();
            for (Supplier<ObjectNode> variant : c.bodies()) {
                for (Leaf leaf : HostileCorpus.leaves(variant.get())) {
                    if (!done.add(leaf.shape())) {
                        continue;
                    }
                    for (String value : HostileCorpus.BODY_VALUES) {
                        Response response = send(route, c.pathParams(), c.query(),
                                HostileCorpus.with(variant.get(), leaf, value));
                        check(route, "body " + leaf, value, response, true);
                        readBack(route, c, leaf, value, response);
                        requests++;
                    }
                }
            }
        }
        assertThat(problems).as(problems.size() + " problems in " + requests + " requests").isEmpty();
        assertThat(requests).isGreaterThan(3000);
        assertThat(readBacks).as("2xx answers whose stored value was read back").isGreaterThan(100);
    }

    /** The valid call first: a case that is not valid would make every variation of it meaningless. */
    private static int callValid(RegisteredRoute route, Case c) {
        List<String> bodies = c.bodies().isEmpty() ? java.util.Collections.singletonList(null)
                : c.bodies().stream().map(b -> b.get().toString()).toList();
        for (String body : bodies) {
            Response response = send(route, c.pathParams(), c.query(), body);
            if (response.status() >= (REDIRECTING.contains(route.path()) ? 400 : 300)) {
                problems.add(route + " valid call " + body + " -> " + response.status() + " " + brief(response.body()));
            }
        }
        return bodies.size();
    }

    private static String body(Case c) {
        return c.bodies().isEmpty() ? null : c.bodies().get(0).get().toString();
    }

    private static Response send(RegisteredRoute route, Map<String, String> pathParams, Map<String, String> query,
                                 String body) {
        String path = route.path();
        for (Map.Entry<String, String> parameter : pathParams.entrySet()) {
            path = path.replace("{" + parameter.getKey() + "}", parameter.getValue());
        }
        if (!query.isEmpty()) {
            StringBuilder q = new StringBuilder();
            query.forEach((name, value) -> q.append(q.isEmpty() ? "?" : "&").append(name).append('=').append(value));
            path += q;
        }
        String method = route.method().toUpperCase(Locale.ROOT);
        if (route.path().equals("/i") || route.path().equals("/i/pdf")) {
            return client.send(client.request(path, null).header("Cookie", "mb_invoice=" + invoiceToken).GET());
        }
        if (route.path().startsWith("/portal")) {
            return sendToPortal(route, path.replace(FRESH_LINK, portalLink().substring("/portal/open/".length())),
                    method);
        }
        if (route.path().equals("/api/v1/webhooks/razorpay")) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return stack.postWebhook(bytes, WebhookSigner.sign(WEBHOOK_SECRET, bytes), "evt_" + UUID.randomUUID()
                    .toString().replace("-", ""));
        }
        boolean sendsBody = body != null || method.equals("POST") || method.equals("PUT");
        return client.send(method, path, ADMIN_TOKEN, sendsBody ? (body == null ? "" : body) : null);
    }

    /** A link to the corpus organisation's portal: the path of its URL. */
    private static String portalLink() {
        String url = client.postJson("/api/v1/organisations/" + portalOrg + "/portal-sessions", ADMIN_TOKEN, "")
                .json().get("url").asText();
        return url.substring(url.indexOf("/portal/open/"));
    }

    /** A portal page in a session of its own (sign-out ends it), sign-out with the session's form token. */
    private static Response sendToPortal(RegisteredRoute route, String path, String method) {
        if (route.path().equals("/portal/open/{token}")) {
            return client.send(client.request(path, null).GET());
        }
        String setCookie = client.send(client.request(portalLink(), null).GET()).raw().headers()
                .firstValue("Set-Cookie").orElseThrow();
        Matcher cookie = PORTAL_COOKIE.matcher(setCookie);
        assertThat(cookie.find()).isTrue();
        HttpRequest.Builder request = client.request(path, null).header("Cookie", "mb_portal=" + cookie.group(1));
        if (method.equals("POST")) {
            Matcher csrf = PORTAL_CSRF.matcher(client.send(client.request("/portal/invoices", null)
                    .header("Cookie", "mb_portal=" + cookie.group(1)).GET()).body());
            assertThat(csrf.find()).isTrue();
            return client.send(request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1))));
        }
        return client.send(request.GET());
    }

    private static void check(RegisteredRoute route, String where, String value, Response response, boolean problemJson) {
        if (response.status() >= 500) {
            problems.add(route + " " + where + " = " + brief(value) + " -> " + response.status() + " "
                    + brief(response.body()));
        } else if (problemJson && route.path().startsWith("/api/v1/") && response.status() >= 400
                && !String.valueOf(response.contentType()).startsWith("application/problem+json")) {
            problems.add(route + " " + where + " = " + brief(value) + " -> " + response.status() + " not a problem: "
                    + response.contentType());
        } else if (route.path().equals("/api/v1/webhooks/razorpay") && response.status() != 200) {
            problems.add(route + " " + where + " = " + brief(value) + ": a signed webhook is acknowledged, was "
                    + response.status() + " " + brief(response.body()));
        }
    }

    /** After a 2xx, the stored value at the leaf must be the value sent, as documented (trimmed, upper-cased). */
    private static void readBack(RegisteredRoute route, Case c, Leaf leaf, String value, Response response) {
        if (response.status() >= 300) {
            return;
        }
        JsonNode stored = c.readBack().apply(response);
        JsonNode sent = HostileCorpus.parse(value);
        JsonNode kept = stored == null ? null : leaf.in(stored);
        if (kept == null || sent.isNull()) {
            return;
        }
        readBacks++;
        boolean same;
        if (kept.isNumber() || (kept.isTextual() && isNumber(kept.asText()) && isNumber(sent.asText()))) {
            same = isNumber(sent.asText()) && new BigDecimal(kept.asText()).compareTo(new BigDecimal(sent.asText())) == 0;
        } else if (sent.isTextual()) {
            String expected = normalised(route, leaf.name(), sent.asText());
            same = expected == null ? kept.isNull() : kept.isTextual() && kept.asText().equals(expected);
        } else {
            same = false;
        }
        if (!same) {
            problems.add(route + " body " + leaf + " = " + brief(value) + " was stored as " + brief(kept.toString()));
        }
    }

    /**
     * What the API documents it does to an organisation's or a plan's text before storing it: trimmed,
     * codes upper-cased, a blank optional field taken as absent (its default, or null; the state code
     * then comes from the GSTIN, a new version's or an update's name from the plan).
     */
    private static String normalised(RegisteredRoute route, String field, String text) {
        String trimmed = text.strip();
        boolean samePlan = route.path().startsWith("/api/v1/pricing-plans/{planId}");
        return switch (field) {
            case "name" -> trimmed.isEmpty() && samePlan ? "Corpus unused" : trimmed;
            case "billingEmail" -> trimmed;
            case "line1", "line2", "city", "postalCode" -> trimmed.isEmpty() ? null : trimmed;
            case "country" -> trimmed.isEmpty() ? "IN" : trimmed.toUpperCase(Locale.ROOT);
            case "stateCode" -> trimmed.isEmpty() ? "29" : trimmed;
            case "gstin" -> trimmed.isEmpty() ? null : trimmed.toUpperCase(Locale.ROOT);
            case "currency" -> trimmed.isEmpty() ? "INR" : trimmed.toUpperCase(Locale.ROOT);
            case "timezone" -> trimmed.isEmpty() ? "UTC" : ZoneId.of(trimmed).getId();
            default -> text;
        };
    }

    private static boolean isNumber(String text) {
        try {
            new BigDecimal(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String brief(String text) {
        return text == null ? "null" : text.length() <= 160 ? text : text.substring(0, 160) + "…(" + text.length() + ")";
    }
}
