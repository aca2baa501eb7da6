package dev.meterbill.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.http.PublicRoutes;
import dev.meterbill.billing.http.RegisteredRoute;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAPI document is served without a token and documents every route Javalin registered. */
class OpenApiDocumentIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static JsonNode document;

    @BeforeAll
    static void start() {
        Response response = running.client().get("/api/v1/openapi.json", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        document = response.json();
    }

    @Test
    void itIsAnOpenApi31Document() {
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.get("info").get("title").asText()).isNotBlank();
    }

    @Test
    void everyRegisteredRouteIsDocumented() {
        List<RegisteredRoute> routes = running.api().routes();
        assertThat(routes).hasSizeGreaterThan(20);

        List<String> missing = new ArrayList<>();
        for (RegisteredRoute route : routes) {
            JsonNode path = document.get("paths").get(route.path());
            if (path == null || path.get(route.method()) == null) {
                missing.add(route.toString());
            }
        }

        assertThat(missing).as("routes missing from the OpenAPI document").isEmpty();
    }

    @Test
    void everyDocumentedOperationExists() {
        List<String> registered = running.api().routes().stream().map(RegisteredRoute::toString).toList();
        List<String> documented = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));

        assertThat(registered).containsAll(documented);
    }

    @Test
    void everyReferenceResolves() {
        List<String> references = new ArrayList<>();
        collectReferences(document, references);

        assertThat(references).isNotEmpty().allSatisfy(reference -> {
            JsonNode target = document.at(reference.substring(1));
            assertThat(target.isMissingNode()).as(reference).isFalse();
        });
    }

    @Test
    void everyMutatingOperationDocumentsTheIdempotencyKey() {
        running.api().routes().stream().filter(RegisteredRoute::mutates)
                .filter(route -> route.path().startsWith("/api/v1/") && !PublicRoutes.PATHS.contains(route.path()))
                .forEach(route -> {
            JsonNode operation = document.get("paths").get(route.path()).get(route.method());
            assertThat(operation.get("parameters").findValuesAsText("$ref"))
                    .as(route.toString()).contains("#/components/parameters/IdempotencyKey");
        });
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref")) {
                    references.add(field.getValue().asText());
                } else {
                    collectReferences(field.getValue(), references);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectReferences(child, references));
        }
    }
}
