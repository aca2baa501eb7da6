package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.service.ApiKeyHash;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OrganisationApiIT {

    private static final String ORGS = "/api/v1/organisations";
    private static final String VALID_BODY = """
            {"name":"Acme Analytics","billingEmail":"billing@acme.in","timezone":"Asia/Kolkata",
             "gstin":"29ABCDE1234F1ZW","address":{"line1":"1 MG Road","city":"Bengaluru","postalCode":"560001"}}""";

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();

    @Test
    void creatingAnOrganisationWithoutATokenIsUnauthorized() {
        Response response = client.postJson(ORGS, null, VALID_BODY);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(response.json().get("type").asText()).isEqualTo("https://meterbill.dev/problems/unauthorized");
        assertThat(response.json().get("status").asInt()).isEqualTo(401);
    }

    @Test
    void anUnknownTokenIsUnauthorized() {
        assertThat(client.postJson(ORGS, "not-the-operator", VALID_BODY).status()).isEqualTo(401);
        assertThat(client.postJson(ORGS, "sk_doesnotexist", VALID_BODY).status()).isEqualTo(401);
    }

    @Test
    void anInvalidBodyIsRefusedWithEveryFieldError() {
        Response response = client.postJson(ORGS, ADMIN_TOKEN,
                "{\"name\":\"\",\"billingEmail\":\"nope\",\"timezone\":\"Mars/Olympus\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asText()).isEqualTo("https://meterbill.dev/problems/validation-error");
        assertThat(problem.get("errors").findValuesAsText("field"))
                .containsExactly("name", "billingEmail", "timezone");
        assertThat(running.database().queryValue(Long.class, "SELECT count(*) FROM organisations WHERE name = ''"))
                .isZero();
    }

    @Test
    void malformedJsonIsABadRequest() {
        Response response = client.postJson(ORGS, ADMIN_TOKEN, "{\"name\":");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText()).contains("not valid JSON");
    }

    @Test
    void anUnknownFieldIsNamedInTheError() {
        Response response = client.postJson(ORGS, ADMIN_TOKEN,
                "{\"name\":\"Acme\",\"billing_email\":\"billing@acme.in\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("billing_email");
    }

    @Test
    void aBodyThatIsNotJsonContentIsAnUnsupportedMediaType() {
        Response response = client.send(client.request(ORGS, ADMIN_TOKEN)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(VALID_BODY)));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void anUnknownRouteIsANotFoundProblem() {
        Response response = client.get("/api/v1/no-such-thing", ADMIN_TOKEN);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("https://meterbill.dev/problems/not-found");
        assertThat(client.get("/api/v1/no-such-thing", null).status())
                .as("an unknown route is not found whatever the credentials").isEqualTo(404);
    }

    @Test
    void theOperatorCreatesAnOrganisationAndGetsItsSecretKeyOnce() {
        Response created = client.postJson(ORGS, ADMIN_TOKEN, VALID_BODY);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode json = created.json();
        String id = json.get("id").asText();
        String secretKey = json.get("secretKey").asText();
        assertThat(json.get("name").asText()).isEqualTo("Acme Analytics");
        assertThat(json.get("currency").asText()).isEqualTo("INR");
        assertThat(json.get("timezone").asText()).isEqualTo("Asia/Kolkata");
        assertThat(json.get("stateCode").asText()).isEqualTo("29");
        assertThat(json.get("createdAt").asText()).endsWith("Z");
        assertThat(secretKey).startsWith("sk_");

        assertThat(running.database().queryValue(String.class,
                "SELECT key_hash FROM api_keys WHERE organisation_id = ?::uuid AND kind = 'organisation'", id))
                .isEqualTo(ApiKeyHash.of(secretKey));

        Response fetched = client.get(ORGS + "/" + id, secretKey);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("id").asText()).isEqualTo(id);
        assertThat(fetched.json().has("secretKey")).isFalse();
    }

    @Test
    void creationIsAuditedUnderTheCallersRequestId() {
        String requestId = "req-" + UUID.randomUUID();
        Response created = client.send(client.request(ORGS, ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(VALID_BODY)));

        assertThat(created.requestId()).isEqualTo(requestId);
        String id = created.json().get("id").asText();
        assertThat(running.database().queryValue(String.class,
                "SELECT string_agg(action || ' by ' || actor, ', ' ORDER BY id) FROM audit_logs WHERE request_id = ?",
                requestId))
                .isEqualTo("organisation.created by operator, api_key.created by operator");
        assertThat(running.database().queryValue(String.class,
                "SELECT after_state->>'name' FROM audit_logs WHERE entity_type = 'organisation' AND entity_id = ?", id))
                .isEqualTo("Acme Analytics");
    }

    @Test
    void anOrganisationKeyCannotSeeAnotherOrganisation() {
        OrgFixture mine = running.createOrganisation("Mine");
        OrgFixture theirs = running.createOrganisation("Theirs");

        Response response = client.get(ORGS + "/" + theirs.id(), mine.secretKey());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("detail").asText()).doesNotContain("Theirs");
        assertThat(client.get(ORGS + "/" + UUID.randomUUID(), mine.secretKey()).status()).isEqualTo(404);
    }

    @Test
    void onlyTheOperatorCreatesOrganisations() {
        OrgFixture org = running.createOrganisation("Tenant");

        assertThat(client.postJson(ORGS, org.secretKey(), VALID_BODY).status()).isEqualTo(403);
    }

    @Test
    void aMalformedIdIsNotFound() {
        assertThat(client.get(ORGS + "/not-a-uuid", ADMIN_TOKEN).status()).isEqualTo(404);
    }

    @Test
    void responsesEchoAGeneratedRequestIdWhenNoneIsSent() {
        Response response = client.get("/health/live", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.requestId()).isNotBlank();
    }

    @Test
    void readinessReportsTheDatabase() {
        Response response = client.get("/health/ready", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("database").asText()).isEqualTo("UP");
    }
}
