package dev.meterbill.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A plain java.net.http client for a service under test; it sends exactly what the test says. The
 * base URL is read on every request, so a client can be made before a JUnit extension started the
 * service on its random port.
 */
public final class HttpTestClient {

    /** Reads decimals as BigDecimal so assertions see the exact value the server wrote. */
    public static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    // HTTP/1.1 as the services speak it: no h2c upgrade attempt on every request
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final Supplier<String> baseUrl;

    /** A client of {@code http://127.0.0.1:<port>}. */
    public HttpTestClient(int port) {
        this(() -> "http://127.0.0.1:" + port);
    }

    /** A client of the base URL {@code baseUrl} gives when a request is sent. */
    public HttpTestClient(Supplier<String> baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A received response. */
    public record Response(int status, String contentType, String requestId, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("response body is not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl.get() + path))
                .timeout(Duration.ofSeconds(120));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Response postJson(String path, String token, String json) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Posts {@code body} (maps, lists, records) written as JSON. */
    public Response postAsJson(String path, String token, Object body) {
        try {
            return postJson(path, token, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + body, e);
        }
    }

    /** Posts bytes exactly as given, with any content type (none when null), for what a service must refuse. */
    public Response postBytes(String path, String token, String contentType, byte[] body) {
        HttpRequest.Builder builder = request(path, token).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder);
    }

    /** Sends {@code method} with an optional JSON body and extra header name/value pairs. */
    public Response send(String method, String path, String token, String json, String... headers) {
        HttpRequest.Builder builder = request(path, token);
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder.method(method, json == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response putJson(String path, String token, String json) {
        return send("PUT", path, token, json);
    }

    public Response delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    public Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("X-Request-Id").orElse(null),
                    response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
