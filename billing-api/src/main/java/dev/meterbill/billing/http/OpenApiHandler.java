package dev.meterbill.billing.http;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the hand-maintained OpenAPI 3.1 document (resource {@value #RESOURCE}) without
 * authentication. A test walks every registered route and fails when one is missing from it.
 */
public final class OpenApiHandler {

    public static final String PATH = "/api/v1/openapi.json";
    static final String RESOURCE = "/openapi/billing-api.json";

    private final byte[] document;

    public OpenApiHandler() {
        try (InputStream in = OpenApiHandler.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("OpenAPI document " + RESOURCE + " is missing from the classpath");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get(PATH, this::serve);
    }

    private void serve(Context ctx) {
        ctx.contentType("application/json").result(document);
    }
}
