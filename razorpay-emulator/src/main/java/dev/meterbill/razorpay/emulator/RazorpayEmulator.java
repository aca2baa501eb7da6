package dev.meterbill.razorpay.emulator;

import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Razorpay-compatible emulator: the {@code /v1/} Orders, Payments and Refunds subset razorpay-java calls,
 * behind HTTP Basic key_id:key_secret, plus signed webhooks whose delivery a test controls. The Java methods
 * here and the HTTP controls under {@code /_emulator/} simulate what a customer and Razorpay would do.
 */
public final class RazorpayEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RazorpayEmulator.class);

    private final String keyId;
    private final String keySecret;
    private final String accountId = Ids.next(Ids.ACCOUNT);
    private final EmulatorState state;
    private final WebhookDispatcher dispatcher;
    private final Javalin app;
    private volatile DeliveryPlan apiEventDelivery = DeliveryPlan.normal();

    private RazorpayEmulator(String keyId, String keySecret, RetryPolicy retry) {
        this.keyId = keyId;
        this.keySecret = keySecret;
        this.state = new EmulatorState(new EventFactory(accountId, Clock.systemUTC()), Clock.systemUTC());
        this.dispatcher = new WebhookDispatcher(retry);
        BasicAuth auth = new BasicAuth(keyId, keySecret);
        OrdersApi orders = new OrdersApi(state);
        PaymentsApi payments = new PaymentsApi(state, events -> dispatcher.dispatch(events, apiEventDelivery));
        RefundsApi refunds = new RefundsApi(state);
        ControlApi control = new ControlApi(this);
        CheckoutPages checkout = new CheckoutPages(this, keyId);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            RazorpayErrors.install(cfg.routes);
            // Razorpay authenticates before it routes: a wrong key gets 401 even on an unknown path
            cfg.routes.before("/v1/*", auth::check);
            orders.register(cfg.routes);
            payments.register(cfg.routes);
            refunds.register(cfg.routes);
            control.register(cfg.routes);
            checkout.register(cfg.routes);
        });
    }

    /** Starts on {@code port} (0 picks a free one) with the default {@link RetryPolicy}. */
    public static RazorpayEmulator start(int port, String keyId, String keySecret) {
        return start(port, keyId, keySecret, RetryPolicy.defaults());
    }

    public static RazorpayEmulator start(int port, String keyId, String keySecret, RetryPolicy retry) {
        RazorpayEmulator emulator = new RazorpayEmulator(keyId, keySecret, retry);
        emulator.app.start(port);
        LOG.info("Razorpay emulator listening on {} (key id {}, account {})", emulator.baseUrl(), keyId,
                emulator.accountId);
        return emulator;
    }

    /** Sets where webhooks go and the secret that signs them. */
    public RazorpayEmulator webhook(String url, String secret) {
        dispatcher.configure(url, secret);
        return this;
    }

    /** Rotates the webhook secret: later events are signed with it; retries of earlier ones keep their signature. */
    public RazorpayEmulator webhookSecret(String secret) {
        dispatcher.rotateSecret(secret);
        return this;
    }

    /** How the events of REST calls (capture, refund) are delivered; normal unless a test says otherwise. */
    public RazorpayEmulator apiEventDelivery(DeliveryPlan plan) {
        this.apiEventDelivery = plan;
        return this;
    }

    /** {@code http://127.0.0.1:<port>}; razorpay-java's paths ({@code /v1/...}) go after it unchanged. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return app.port();
    }

    public String keyId() {
        return keyId;
    }

    /** The {@code account_id} every event of this emulator carries. */
    public String accountId() {
        return accountId;
    }

    /**
     * Simulates the customer paying {@code orderId} at checkout. The state change is visible through the REST
     * API when this returns; the webhooks follow in the background as the simulation's {@link DeliveryPlan} says.
     *
     * @throws RazorpayApiException if the order does not exist, is already paid or holds an uncaptured payment
     */
    public SimulatedPayment pay(String orderId, PaymentSimulation simulation) {
        SimulatedPayment result = state.pay(orderId, simulation);
        dispatcher.dispatch(result.events(), simulation.delivery());
        if (simulation.outcome() == PaymentOutcome.FAILED) {
            return result;
        }
        byte[] signed = (orderId + "|" + result.paymentId()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return result.withCheckoutSignature(WebhookSigner.sign(keySecret, signed));
    }

    /** An order as the API shows it. */
    Map<String, Object> order(String orderId) {
        return state.order(orderId);
    }

    /** Every event emitted so far, in order, with the exact payload bytes. */
    public List<WebhookEvent> events() {
        return state.events();
    }

    /** Every delivery attempt so far, in the order they finished. */
    public List<Delivery> deliveries() {
        return dispatcher.deliveries();
    }

    /** Waits until no delivery or retry is pending; false if the timeout came first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return dispatcher.awaitIdle(timeout);
    }

    /** Delivers an event again (same id, same bytes, current secret), as a replay from Razorpay's dashboard does. */
    public void redeliver(String eventId) {
        dispatcher.redeliver(state.event(eventId));
    }

    /** Forgets orders, payments, refunds, events and the delivery log; keeps the keys and webhook settings. */
    public void reset() {
        dispatcher.reset();
        state.reset();
        apiEventDelivery = DeliveryPlan.normal();
    }

    @Override
    public void close() {
        app.stop();
        dispatcher.close();
    }

    /** Runs standalone, configured from the environment (see {@link EmulatorConfig}). */
    public static void main(String[] args) {
        EmulatorConfig config = EmulatorConfig.fromEnv(Map.copyOf(System.getenv()));
        RazorpayEmulator emulator = start(config.port(), config.keyId(), config.keySecret(), config.retry());
        if (config.webhookUrl() != null) {
            emulator.webhook(config.webhookUrl(), config.webhookSecret());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "razorpay-emulator-shutdown"));
    }
}
