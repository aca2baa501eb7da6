package dev.meterbill.billing.http;

import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.UnavailableException;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.Map;

/** Liveness (the process serves HTTP) and readiness (the database answers) probes; no auth. */
public record HealthHandler(Transactions transactions) {

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/health/live", this::live);
        routes.get("/health/ready", this::ready);
    }

    private void live(Context ctx) {
        ctx.json(Map.of("status", "UP"));
    }

    private void ready(Context ctx) {
        if (!transactions.isDatabaseReachable()) {
            throw new UnavailableException("The billing database is not reachable", null);
        }
        ctx.json(Map.of("status", "UP", "database", "UP"));
    }
}
