package dev.meterbill.billing.testutils;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Network faults between razorpay-java and the emulator, for crash and timeout tests: an extra OkHttp
 * interceptor on the SDK's JVM-wide client (after the API's own redirect). The SDK, the emulator and
 * the API stay real; only the wire misbehaves.
 */
public final class SdkFaults implements AutoCloseable {

    private final Field field;
    private final OkHttpClient before;

    private SdkFaults(Interceptor fault) {
        try {
            field = Class.forName("com.razorpay.ApiUtils").getDeclaredField("client");
            field.setAccessible(true);
            before = (OkHttpClient) field.get(null);
            field.set(null, before.newBuilder().addInterceptor(fault).build());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
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

    /** Puts the SDK's client back as it was. */
    @Override
    public void close() {
        try {
            field.set(null, before);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
