package dev.meterbill.billing.payment.razorpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.razorpay.RazorpayClient;
import com.razorpay.RazorpayException;
import dev.meterbill.razorpay.emulator.RazorpayEmulator;
import dev.meterbill.testkit.ServiceExtension;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What production and the tests rely on of {@link RazorpayRedirect}: redirect, restore, interceptors on and off. */
class RazorpayRedirectTest {

    static final String KEY_ID = "rzp_test_redirect";
    static final String KEY_SECRET = "redirect_secret";
    @RegisterExtension
    static final ServiceExtension<RazorpayEmulator> emulator =
            ServiceExtension.perClass(() -> RazorpayEmulator.start(0, KEY_ID, KEY_SECRET));

    @AfterEach
    void restore() {
        RazorpayRedirect.restore();
    }

    @Test
    void theSdkCallsTheBaseUrlWhicheverClientWasConstructedFirst() throws Exception {
        RazorpayRedirect.redirectTo(emulator.get().baseUrl());

        String orderId = createOrder(new RazorpayClient(KEY_ID, KEY_SECRET));

        assertThat(orderId).startsWith("order_");
    }

    @Test
    void anInterceptorSeesTheRedirectedRequestsUntilItIsClosed() throws Exception {
        RazorpayRedirect.redirectTo(emulator.get().baseUrl());
        RazorpayClient client = new RazorpayClient(KEY_ID, KEY_SECRET);
        List<HttpUrl> seen = new CopyOnWriteArrayList<>();

        try (RazorpayRedirect.Interception interception = RazorpayRedirect.intercept(recording(seen))) {
            createOrder(client);
        }
        createOrder(client);

        HttpUrl base = HttpUrl.parse(emulator.get().baseUrl());
        assertThat(seen).singleElement().satisfies(url -> {
            assertThat(url.host()).isEqualTo(base.host());
            assertThat(url.port()).isEqualTo(base.port());
            assertThat(url.encodedPath()).isEqualTo("/v1/orders");
        });
    }

    @Test
    void interceptorsComeOffInAnyOrderAndKeepTheRedirect() throws Exception {
        RazorpayRedirect.redirectTo(emulator.get().baseUrl());
        RazorpayClient client = new RazorpayClient(KEY_ID, KEY_SECRET);
        List<HttpUrl> first = new CopyOnWriteArrayList<>();
        List<HttpUrl> second = new CopyOnWriteArrayList<>();

        RazorpayRedirect.Interception one = RazorpayRedirect.intercept(recording(first));
        RazorpayRedirect.Interception two = RazorpayRedirect.intercept(recording(second));
        createOrder(client);
        one.close();
        createOrder(client);
        two.close();
        two.close();
        createOrder(client);

        assertThat(first).hasSize(1);
        assertThat(second).hasSize(2);
    }

    @Test
    void restoringSendsTheSdkToRazorpayAgain() throws Exception {
        RazorpayRedirect.redirectTo(emulator.get().baseUrl());
        RazorpayClient client = new RazorpayClient(KEY_ID, KEY_SECRET);
        List<HttpUrl> seen = new CopyOnWriteArrayList<>();

        RazorpayRedirect.restore();
        // the request is recorded and stopped before it leaves: no test calls Razorpay
        try (RazorpayRedirect.Interception interception = RazorpayRedirect.intercept(chain -> {
            seen.add(chain.request().url());
            throw new IOException("not sent");
        })) {
            assertThatThrownBy(() -> createOrder(client)).isInstanceOf(RazorpayException.class);
        }

        assertThat(seen).singleElement().satisfies(url -> {
            assertThat(url.scheme()).isEqualTo("https");
            assertThat(url.host()).isEqualTo("api.razorpay.com");
        });
    }

    private static Interceptor recording(List<HttpUrl> seen) {
        return chain -> {
            seen.add(chain.request().url());
            return chain.proceed(chain.request());
        };
    }

    private static String createOrder(RazorpayClient client) throws RazorpayException {
        return client.orders.create(new JSONObject().put("amount", 100).put("currency", "INR")).get("id");
    }
}
