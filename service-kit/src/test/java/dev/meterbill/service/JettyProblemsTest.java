package dev.meterbill.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.testkit.RawHttp;
import io.javalin.Javalin;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests Jetty answers itself, before or instead of Javalin, come back as problem+json. */
class JettyProblemsTest {

    private static Javalin app;

    @BeforeAll
    static void start() {
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = 1_000;
            HttpProblems.install(cfg, ctx -> null);
            cfg.routes.post("/echo", ctx -> ctx.result(ctx.bodyAsBytes()));
        }).start(0);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    static List<RawHttp.Refusal> refusals() {
        return RawHttp.refusals("/echo", "any");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void answersAProblemDocument(RawHttp.Refusal refusal) {
        String response = RawHttp.send(app.port(), refusal.request());
        assertThat(RawHttp.status(response)).as(response).isEqualTo(refusal.status());
        assertThat(response.toLowerCase()).contains("content-type: application/problem+json");
        assertThat(response).contains("\"type\":\"https://meterbill.dev/problems/")
                .contains("\"status\":" + refusal.status());
    }
}
