package dev.meterbill.billing.payment;

import java.lang.reflect.Field;
import java.net.URI;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that points razorpay-java at another API base URL ({@code RAZORPAY_API_BASE_URL}):
 * the emulator in the local stack and tests, Razorpay itself in production.
 *
 * <p>razorpay-java 1.4.10 hard-codes {@code https://api.razorpay.com} and sends every call through one
 * JVM-wide OkHttp client, the {@code private static okhttp3.OkHttpClient client} of package-private
 * {@code com.razorpay.ApiUtils}, built by the first {@code RazorpayClient} constructor. After that
 * constructor has run, this class replaces the field with a client derived from the SDK's own (same
 * TLS set-up, timeouts and logging) plus an interceptor that rewrites scheme, host and port; paths
 * ({@code /v1/...}), headers and bodies are untouched, so the SDK's whole code path runs.
 *
 * <p>With the default base URL nothing is replaced (production runs the SDK exactly as shipped),
 * except that an earlier redirect in the same JVM is undone. Because the client is JVM-wide, all
 * billing APIs in one JVM talk to the base URL configured last.
 */
final class RazorpayRedirect {

    private static final Logger LOG = LoggerFactory.getLogger(RazorpayRedirect.class);

    /** The SDK's own client, kept to derive every redirect from and to restore. */
    private static OkHttpClient original;

    private RazorpayRedirect() {}

    /** Call after constructing a {@code RazorpayClient}. */
    static synchronized void apply(URI baseUrl, boolean redirected) {
        Field field;
        OkHttpClient current;
        try {
            field = Class.forName("com.razorpay.ApiUtils").getDeclaredField("client");
            field.setAccessible(true);
            current = (OkHttpClient) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (redirected) {
                throw new IllegalStateException("razorpay-java changed (com.razorpay.ApiUtils.client is gone), so "
                        + "RAZORPAY_API_BASE_URL=" + baseUrl + " cannot be honoured", e);
            }
            return;
        }
        if (current == null) {
            throw new IllegalStateException("construct a RazorpayClient before redirecting the SDK");
        }
        if (original == null) {
            original = current;
        }
        try {
            if (!redirected) {
                if (current != original) {
                    field.set(null, original);
                }
                return;
            }
            HttpUrl target = HttpUrl.parse(baseUrl.toString());
            if (target == null) {
                throw new IllegalArgumentException("RAZORPAY_API_BASE_URL is not a URL: " + baseUrl);
            }
            field.set(null, original.newBuilder().addInterceptor(rewriteTo(target)).build());
            LOG.info("razorpay-java redirected to {}", target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot redirect razorpay-java", e);
        }
    }

    private static Interceptor rewriteTo(HttpUrl target) {
        return chain -> {
            Request request = chain.request();
            HttpUrl url = request.url().newBuilder()
                    .scheme(target.scheme()).host(target.host()).port(target.port()).build();
            return chain.proceed(request.newBuilder().url(url).build());
        };
    }
}
