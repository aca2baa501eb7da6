package dev.meterbill.billing.http;

import io.javalin.http.Handler;

/** A handler that honours {@code Idempotency-Key}; {@link RegisteredRoute} reports routes by it. */
public interface IdempotentRoute extends Handler {}
