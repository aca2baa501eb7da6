package dev.meterbill.razorpay.emulator.testutils;

import dev.meterbill.razorpay.emulator.RazorpayEmulator;
import dev.meterbill.razorpay.emulator.RetryPolicy;
import dev.meterbill.testkit.ServiceExtension;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One emulator with one key pair for all tests of a class (a static {@code @RegisterExtension}
 * field), its orders, payments and events reset before each test.
 */
public final class EmulatorExtension extends ServiceExtension<RazorpayEmulator> {

    private final String keyId;
    private final String keySecret;

    public EmulatorExtension(String keyId, String keySecret) {
        this(keyId, keySecret, RetryPolicy.defaults());
    }

    /** With webhook retries as {@code retry} says. */
    public EmulatorExtension(String keyId, String keySecret, RetryPolicy retry) {
        super(Scope.CLASS, () -> RazorpayEmulator.start(0, keyId, keySecret, retry));
        this.keyId = keyId;
        this.keySecret = keySecret;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        super.beforeEach(context);
        get().reset();
    }

    /** The emulator's REST API, called with the class's key pair. */
    public RazorpayHttp api() {
        return new RazorpayHttp(get().baseUrl(), keyId, keySecret);
    }

    /** The emulator's {@code /_emulator/} controls, which take no key. */
    public RazorpayHttp control() {
        return new RazorpayHttp(get().baseUrl(), null, null);
    }
}
