package dev.meterbill.localstack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small JSON-over-HTTP client for the platform's public APIs, as a user's code would call them. */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** A response: status and parsed JSON body (null when the body is empty or not JSON). */
    public record Response(int status, JsonNode body, String raw, java.net.http.HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public Response expect(int expected) {
            if (status != expected) {
                throw new IllegalStateException("expected HTTP " + expected + " but got " + status + ": " + raw);
            }
            return this;
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    public Response get(String url, String token) throws IOException, InterruptedException {
        return parse(http.send(request(url, token).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Posts raw bytes with any content type, for tests of what the services refuse. */
    public Response postRaw(String url, String token, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(url, token).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return parse(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    public Response post(String url, String token, Object body) throws IOException, InterruptedException {
        return parse(http.send(post(url, token, JSON.writeValueAsString(body)), HttpResponse.BodyHandlers.ofString()));
    }

    public Response put(String url, String token, Object body) throws IOException, InterruptedException {
        HttpRequest request = request(url, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        return parse(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** The body as bytes (a PDF); fails unless the answer is 200. */
    public byte[] download(String url, String token) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request(url, token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }

    public Response delete(String url, String token) throws IOException, InterruptedException {
        return parse(http.send(request(url, token).DELETE().build(), HttpResponse.BodyHandlers.ofString()));
    }

    public CompletableFuture<Response> postAsync(String url, String token, String json) {
        return http.sendAsync(post(url, token, json), HttpResponse.BodyHandlers.ofString()).thenApply(ApiClient::parse);
    }

    private static HttpRequest post(String url, String token, String json) {
        return request(url, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static Response parse(HttpResponse<String> r) {
        JsonNode body = null;
        try {
            if (r.body() != null && !r.body().isBlank()) {
                body = JSON.readTree(r.body());
            }
        } catch (IOException e) {
            body = null;
        }
        return new Response(r.statusCode(), body, r.body(), r.headers());
    }
}
