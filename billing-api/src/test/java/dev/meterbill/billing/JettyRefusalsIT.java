package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.RawHttp;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What Jetty refuses before or instead of the API (%00, a 70,000-character URI, 100 KB of headers) is a problem too. */
class JettyRefusalsIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();

    static List<RawHttp.Refusal> refusals() {
        return RawHttp.refusals("/api/v1/pricing-plans", ADMIN_TOKEN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void answersAProblemDocument(RawHttp.Refusal refusal) {
        String response = RawHttp.send(running.api().port(), refusal.request());
        assertThat(RawHttp.status(response)).as(response.substring(0, Math.min(400, response.length())))
                .isEqualTo(refusal.status());
        assertThat(response.toLowerCase()).contains("content-type: application/problem+json");
        assertThat(response).contains("\"type\":\"https://meterbill.dev/problems/");
    }
}
