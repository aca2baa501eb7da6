package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.invoice.InvoiceNumbers;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Invoices generated, read, issued and voided through the API; amounts computed by hand. */
class InvoiceApiIT {

    static final String GROWTH = """
            {"name":"%s","currency":"INR","pricingScope":"project","charges":[
              {"metricName":"api_calls","aggregation":"sum","model":"per_unit","unitPrice":0.00125,"freeUnits":1000},
              {"metricName":"storage_gb","aggregation":"latest","model":"graduated","tiers":[
                 {"upTo":100,"unitPrice":0},{"unitPrice":2.5}]},
              {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":999}]}""";

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();
    private static UUID growth;

    @BeforeAll
    static void start() {
        growth = running.createPlan(GROWTH.formatted("Growth"));
    }

    /** An organisation on the Growth plan since January 2026 with the usage of the worked example. */
    private static OrgFixture customerWithJanuaryUsage(String name, String stateCode) {
        OrgFixture org = running.createOrganisation(name, "Asia/Kolkata", stateCode);
        running.subscribe(org.id(), growth, "2026-01-01");
        ProjectFixture search = running.createProject(org.id(), "Search");
        ProjectFixture ingest = running.createProject(org.id(), "Ingest");
        running.aggregate(search, "api_calls", "2026-01", "1001000", 5000, "1", "1", true);
        running.aggregate(search, "storage_gb", "2026-01", "900", 31, "170", "150.5", true);
        running.aggregate(ingest, "api_calls", "2026-01", "12346", 80, "1", "1", true);
        return org;
    }

    private static Response generate(String period, UUID organisationId, String token) {
        return client.postJson("/api/v1/invoices/generate", token,
                "{\"period\":\"" + period + "\"" + (organisationId == null ? "" : ",\"organisationId\":\"" + organisationId + "\"") + "}");
    }

    private static String generatedId(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("invoiceIds").get(0).asText();
    }

    @Test
    void anInvoiceBillsEachProjectAndChargeWithGstSplitWithinTheState() {
        OrgFixture org = customerWithJanuaryUsage("Acme Bengaluru", "29");

        Response generated = generate("2026-01", org.id(), ADMIN_TOKEN);

        assertThat(generated.json().get("created").asInt()).isEqualTo(1);
        Response read = client.get("/api/v1/invoices/" + generatedId(generated), org.secretKey());
        JsonNode invoice = read.json();
        assertThat(invoice.get("status").asText()).isEqualTo("draft");
        assertThat(invoice.get("invoiceNumber").isNull()).isTrue();
        JsonNode lines = invoice.get("lines");
        assertThat(lines.findValuesAsText("type")).containsExactly("usage", "usage", "usage", "flat");
        assertThat(lines.findValuesAsText("metricName")).containsExactly("api_calls", "api_calls", "storage_gb", "platform");
        assertThat(lines.get(0).get("description").asText()).startsWith("api_calls · Ingest");
        // 11346 x 0.00125 = 14.1825 -> 14.18; 1000000 x 0.00125 = 1250.00; 50.5 x 2.5 = 126.25; flat 999.00
        assertThat(lines.findValues("amount")).extracting(JsonNode::decimalValue)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("14.18"), new BigDecimal("1250.00"),
                        new BigDecimal("126.25"), new BigDecimal("999.00"));
        assertThat(read.body()).as("money keeps the currency's two decimals")
                .contains("\"amount\":1250.00,").contains("\"total\":2819.53,");
        assertThat(lines.get(1).get("quantity").decimalValue()).isEqualByComparingTo("1000000");
        assertThat(lines.get(1).get("unitPrice").decimalValue()).isEqualByComparingTo("0.00125");
        assertThat(invoice.get("subtotal").decimalValue()).isEqualByComparingTo("2389.43");
        // 18% of 2389.43 = 430.0974 -> 430.10, half each
        JsonNode tax = invoice.get("tax");
        assertThat(tax.get("supply").asText()).isEqualTo("intra_state");
        assertThat(tax.get("cgst").decimalValue()).isEqualByComparingTo("215.05");
        assertThat(tax.get("sgst").decimalValue()).isEqualByComparingTo("215.05");
        assertThat(tax.get("igst").decimalValue()).isZero();
        assertThat(invoice.get("total").decimalValue()).isEqualByComparingTo("2819.53");
        assertThat(invoice.get("totalMinor").asLong()).isEqualTo(281_953L);
        assertThat(invoice.get("supplier").get("stateCode").asText()).isEqualTo("29");
        assertThat(running.database().queryValue(String.class,
                "SELECT action FROM audit_logs WHERE entity_type = 'invoice' AND entity_id = ?",
                invoice.get("id").asText())).isEqualTo("invoice.generated");
    }

    @Test
    void anotherStatePaysIgst() {
        OrgFixture org = customerWithJanuaryUsage("Acme Mumbai", "27");

        JsonNode invoice = client.get("/api/v1/invoices/" + generatedId(generate("2026-01", org.id(), ADMIN_TOKEN)),
                ADMIN_TOKEN).json();

        assertThat(invoice.get("tax").get("supply").asText()).isEqualTo("inter_state");
        assertThat(invoice.get("tax").get("igst").decimalValue()).isEqualByComparingTo("430.10");
        assertThat(invoice.get("tax").get("cgst").decimalValue()).isZero();
    }

    @Test
    void generatingTwiceKeepsTheOneInvoiceOfThePeriod() {
        OrgFixture org = customerWithJanuaryUsage("Twice", "29");

        String first = generatedId(generate("2026-01", org.id(), ADMIN_TOKEN));
        Response second = generate("2026-01", org.id(), ADMIN_TOKEN);

        assertThat(second.json().get("created").asInt()).isZero();
        assertThat(second.json().get("existing").asInt()).isEqualTo(1);
        assertThat(generatedId(second)).isEqualTo(first);
    }

    @Test
    void issuingAssignsConsecutiveNumbersOfTheFinancialYearAndFreezesTheInvoice() {
        String first = generatedId(generate("2026-01", customerWithJanuaryUsage("First issued", "29").id(), ADMIN_TOKEN));
        String second = generatedId(generate("2026-01", customerWithJanuaryUsage("Second issued", "29").id(), ADMIN_TOKEN));

        Response issued = client.postJson("/api/v1/invoices/" + first + "/issue", ADMIN_TOKEN, "");
        Response next = client.postJson("/api/v1/invoices/" + second + "/issue", ADMIN_TOKEN, "");

        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        String year = InvoiceNumbers.financialYear(LocalDate.now(InvoiceNumbers.INDIA));
        String prefix = "MB" + year.substring(2, 4) + year.substring(5, 7) + "-";
        String number = issued.json().get("invoiceNumber").asText();
        assertThat(number).startsWith(prefix).hasSizeLessThanOrEqualTo(16);
        assertThat(Long.parseLong(next.json().get("invoiceNumber").asText().substring(prefix.length())))
                .isEqualTo(Long.parseLong(number.substring(prefix.length())) + 1);
        assertThat(issued.json().get("status").asText()).isEqualTo("issued");
        assertThat(issued.json().get("issuedAt").isNull()).isFalse();
        assertThat(issued.json().get("dueAt").isNull()).isFalse();
        Response again = client.postJson("/api/v1/invoices/" + first + "/issue", ADMIN_TOKEN, "");
        assertThat(again.status()).as("issuing again is a safe retry").isEqualTo(200);
        assertThat(again.json().get("invoiceNumber").asText()).as("an issued invoice is not issued again")
                .isEqualTo(number);
        assertThat(again.json().get("issuedAt")).isEqualTo(issued.json().get("issuedAt"));
    }

    @Test
    void theDatabaseRefusesToChangeAnIssuedInvoice() {
        String id = generatedId(generate("2026-01", customerWithJanuaryUsage("Frozen Ltd", "29").id(), ADMIN_TOKEN));
        assertThat(client.postJson("/api/v1/invoices/" + id + "/issue", ADMIN_TOKEN, "").status()).isEqualTo(200);
        UUID invoiceId = UUID.fromString(id);

        assertThat(failure("UPDATE invoices SET total_minor = total_minor + 100, subtotal_minor = subtotal_minor + 100"
                + " WHERE id = ?", invoiceId)).contains("cannot be changed");
        assertThat(failure("UPDATE invoice_line_items SET amount_minor = 0 WHERE invoice_id = ?", invoiceId))
                .contains("its lines cannot be changed");
        assertThat(failure("INSERT INTO invoice_line_items (invoice_id, description, quantity, unit_price, amount_minor)"
                + " VALUES (?, 'sneaked in', 1, 1, 100)", invoiceId)).contains("its lines cannot be changed");
        assertThat(failure("DELETE FROM invoices WHERE id = ?", invoiceId)).contains("cannot be deleted");
        assertThat(running.database().update("UPDATE invoices SET status = 'uncollectible' WHERE id = ?", invoiceId))
                .as("the status may still move forward").isEqualTo(1);
    }

    private static String failure(String sql, Object... parameters) {
        try {
            running.database().update(sql, parameters);
            return "no failure";
        } catch (IllegalStateException e) {
            return e.getCause().getMessage();
        }
    }

    @Test
    void voidingAnIssuedInvoiceKeepsItsNumberAndDiscardingADraftLetsItBeRegenerated() {
        OrgFixture org = customerWithJanuaryUsage("Voider", "29");
        String draft = generatedId(generate("2026-01", org.id(), ADMIN_TOKEN));

        Response discarded = client.postJson("/api/v1/invoices/" + draft + "/void", ADMIN_TOKEN, "");
        assertThat(discarded.status()).isEqualTo(200);
        assertThat(discarded.json().get("status").asText()).isEqualTo("discarded");
        assertThat(client.get("/api/v1/invoices/" + draft, ADMIN_TOKEN).status()).isEqualTo(404);

        String regenerated = generatedId(generate("2026-01", org.id(), ADMIN_TOKEN));
        assertThat(regenerated).isNotEqualTo(draft);
        client.postJson("/api/v1/invoices/" + regenerated + "/issue", ADMIN_TOKEN, "");
        Response voided = client.postJson("/api/v1/invoices/" + regenerated + "/void", ADMIN_TOKEN, "");
        assertThat(voided.json().get("status").asText()).isEqualTo("void");
        assertThat(voided.json().get("invoiceNumber").asText()).startsWith("MB");
        JsonNode stored = client.get("/api/v1/invoices/" + regenerated, ADMIN_TOKEN).json();
        assertThat(stored.get("status").asText()).isEqualTo("void");
        assertThat(stored.get("voidedAt").isNull()).isFalse();
        assertThat(client.postJson("/api/v1/invoices/" + regenerated + "/void", ADMIN_TOKEN, "").status())
                .isEqualTo(409);
        assertThat(running.database().queryValue(String.class, """
                SELECT string_agg(action, ',' ORDER BY id) FROM audit_logs WHERE entity_type = 'invoice'
                   AND organisation_id = ?""", org.id()))
                .isEqualTo("invoice.generated,invoice.discarded,invoice.generated,invoice.issued,invoice.voided");
    }

    @Test
    void lateUsageOfAnEarlierPeriodIsAnAdjustmentLineOnTheNextInvoice() {
        UUID perUnit = running.createPlan("""
                {"name":"Simple","currency":"INR","charges":[
                  {"metricName":"api_calls","aggregation":"sum","model":"per_unit","unitPrice":0.5}]}""");
        OrgFixture org = running.createOrganisation("Late Ltd", "UTC", "29");
        running.subscribe(org.id(), perUnit, "2026-01-01");
        ProjectFixture project = running.createProject(org.id(), "Edge");
        running.aggregate(project, "api_calls", "2026-01", "100", 100, "1", "1", true);
        running.aggregate(project, "api_calls", "2026-02", "200", 200, "1", "1", true);
        assertThat(generatedId(generate("2026-01", org.id(), ADMIN_TOKEN))).isNotBlank();
        UUID lateA = lateEvent(project, "api_calls", "10", "2026-01-31T23:00:00Z");
        UUID lateB = lateEvent(project, "api_calls", "30", "2026-01-31T23:30:00Z");

        String february = generatedId(generate("2026-02", org.id(), ADMIN_TOKEN));

        JsonNode lines = client.get("/api/v1/invoices/" + february, ADMIN_TOKEN).json().get("lines");
        assertThat(lines.findValuesAsText("type")).containsExactly("usage", "adjustment");
        JsonNode adjustment = lines.get(1);
        assertThat(adjustment.get("adjustmentPeriod").asText()).isEqualTo("2026-01");
        assertThat(adjustment.get("quantity").decimalValue()).isEqualByComparingTo("40");
        assertThat(adjustment.get("amount").decimalValue()).isEqualByComparingTo("20.00");   // 70.00 - 50.00
        assertThat(running.database().queryValue(Long.class,
                "SELECT count(*) FROM late_usage_events WHERE adjusted_on_invoice_id = ?::uuid", february))
                .isEqualTo(2);

        client.postJson("/api/v1/invoices/" + february + "/void", ADMIN_TOKEN, "");
        assertThat(running.database().queryValue(Long.class,
                "SELECT count(*) FROM late_usage_events WHERE adjusted_on_invoice_id IS NULL AND event_id IN (?, ?)",
                lateA, lateB)).as("a discarded draft gives its late events back").isEqualTo(2);
    }

    private static UUID lateEvent(ProjectFixture project, String metric, String value, String eventTime) {
        UUID id = UUID.randomUUID();
        Instant time = Instant.parse(eventTime);
        running.database().update("""
                INSERT INTO late_usage_events (event_id, project_id, organisation_id, metric_name, metric_value, unit,
                       event_time, period, reason, received_at)
                VALUES (?, ?, ?, ?, ?::numeric, 'count', ?, ?, 'period final', now())
                """, id, project.id(), project.organisationId(), metric, value, time.atOffset(ZoneOffset.UTC),
                YearMonth.from(time.atOffset(ZoneOffset.UTC)).toString());
        return id;
    }

    @Test
    void aRunningPeriodOrAnOrganisationWithoutPlanCannotBeInvoiced() {
        OrgFixture subscribed = customerWithJanuaryUsage("Too early", "29");
        OrgFixture unsubscribed = running.createOrganisation("No plan");

        Response running = generate(YearMonth.now(ZoneOffset.UTC).plusMonths(1).toString(), subscribed.id(), ADMIN_TOKEN);
        Response noPlan = generate("2026-01", unsubscribed.id(), ADMIN_TOKEN);

        assertThat(running.status()).isEqualTo(409);
        assertThat(running.json().get("detail").asText()).contains("has not ended");
        assertThat(noPlan.status()).isEqualTo(409);
        assertThat(noPlan.json().get("detail").asText()).contains("no pricing plan in force");
        assertThat(generate("2026-01", UUID.randomUUID(), ADMIN_TOKEN).status()).isEqualTo(404);
    }

    @Test
    void organisationsReadTheirOwnInvoicesAndOnlyTheOperatorChangesThem() {
        OrgFixture owner = customerWithJanuaryUsage("Reader", "29");
        OrgFixture other = running.createOrganisation("Outsider");
        String id = generatedId(generate("2026-01", owner.id(), ADMIN_TOKEN));

        JsonNode mine = client.get("/api/v1/invoices?period=2026-01&status=draft", owner.secretKey()).json();
        assertThat(mine.get("invoices")).hasSize(1);
        assertThat(mine.get("invoices").get(0).has("lines")).isFalse();
        assertThat(client.get("/api/v1/invoices", other.secretKey()).json().get("invoices")).isEmpty();
        assertThat(client.get("/api/v1/invoices?organisationId=" + owner.id(), other.secretKey()).status())
                .isEqualTo(404);
        assertThat(client.get("/api/v1/invoices/" + id, other.secretKey()).status()).isEqualTo(404);
        assertThat(client.get("/api/v1/invoices?organisationId=" + owner.id(), ADMIN_TOKEN).json().get("invoices"))
                .hasSize(1);
        assertThat(client.get("/api/v1/invoices?status=paidish", ADMIN_TOKEN).status()).isEqualTo(400);

        assertThat(client.postJson("/api/v1/invoices/" + id + "/issue", owner.secretKey(), "").status()).isEqualTo(403);
        assertThat(client.postJson("/api/v1/invoices/" + id + "/issue", other.secretKey(), "").status()).isEqualTo(404);
        assertThat(client.postJson("/api/v1/invoices/" + id + "/void", owner.secretKey(), "").status()).isEqualTo(403);
        assertThat(generate("2026-01", owner.id(), owner.secretKey()).status()).isEqualTo(403);
        assertThat(generate("2026-01", owner.id(), other.secretKey()).status()).isEqualTo(404);
        assertThat(generate("2026-01", null, owner.secretKey()).status()).isEqualTo(403);
    }
}
