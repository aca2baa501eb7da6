package dev.meterbill.billing.testutils;

import dev.meterbill.billing.payment.razorpay.RazorpayRedirect;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Interceptor;
import okhttp3.Request;

/**
 * Network faults between razorpay-java and the emulator, for crash and timeout tests: an extra OkHttp
 * interceptor on the SDK's JVM-wide client, added after the API's own redirect through
 * {@link RazorpayRedirect}. The SDK, the emulator and the API stay real; only the wire misbehaves.
 */
public final class SdkFaults implements AutoCloseable {

    private final RazorpayRedirect.Interception interception;

    private SdkFaults(Interceptor fault) {
        interception = RazorpayRedirect.intercept(fault);
    }

    /**
     * The next {@code times} requests matching method and path prefix reach the emulator and take
     * effect there, but their answers are lost as a read timeout would lose them.
     */
    public static SdkFaults loseAnswers(String method, String pathPrefix, int times) {
        AtomicInteger left = new AtomicInteger(times);
        return new SdkFaults(chain -> {
            Request request = chain.request();
            okhttp3.Response response = chain.proceed(request);
            if (matches(request, method, pathPrefix) && left.getAndDecrement() > 0) {
                response.close();
                throw new SocketTimeoutException("simulated: read timed out after Razorpay acted");
            }
            return response;
        });
    }

    /** Every request fails before it leaves, as if Razorpay were unreachable. */
    public static SdkFaults unreachable() {
        return new SdkFaults(chain -> {
            throw new IOException("simulated: connection refused");
        });
    }

    private static boolean matches(Request request, String method, String pathPrefix) {
        return request.method().equals(method) && request.url().encodedPath().startsWith(pathPrefix);
    }

    /** Removes the fault: the SDK's client is as it was, redirect included. */
    @Override
    public void close() {
        interception.close();
    }
}
