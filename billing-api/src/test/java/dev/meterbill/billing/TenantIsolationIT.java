package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.http.PublicRoutes;
import dev.meterbill.billing.http.RegisteredRoute;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every route, called with another organisation's key: a route naming the victim's resource answers
 * 404 and leaks nothing; an operator-only route naming no tenant answers 403; listings answer only
 * the caller's own data. Unauthenticated, every route under /api/v1 but the OpenAPI document is 401.
 * A route without a case here fails the test, so new routes must decide their isolation. The public
 * routes (the OpenAPI document and Razorpay's signed webhook and callback) carry no bearer token; their
 * signatures are tested in the payment tests.
 */
class TenantIsolationIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();
    private static OrgFixture victim;
    private static OrgFixture intruder;
    private static Map<String, Case> cases;

    /** The request to send and what the intruder must get. */
    record Case(String path, String body, int intruderStatus) {}

    @BeforeAll
    static void start() {
        victim = running.createOrganisation("Victim Pvt Ltd");
        intruder = running.createOrganisation("Intruder");
        ProjectFixture project = running.createProject(victim.id(), "Crown jewels");
        UUID plan = running.createPlan(InvoiceApiIT.GROWTH.formatted("Victim plan"));
        running.subscribe(victim.id(), plan, "2026-01-01");
        running.aggregate(project, "api_calls", "2026-01", "5000", 5, "1", "1", true);
        String invoice = client.postJson("/api/v1/invoices/generate", ADMIN_TOKEN,
                "{\"period\":\"2026-01\",\"organisationId\":\"" + victim.id() + "\"}").json().get("invoiceIds").get(0).asText();
        assertThat(client.postJson("/api/v1/invoices/" + invoice + "/issue", ADMIN_TOKEN, "").status()).isEqualTo(200);
        String note = client.postJson("/api/v1/invoices/" + invoice + "/credit-notes", ADMIN_TOKEN,
                "{\"reason\":\"overcharge\",\"lines\":[{\"line\":1,\"amount\":0.01}]}").json().get("id").asText();
        String discount = client.postJson("/api/v1/organisations/" + victim.id() + "/discounts", ADMIN_TOKEN,
                "{\"kind\":\"percent\",\"percent\":1}").json().get("id").asText();
        String key = client.get("/api/v1/projects/" + project.id() + "/api-keys", ADMIN_TOKEN).json()
                .get("apiKeys").get(0).get("id").asText();
        String org = "/api/v1/organisations/" + victim.id();
        String proj = "/api/v1/projects/" + project.id();
        String planPath = "/api/v1/pricing-plans/" + plan;
        String planBody = InvoiceApiIT.GROWTH.formatted("Victim plan");
        String subscribe = "{\"pricingPlanId\":\"" + plan + "\",\"startsOn\":\"2099-01-01\"}";

        cases = new LinkedHashMap<>();
        cases.put("POST /api/v1/organisations", new Case("/api/v1/organisations",
                "{\"name\":\"Planted\",\"billingEmail\":\"x@y.in\"}", 403));
        cases.put("GET /api/v1/organisations/{orgId}", new Case(org, null, 404));
        cases.put("GET /api/v1/organisations", new Case("/api/v1/organisations", null, 403));
        cases.put("PATCH /api/v1/organisations/{orgId}", new Case(org, "{\"name\":\"Planted\"}", 404));
        cases.put("POST /api/v1/organisations/{orgId}/projects", new Case(org + "/projects", "{\"name\":\"Planted\"}", 404));
        cases.put("GET /api/v1/organisations/{orgId}/projects", new Case(org + "/projects", null, 404));
        cases.put("GET /api/v1/organisations/{orgId}/usage", new Case(org + "/usage?period=2026-01", null, 404));
        cases.put("PUT /api/v1/organisations/{orgId}/subscription", new Case(org + "/subscription", subscribe, 404));
        cases.put("GET /api/v1/organisations/{orgId}/subscription", new Case(org + "/subscription", null, 404));
        cases.put("DELETE /api/v1/organisations/{orgId}/subscription", new Case(org + "/subscription", null, 404));
        cases.put("GET /api/v1/projects/{projectId}/usage", new Case(proj + "/usage?period=2026-01", null, 404));
        cases.put("GET /api/v1/projects/{projectId}/api-keys", new Case(proj + "/api-keys", null, 404));
        cases.put("POST /api/v1/projects/{projectId}/api-keys", new Case(proj + "/api-keys", "", 404));
        cases.put("DELETE /api/v1/projects/{projectId}/api-keys/{keyId}", new Case(proj + "/api-keys/" + key, null, 404));
        cases.put("POST /api/v1/pricing-plans", new Case("/api/v1/pricing-plans",
                InvoiceApiIT.GROWTH.formatted("Planted plan"), 403));
        cases.put("GET /api/v1/pricing-plans", new Case("/api/v1/pricing-plans", null, 200));
        cases.put("GET /api/v1/pricing-plans/{planId}", new Case(planPath, null, 404));
        cases.put("PUT /api/v1/pricing-plans/{planId}", new Case(planPath, planBody, 404));
        cases.put("POST /api/v1/pricing-plans/{planId}/versions", new Case(planPath + "/versions", planBody, 404));
        // metric definitions are the operator's, the same for every organisation: readable by all, written by none
        client.postJson("/api/v1/metrics", ADMIN_TOKEN,
                "{\"key\":\"isolated_calls\",\"displayName\":\"Calls\",\"unit\":\"calls\",\"aggregation\":\"count\"}");
        cases.put("POST /api/v1/metrics", new Case("/api/v1/metrics",
                "{\"key\":\"planted\",\"displayName\":\"Planted\",\"unit\":\"calls\",\"aggregation\":\"count\"}", 403));
        cases.put("GET /api/v1/metrics", new Case("/api/v1/metrics", null, 200));
        cases.put("GET /api/v1/metrics/{key}", new Case("/api/v1/metrics/isolated_calls", null, 200));
        cases.put("PATCH /api/v1/metrics/{key}", new Case("/api/v1/metrics/isolated_calls", "{\"unit\":\"planted\"}", 403));
        cases.put("POST /api/v1/invoices/generate", new Case("/api/v1/invoices/generate",
                "{\"period\":\"2026-01\",\"organisationId\":\"" + victim.id() + "\"}", 404));
        cases.put("GET /api/v1/invoices", new Case("/api/v1/invoices?organisationId=" + victim.id(), null, 404));
        cases.put("GET /api/v1/invoices/{invoiceId}", new Case("/api/v1/invoices/" + invoice, null, 404));
        cases.put("POST /api/v1/invoices/{invoiceId}/issue", new Case("/api/v1/invoices/" + invoice + "/issue", "", 404));
        cases.put("POST /api/v1/invoices/{invoiceId}/void", new Case("/api/v1/invoices/" + invoice + "/void", "", 404));
        cases.put("GET /api/v1/invoices/{invoiceId}/payments",
                new Case("/api/v1/invoices/" + invoice + "/payments", null, 404));
        cases.put("POST /api/v1/invoices/{invoiceId}/refunds",
                new Case("/api/v1/invoices/" + invoice + "/refunds", "{\"reason\":\"planted\"}", 404));
        cases.put("POST /api/v1/invoices/{invoiceId}/credit-notes", new Case("/api/v1/invoices/" + invoice
                + "/credit-notes", "{\"reason\":\"overcharge\",\"whole\":true}", 404));
        cases.put("GET /api/v1/invoices/{invoiceId}/credit-notes",
                new Case("/api/v1/invoices/" + invoice + "/credit-notes", null, 404));
        cases.put("GET /api/v1/credit-notes/{creditNoteId}", new Case("/api/v1/credit-notes/" + note, null, 404));
        cases.put("GET /api/v1/credit-notes/{creditNoteId}/pdf", new Case("/api/v1/credit-notes/" + note + "/pdf", null, 404));
        cases.put("GET /api/v1/invoices/{invoiceId}/pdf", new Case("/api/v1/invoices/" + invoice + "/pdf", null, 404));
        cases.put("GET /api/v1/invoices/{invoiceId}/html", new Case("/api/v1/invoices/" + invoice + "/html", null, 404));
        cases.put("POST /api/v1/invoices/{invoiceId}/tds", new Case("/api/v1/invoices/" + invoice + "/tds",
                "{\"section\":\"194J\",\"ratePercent\":2}", 404));
        cases.put("GET /api/v1/invoices/{invoiceId}/tds", new Case("/api/v1/invoices/" + invoice + "/tds", null, 404));
        cases.put("GET /api/v1/organisations/{orgId}/statement", new Case(org + "/statement", null, 404));
        cases.put("GET /api/v1/organisations/{orgId}/upcoming-invoice", new Case(org + "/upcoming-invoice", null, 404));
        String charge = client.get(planPath, ADMIN_TOKEN).json().get("charges").get(0).get("id").asText();
        cases.put("POST /api/v1/organisations/{orgId}/price-overrides", new Case(org + "/price-overrides",
                "{\"chargeId\":\"" + charge + "\",\"unitPrice\":0}", 404));
        cases.put("GET /api/v1/organisations/{orgId}/price-overrides", new Case(org + "/price-overrides", null, 404));
        cases.put("POST /api/v1/organisations/{orgId}/discounts", new Case(org + "/discounts",
                "{\"kind\":\"percent\",\"percent\":100}", 404));
        cases.put("GET /api/v1/organisations/{orgId}/discounts", new Case(org + "/discounts", null, 404));
        cases.put("DELETE /api/v1/organisations/{orgId}/discounts/{discountId}",
                new Case(org + "/discounts/" + discount, null, 404));
        cases.put("POST /api/v1/organisations/{orgId}/coupons", new Case(org + "/coupons", "{\"code\":\"ANY\"}", 404));
        cases.put("POST /api/v1/organisations/{orgId}/portal-sessions", new Case(org + "/portal-sessions", "", 404));
        String hooks = org + "/webhook-endpoints";
        String hook = hooks + "/" + client.postJson(hooks, ADMIN_TOKEN, "{\"url\":\"https://203.0.113.10/hooks\"}")
                .json().get("id").asText();
        client.postJson(hook + "/ping", ADMIN_TOKEN, "");
        String delivery = running.database().queryValue(String.class,
                "SELECT id::text FROM outgoing_deliveries WHERE organisation_id = ? LIMIT 1", victim.id());
        String planted = "{\"url\":\"https://203.0.113.11/planted\"}";
        cases.put("POST /api/v1/organisations/{orgId}/webhook-endpoints", new Case(hooks, planted, 404));
        String alert = org + "/usage-alerts/" + client.postJson(org + "/usage-alerts", ADMIN_TOKEN,
                "{\"kind\":\"amount\",\"values\":[100]}").json().get("alert").get("id").asText();
        cases.put("POST /api/v1/organisations/{orgId}/usage-alerts", new Case(org + "/usage-alerts",
                "{\"kind\":\"amount\",\"values\":[1]}", 404));
        cases.put("GET /api/v1/organisations/{orgId}/usage-alerts", new Case(org + "/usage-alerts", null, 404));
        cases.put("GET /api/v1/projects/{projectId}/events", new Case(proj + "/events?from=2026-11-01T00:00:00Z"
                + "&to=2026-11-02T00:00:00Z", null, 404));
        cases.put("GET /api/v1/organisations/{orgId}/archive", new Case(org + "/archive", null, 404));
        cases.put("PUT /api/v1/organisations/{orgId}/archive", new Case(org + "/archive", "{\"retentionDays\":40}", 404));
        cases.put("DELETE /api/v1/organisations/{orgId}/events", new Case(org + "/events", null, 404));
        cases.put("GET /api/v1/reratings/{reratingId}", new Case("/api/v1/reratings/" + UUID.randomUUID(), null, 403));
        cases.put("POST /api/v1/reratings/{reratingId}/apply", new Case("/api/v1/reratings/" + UUID.randomUUID() + "/apply",
                "{}", 403));
        cases.put("GET /api/v1/entitlements", new Case("/api/v1/entitlements?metric=api_calls&projectId=" + project.id(),
                null, 404));
        cases.put("DELETE /api/v1/organisations/{orgId}/usage-alerts/{alertId}", new Case(alert, null, 404));
        client.putJson(org + "/subscription/limits/sms", ADMIN_TOKEN, "{\"limit\":10}");
        cases.put("GET /api/v1/organisations/{orgId}/subscription/limits", new Case(org + "/subscription/limits", null,
                404));
        cases.put("PUT /api/v1/organisations/{orgId}/subscription/limits/{metric}",
                new Case(org + "/subscription/limits/sms", "{\"limit\":null}", 404));
        cases.put("DELETE /api/v1/organisations/{orgId}/subscription/limits/{metric}",
                new Case(org + "/subscription/limits/sms", null, 404));
        cases.put("GET /api/v1/organisations/{orgId}/webhook-endpoints", new Case(hooks, null, 404));
        cases.put("GET /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}", new Case(hook, null, 404));
        cases.put("PATCH /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}", new Case(hook, planted, 404));
        cases.put("DELETE /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}", new Case(hook, null, 404));
        cases.put("POST /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}/secret", new Case(hook + "/secret",
                "", 404));
        cases.put("POST /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}/ping", new Case(hook + "/ping", "",
                404));
        cases.put("GET /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}/deliveries",
                new Case(hook + "/deliveries", null, 404));
        cases.put("POST /api/v1/organisations/{orgId}/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/retry",
                new Case(hook + "/deliveries/" + delivery + "/retry", "", 404));
        cases.put("POST /api/v1/coupons", new Case("/api/v1/coupons",
                "{\"code\":\"PLANTED\",\"kind\":\"percent\",\"percent\":100}", 403));
        cases.put("GET /api/v1/coupons", new Case("/api/v1/coupons", null, 403));
        cases.put("POST /api/v1/payments/reconcile", new Case("/api/v1/payments/reconcile",
                "{\"invoiceId\":\"" + invoice + "\"}", 403));
        cases.put("GET /api/v1/invoice-generation-failures", new Case("/api/v1/invoice-generation-failures?organisationId="
                + victim.id(), null, 403));
        cases.put("GET /api/v1/webhook-events", new Case("/api/v1/webhook-events", null, 403));
        cases.put("GET /api/v1/audit-logs", new Case("/api/v1/audit-logs?entityType=organisation&entityId=" + victim.id(),
                null, 200));
    }

    private static List<RegisteredRoute> protectedRoutes() {
        return running.api().routes().stream()
                .filter(r -> r.path().startsWith("/api/v1/") && !PublicRoutes.PATHS.contains(r.path()))
                .toList();
    }

    private static Response send(RegisteredRoute route, Case c, String token) {
        return client.send(route.method().toUpperCase(), c.path(), token, c.body());
    }

    @Test
    void everyRouteHasAnIsolationCase() {
        assertThat(protectedRoutes()).extracting(RegisteredRoute::toString)
                .containsExactlyInAnyOrderElementsOf(cases.keySet());
    }

    @Test
    void anotherOrganisationsKeyFindsNothingAndChangesNothing() {
        // Rows of requests, not of billing-api's own periodic work (e-invoicing, reconciliation, alerts: actor system:…),
        // which the victim's issued invoice may start at any moment on a slow machine.
        String requestAudits = "SELECT count(*) FROM audit_logs WHERE actor NOT LIKE 'system:%'";
        long auditRows = count(requestAudits);
        String invoiceStates = running.database().queryValue(String.class,
                "SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM invoices");
        for (RegisteredRoute route : protectedRoutes()) {
            Case c = cases.get(route.toString());
            Response response = send(route, c, intruder.secretKey());

            assertThat(response.status()).as(route + " " + response.body()).isEqualTo(c.intruderStatus());
            assertThat(response.body()).as(route + " leaks nothing of the victim")
                    .doesNotContain("Victim", "Crown jewels", "api_calls");
            if (response.status() >= 400) {
                assertThat(response.contentType()).startsWith("application/problem+json");
            }
        }
        assertThat(count(requestAudits)).as("no mutation happened: %s", running.database().rows(
                "SELECT actor || ' ' || action FROM audit_logs ORDER BY id DESC LIMIT 3")).isEqualTo(auditRows);
        assertThat(count("SELECT count(*) FROM projects WHERE name = 'Planted'")).isZero();
        assertThat(count("SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL")).isZero();
        assertThat(running.database().queryValue(String.class,
                "SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM invoices")).isEqualTo(invoiceStates);
        assertThat(count("SELECT count(*) FROM credit_notes")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM invoice_tds")).isZero();
        assertThat(count("SELECT count(*) FROM refunds")).isZero();
    }

    @Test
    void withoutATokenEveryRouteIsUnauthorized() {
        for (RegisteredRoute route : protectedRoutes()) {
            Response response = send(route, cases.get(route.toString()), null);

            assertThat(response.status()).as(route.toString()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
    }

    @Test
    void onlyTheOpenApiDocumentAndRazorpaysSignedRoutesArePublic() {
        assertThat(running.api().routes()).filteredOn(r -> PublicRoutes.PATHS.contains(r.path()))
                .extracting(RegisteredRoute::toString)
                .containsExactlyInAnyOrder("GET /api/v1/openapi.json", "POST /api/v1/webhooks/razorpay",
                        "POST /api/v1/payments/razorpay/callback");
    }

    @Test
    void everyMutatingRouteHonoursIdempotencyKeys() {
        // Razorpay's webhook and callback are deduplicated by Razorpay's own event and payment ids instead;
        // the portal's sign-out form (outside the API) by its session
        assertThat(running.api().routes()).filteredOn(RegisteredRoute::mutates)
                .filteredOn(r -> r.path().startsWith("/api/v1/") && !PublicRoutes.PATHS.contains(r.path()))
                .isNotEmpty()
                .allSatisfy(route -> assertThat(route.idempotent()).as(route.toString()).isTrue());
    }

    private static long count(String sql) {
        return running.database().queryValue(Long.class, sql);
    }
}
