package dev.meterbill.billing.http;

import io.javalin.event.HandlerMetaInfo;
import java.util.Locale;

/**
 * An HTTP route as Javalin registered it, collected at startup so tests can check that every route
 * is documented, isolated between tenants and, when it mutates, idempotent.
 *
 * @param method     lower-case HTTP method, as OpenAPI writes it
 * @param path       the path with {@code {param}} placeholders, as OpenAPI writes it
 * @param idempotent true when the handler honours Idempotency-Key
 */
public record RegisteredRoute(String method, String path, boolean idempotent) {

    public static RegisteredRoute of(HandlerMetaInfo info) {
        return new RegisteredRoute(info.getHttpMethod().name().toLowerCase(Locale.ROOT), info.getPath(),
                info.getHandler() instanceof IdempotentRoute);
    }

    public boolean mutates() {
        return method.equals("post") || method.equals("put") || method.equals("patch") || method.equals("delete");
    }

    @Override
    public String toString() {
        return method.toUpperCase(Locale.ROOT) + " " + path;
    }
}
