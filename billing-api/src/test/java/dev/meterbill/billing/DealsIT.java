package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.SettableClock;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Negotiated prices, discounts and coupons through HTTP, invoiced with the clock moved across periods. */
class DealsIT {

    private static final SettableClock clock = new SettableClock(Instant.parse("2026-03-15T10:00:00Z"));
    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass(clock);
    private static final HttpTestClient client = running.client();
    /** 0.50 a call after 100 free, and 1,000.00 a month. */
    private static final String PLAN = """
            {"name":"%s","currency":"INR","charges":[
              {"metricName":"api_calls","aggregation":"sum","model":"per_unit","unitPrice":0.5,"freeUnits":100},
              {"metricName":"storage_gb","aggregation":"max","model":"graduated","tiers":[
                 {"upTo":10,"unitPrice":0},{"unitPrice":2}]},
              {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":1000}]}""";

    @BeforeEach
    void midMarch() {
        clock.set(Instant.parse("2026-03-15T10:00:00Z"));
    }

    private record Customer(OrgFixture org, ProjectFixture project, UUID plan, JsonNode charges) {}

    private static Customer customer(String name) {
        OrgFixture org = running.createOrganisation(name, "UTC", "29");
        ProjectFixture project = running.createProject(org.id(), "api");
        UUID plan = running.createPlan(PLAN.formatted("Deal plan " + name));
        running.subscribe(org.id(), plan, "2026-01-01");
        JsonNode charges = client.get("/api/v1/pricing-plans/" + plan, ADMIN_TOKEN).json().get("charges");
        return new Customer(org, project, plan, charges);
    }

    private static String org(Customer customer) {
        return "/api/v1/organisations/" + customer.org().id();
    }

    private static JsonNode invoice(Customer customer, String period) {
        return client.get("/api/v1/invoices/" + running.generateInvoice(customer.org().id(), period), ADMIN_TOKEN).json();
    }

    @Test
    void aNegotiatedPriceAppliesFromItsPeriodAndAVersionGoesBackToThePlan() {
        Customer customer = customer("Negotiator");
        String apiCalls = customer.charges().get(0).get("id").asText();
        String storage = customer.charges().get(1).get("id").asText();

        Response lower = client.postJson(org(customer) + "/price-overrides", ADMIN_TOKEN,
                "{\"chargeId\":\"" + apiCalls + "\",\"unitPrice\":0.4}");
        Response tiers = client.postJson(org(customer) + "/price-overrides", ADMIN_TOKEN,
                "{\"chargeId\":\"" + storage + "\",\"tiers\":[{\"upTo\":20,\"unitPrice\":0},{\"unitPrice\":1.5}]}");
        Response back = client.postJson(org(customer) + "/price-overrides", ADMIN_TOKEN,
                "{\"chargeId\":\"" + apiCalls + "\",\"fromPeriod\":\"2026-04\"}");

        assertThat(lower.status()).as(lower.body()).isEqualTo(201);
        assertThat(lower.json().get("version").asInt()).isEqualTo(1);
        assertThat(lower.json().get("fromPeriod").asText()).isEqualTo("2026-03");
        assertThat(tiers.status()).as(tiers.body()).isEqualTo(201);
        assertThat(back.json().get("version").asInt()).isEqualTo(2);
        for (String period : new String[] {"2026-03", "2026-04"}) {
            running.aggregate(customer.project(), "api_calls", period, "10100", 10, "1", "1", true);
            running.aggregate(customer.project(), "storage_gb", period, "30", 3, "30", "30", true);
        }

        clock.set(Instant.parse("2026-05-02T00:00:00Z"));
        JsonNode march = invoice(customer, "2026-03");
        JsonNode april = invoice(customer, "2026-04");

        // March: 10,000 x 0.40 = 4,000.00; storage 30 GB, 20 free then 10 x 1.50 = 15.00; 1,000.00 flat
        assertThat(march.get("lines")).extracting(l -> l.get("amount").decimalValue().stripTrailingZeros().toPlainString())
                .containsExactly("4000", "15", "1000");
        // April: the plan's 0.50 again (version 2), storage still negotiated
        assertThat(april.get("lines")).extracting(l -> l.get("amount").decimalValue().stripTrailingZeros().toPlainString())
                .containsExactly("5000", "15", "1000");
        JsonNode plan = client.get("/api/v1/pricing-plans/" + customer.plan(), ADMIN_TOKEN).json();
        assertThat(plan.get("charges").get(0).get("unitPrice").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(running.database().queryValue(Long.class, """
                SELECT count(*) FROM audit_logs WHERE organisation_id = ? AND action LIKE 'price_override.%'""",
                customer.org().id())).isEqualTo(3L);
        assertThat(client.get(org(customer) + "/price-overrides", customer.org().secretKey()).json()
                .get("priceOverrides")).hasSize(3);
    }

    @Test
    void overridesAreCheckedLikeThePlansCharges() {
        Customer customer = customer("Checked");
        Customer other = customer("Other plan");
        String apiCalls = customer.charges().get(0).get("id").asText();
        String platform = customer.charges().get(2).get("id").asText();

        assertThat(client.postJson(org(customer) + "/price-overrides", ADMIN_TOKEN,
                "{\"chargeId\":\"" + platform + "\",\"unitPrice\":1}").status()).isEqualTo(400);
        assertThat(client.postJson(org(customer) + "/price-overrides", ADMIN_TOKEN,
                "{\"chargeId\":\"" + apiCalls + "\",\"tiers\":[{\"unitPrice\":1}]}").status()).isEqualTo(400);
        assertThat(client.postJson(org(customer) + "/price-overrides", ADMIN_TOKEN,
                "{\"chargeId\":\"" + apiCalls + "\",\"unitPrice\":-1}").status()).isEqualTo(400);
        Response past = client.postJson(org(customer) + "/price-overrides", ADMIN_TOKEN,
                "{\"chargeId\":\"" + apiCalls + "\",\"unitPrice\":0.1,\"fromPeriod\":\"2026-02\"}");
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().get("errors").get(0).get("field").asText()).isEqualTo("fromPeriod");
        Response foreign = client.postJson(org(customer) + "/price-overrides", ADMIN_TOKEN,
                "{\"chargeId\":\"" + other.charges().get(0).get("id").asText() + "\",\"unitPrice\":0.1}");
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.json().get("errors").get(0).get("field").asText()).isEqualTo("chargeId");
        assertThat(client.postJson(org(customer) + "/price-overrides", customer.org().secretKey(),
                "{\"chargeId\":\"" + apiCalls + "\",\"unitPrice\":0.1}").status()).isEqualTo(403);
    }

    @Test
    void discountsComeOffBeforeGstForTheirPeriods() {
        Customer customer = customer("Discounted");
        Response tenPercent = client.postJson(org(customer) + "/discounts", ADMIN_TOKEN,
                "{\"kind\":\"percent\",\"percent\":10,\"durationPeriods\":2}");
        Response hundredOff = client.postJson(org(customer) + "/discounts", ADMIN_TOKEN,
                "{\"kind\":\"fixed\",\"amount\":100,\"description\":\"Launch partner\"}");
        assertThat(tenPercent.status()).as(tenPercent.body()).isEqualTo(201);
        assertThat(tenPercent.json().get("description").asText()).isEqualTo("10% off for 2 periods");
        assertThat(hundredOff.status()).as(hundredOff.body()).isEqualTo(201);

        clock.set(Instant.parse("2026-06-02T00:00:00Z"));
        JsonNode march = invoice(customer, "2026-03");
        JsonNode may = invoice(customer, "2026-05");

        // 1,000.00 flat; 10% = 100.00; then 100.00 of the 900.00 left: 800.00, GST 18% within the state = 144.00
        assertThat(march.get("lines")).extracting(l -> l.get("type").asText() + " " + l.get("amount").decimalValue()
                .stripTrailingZeros().toPlainString()).containsExactly("flat 1000", "discount -100", "discount -100");
        assertThat(march.get("subtotal").decimalValue()).isEqualByComparingTo("800.00");
        assertThat(march.get("tax").get("cgst").decimalValue()).isEqualByComparingTo("72.00");
        assertThat(march.get("total").decimalValue()).isEqualByComparingTo("944.00");
        // May is the third period: only the fixed discount is left
        assertThat(may.get("subtotal").decimalValue()).isEqualByComparingTo("900.00");

        String id = hundredOff.json().get("id").asText();
        assertThat(client.delete(org(customer) + "/discounts/" + id, ADMIN_TOKEN).status()).isEqualTo(200);
        assertThat(invoice(customer, "2026-04").get("subtotal").decimalValue())
                .as("generated after the removal").isEqualByComparingTo("900.00");
        assertThat(client.delete(org(customer) + "/discounts/" + id, ADMIN_TOKEN).status()).isEqualTo(404);
    }

    @Test
    void aCouponIsRedeemedWithinItsLimitExpiryAndCurrency() throws Exception {
        Response created = client.postJson("/api/v1/coupons", ADMIN_TOKEN,
                "{\"code\":\"launch3\",\"kind\":\"percent\",\"percent\":25,\"durationPeriods\":3,\"maxRedemptions\":3}");
        Response expired = client.postJson("/api/v1/coupons", ADMIN_TOKEN,
                "{\"code\":\"OLD\",\"kind\":\"fixed\",\"amount\":50,\"redeemBy\":\"2026-03-01T00:00:00Z\"}");
        Response dollars = client.postJson("/api/v1/coupons", ADMIN_TOKEN,
                "{\"code\":\"USD-OFF\",\"kind\":\"fixed\",\"amount\":5,\"currency\":\"USD\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("code").asText()).isEqualTo("LAUNCH3");
        assertThat(client.postJson("/api/v1/coupons", ADMIN_TOKEN,
                "{\"code\":\"LAUNCH3\",\"kind\":\"percent\",\"percent\":5}").status()).isEqualTo(409);

        List<Customer> customers = IntStream.range(0, 6).mapToObj(i -> customer("Coupon customer " + i)).toList();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Response>> redemptions = customers.stream().map(c -> CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return client.postJson(org(c) + "/coupons", ADMIN_TOKEN, "{\"code\":\"launch3\"}");
        })).toList();
        go.countDown();
        long redeemed = 0;
        for (CompletableFuture<Response> redemption : redemptions) {
            Response response = redemption.get();
            assertThat(response.status()).as(response.body()).isIn(201, 409);
            redeemed += response.status() == 201 ? 1 : 0;
        }

        assertThat(redeemed).isEqualTo(3);
        assertThat(client.get("/api/v1/coupons", ADMIN_TOKEN).json().get("coupons")).filteredOn(
                c -> c.get("code").asText().equals("LAUNCH3")).singleElement()
                .satisfies(c -> assertThat(c.get("timesRedeemed").asInt()).isEqualTo(3));
        Customer late = customer("Late customer");
        assertThat(client.postJson(org(late) + "/coupons", ADMIN_TOKEN, "{\"code\":\"OLD\"}").status()).isEqualTo(409);
        assertThat(client.postJson(org(late) + "/coupons", ADMIN_TOKEN, "{\"code\":\"USD-OFF\"}").status()).isEqualTo(409);
        assertThat(client.postJson(org(late) + "/coupons", ADMIN_TOKEN, "{\"code\":\"NOPE\"}").status()).isEqualTo(400);
        assertThat(expired.status()).isEqualTo(201);
        assertThat(dollars.status()).isEqualTo(201);
        assertThat(client.get(org(late) + "/discounts", late.org().secretKey()).json().get("discounts")).isEmpty();
    }
}
