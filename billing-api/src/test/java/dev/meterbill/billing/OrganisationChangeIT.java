package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.SettableClock;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Organisations listed and changed through HTTP: drafts take the change, issued invoices keep what they had. */
class OrganisationChangeIT {

    private static final SettableClock clock = new SettableClock(Instant.parse("2026-03-15T10:00:00Z"));
    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass(clock);
    private static final HttpTestClient client = running.client();

    @BeforeEach
    void midMarch() {
        clock.set(Instant.parse("2026-03-15T10:00:00Z"));
    }

    private static Response patch(UUID id, String token, String body) {
        return client.send("PATCH", "/api/v1/organisations/" + id, token, body);
    }

    @Test
    void theOperatorListsOrganisationsByNameAndGstinPageByPage() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            running.createOrganisation("Listed " + tag + " " + i);
        }
        OrgFixture registered = running.createOrganisation("Registered " + tag, "Asia/Kolkata", null);
        assertThat(patch(registered.id(), ADMIN_TOKEN, "{\"gstin\":\"24AAACC1206D1ZM\"}").status()).isEqualTo(200);

        JsonNode firstPage = client.get("/api/v1/organisations?name=listed%20" + tag + "&limit=2", ADMIN_TOKEN).json();
        JsonNode secondPage = client.get("/api/v1/organisations?name=LISTED%20" + tag + "&limit=2&offset=2", ADMIN_TOKEN)
                .json();
        JsonNode byGstin = client.get("/api/v1/organisations?gstin=24aaacc1206d1zm", ADMIN_TOKEN).json();

        assertThat(firstPage.get("organisations")).extracting(o -> o.get("name").asText())
                .containsExactly("Listed " + tag + " 0", "Listed " + tag + " 1");
        assertThat(secondPage.get("organisations")).extracting(o -> o.get("name").asText())
                .containsExactly("Listed " + tag + " 2");
        assertThat(byGstin.get("organisations")).extracting(o -> o.get("id").asText())
                .containsExactly(registered.id().toString());
        assertThat(client.get("/api/v1/organisations", registered.secretKey()).status()).isEqualTo(403);
        assertThat(client.get("/api/v1/organisations?gstin=27AAPFU0939F1ZW", ADMIN_TOKEN).status()).isEqualTo(400);
    }

    @Test
    void anOrganisationChangesItsOwnDetailsAndTheChangeIsAudited() {
        OrgFixture org = running.createOrganisation("Mover", "Asia/Kolkata", "29");

        Response changed = patch(org.id(), org.secretKey(), """
                {"billingEmail":"ap@mover.in","address":{"line1":"12 Residency Road","city":"Bengaluru",
                 "postalCode":"560025"}}""");

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("name").asText()).isEqualTo("Mover");
        assertThat(changed.json().get("billingEmail").asText()).isEqualTo("ap@mover.in");
        assertThat(changed.json().get("address").get("city").asText()).isEqualTo("Bengaluru");
        assertThat(changed.json().get("address").get("stateCode").asText()).isEqualTo("29");
        assertThat(changed.json().get("address").get("country").asText()).isEqualTo("IN");
        JsonNode audit = client.get("/api/v1/audit-logs?entityType=organisation&entityId=" + org.id(), ADMIN_TOKEN)
                .json().get("entries");
        assertThat(audit).extracting(e -> e.get("action").asText()).contains("organisation.updated");

        Response wrongCheck = patch(org.id(), ADMIN_TOKEN, "{\"gstin\":\"29AAGCR4375J1ZV\"}");
        Response otherState = patch(org.id(), ADMIN_TOKEN, "{\"gstin\":\"29AAGCR4375J1ZU\",\"stateCode\":\"27\"}");
        Response currency = patch(org.id(), ADMIN_TOKEN, "{\"currency\":\"USD\"}");
        Response intruder = patch(org.id(), running.createOrganisation("Intruder").secretKey(), "{\"name\":\"Mine\"}");
        assertThat(wrongCheck.status()).isEqualTo(400);
        assertThat(wrongCheck.json().get("errors").get(0).get("message").asText()).contains("check character");
        assertThat(otherState.status()).isEqualTo(400);
        assertThat(currency.status()).isEqualTo(400);
        assertThat(intruder.status()).isEqualTo(404);
    }

    @Test
    void draftsTakeANewRegistrationAndIssuedInvoicesKeepWhatTheyWereIssuedWith() {
        OrgFixture org = running.createOrganisation("Registrant", "UTC", "29");
        ProjectFixture project = running.createProject(org.id(), "api");
        UUID plan = running.createPlan("""
                {"name":"Flat %s","currency":"INR","charges":[
                  {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":1000}]}""".formatted(org.id()));
        running.subscribe(org.id(), plan, "2026-01-01");
        running.aggregate(project, "platform", "2026-01", "1", 1, "1", "1", true);
        String january = running.generateInvoice(org.id(), "2026-01");
        String february = running.generateInvoice(org.id(), "2026-02");
        assertThat(client.postJson("/api/v1/invoices/" + january + "/issue", ADMIN_TOKEN, "").status()).isEqualTo(200);

        Response moved = patch(org.id(), ADMIN_TOKEN, """
                {"name":"Registrant (Mumbai)","gstin":"27AAPFU0939F1ZV","address":{"line1":"1 Nariman Point",
                 "city":"Mumbai","postalCode":"400021"}}""");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().get("stateCode").asText()).isEqualTo("27");

        JsonNode issued = client.get("/api/v1/invoices/" + january, ADMIN_TOKEN).json();
        JsonNode draft = client.get("/api/v1/invoices/" + february, ADMIN_TOKEN).json();
        assertThat(issued.get("tax").get("supply").asText()).isEqualTo("intra_state");
        assertThat(issued.get("tax").get("cgst").decimalValue()).isEqualByComparingTo("90.00");
        assertThat(issued.get("customer").get("name").asText()).isEqualTo("Registrant");
        assertThat(issued.get("customer").get("stateCode").asText()).isEqualTo("29");
        assertThat(draft.get("tax").get("supply").asText()).isEqualTo("inter_state");
        assertThat(draft.get("tax").get("igst").decimalValue()).isEqualByComparingTo("180.00");
        assertThat(draft.get("total").decimalValue()).isEqualByComparingTo("1180.00");
        assertThat(draft.get("customer").get("gstin").asText()).isEqualTo("27AAPFU0939F1ZV");
        assertThat(draft.get("customer").get("name").asText()).isEqualTo("Registrant (Mumbai)");
        assertThat(draft.get("customer").get("address").get("city").asText()).isEqualTo("Mumbai");
        // and the database refuses to change what the issued invoice carries, whatever the column
        for (String column : new String[] {"customer_name", "customer_address", "supply_type", "customer_state_code"}) {
            assertThatThrownBy(() -> running.database().update(
                    "UPDATE invoices SET " + column + " = NULL WHERE id = ?", UUID.fromString(january)))
                    .as(column).rootCause().hasMessageContaining("cannot be changed");
        }
    }

    @Test
    void aNewTimezoneTakesOverWithTheNextPeriodNeverWithinTheRunningOne() {
        OrgFixture org = running.createOrganisation("Relocator", "UTC", null);

        Response changed = patch(org.id(), ADMIN_TOKEN, "{\"timezone\":\"Asia/Kolkata\"}");

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("timezone").asText()).isEqualTo("UTC");
        JsonNode pending = changed.json().get("pendingTimezone");
        assertThat(pending.get("timezone").asText()).isEqualTo("Asia/Kolkata");
        assertThat(pending.get("fromPeriod").asText()).isEqualTo("2026-04");
        assertThat(Instant.parse(pending.get("from").asText())).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(running.database().queryValue(String.class, "SELECT next_timezone FROM organisations WHERE id = ?",
                org.id())).isEqualTo("Asia/Kolkata");

        clock.set(Instant.parse("2026-04-02T00:00:00Z"));
        JsonNode april = client.get("/api/v1/organisations/" + org.id(), ADMIN_TOKEN).json();
        assertThat(april.get("timezone").asText()).isEqualTo("Asia/Kolkata");
        assertThat(april.get("pendingTimezone").isNull()).isTrue();

        Response back = patch(org.id(), ADMIN_TOKEN, "{\"timezone\":\"UTC\"}");
        assertThat(back.json().get("pendingTimezone").get("fromPeriod").asText()).isEqualTo("2026-05");
        Response cancelled = patch(org.id(), ADMIN_TOKEN, "{\"timezone\":\"Asia/Kolkata\"}");
        assertThat(cancelled.json().get("timezone").asText()).isEqualTo("Asia/Kolkata");
        assertThat(cancelled.json().get("pendingTimezone").isNull()).isTrue();
    }
}
