package dev.meterbill.billing.payment.razorpay;

import com.razorpay.RazorpayClient;
import com.razorpay.RazorpayException;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that reaches into razorpay-java's HTTP client: it points the SDK at another API base
 * URL ({@code RAZORPAY_API_BASE_URL}: the emulator in the local stack and tests, Razorpay itself in
 * production), and lets tests add an OkHttp interceptor (network faults) to it.
 *
 * <p>razorpay-java 1.4.10 hard-codes {@code https://api.razorpay.com} and sends every call through one
 * JVM-wide OkHttp client, the {@code private static okhttp3.OkHttpClient client} of package-private
 * {@code com.razorpay.ApiUtils}, built by the first {@code RazorpayClient} constructor (later ones keep
 * it). This class replaces that field with a client derived from the SDK's own (same TLS set-up,
 * timeouts and logging) plus an interceptor that rewrites scheme, host and port, then any extra
 * interceptors; paths ({@code /v1/...}), headers and bodies are untouched, so the SDK's whole code path
 * runs. Each change rebuilds the client from the SDK's own, so a redirect, a restore and interceptors
 * added and removed in any order compose.
 *
 * <p>With the default base URL and no extra interceptor, the SDK's own client is in place (production
 * runs the SDK exactly as shipped; nothing is touched unless something was replaced before). Because
 * the client is JVM-wide, all billing APIs in one JVM talk to the base URL configured last.
 */
public final class RazorpayRedirect {

    private static final Logger LOG = LoggerFactory.getLogger(RazorpayRedirect.class);
    private static final String SDK_FIELD = "com.razorpay.ApiUtils.client";

    /** The SDK's own client, kept to derive every replacement from and to restore; null until first replaced. */
    private static OkHttpClient original;
    /** Where requests go instead of Razorpay; null for Razorpay itself. */
    private static HttpUrl target;
    /** Interceptors added by {@link #intercept}, after the redirect, in the order they were added. */
    private static final List<Interceptor> extra = new ArrayList<>();

    private RazorpayRedirect() {}

    /** An interceptor added by {@link #intercept}; closing it removes it. */
    public interface Interception extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Points razorpay-java at {@code baseUrl} ({@code http(s)://host[:port]}, no path); called by the
     * provider right after constructing its {@code RazorpayClient}, with {@code redirected} false for
     * Razorpay's own API.
     *
     * @throws IllegalStateException when the SDK changed so that a redirect cannot be honoured
     */
    static synchronized void apply(URI baseUrl, boolean redirected) {
        if (!redirected) {
            if (original != null) {
                // an earlier redirect in this JVM is undone
                target = null;
                install();
            }
            return;
        }
        HttpUrl url = HttpUrl.parse(baseUrl.toString());
        if (url == null) {
            throw new IllegalArgumentException("RAZORPAY_API_BASE_URL is not a URL: " + baseUrl);
        }
        HttpUrl before = target;
        target = url;
        try {
            install();
        } catch (IllegalStateException e) {
            target = before;
            throw new IllegalStateException("razorpay-java cannot be redirected (" + e.getMessage() + "), so "
                    + "RAZORPAY_API_BASE_URL=" + baseUrl + " cannot be honoured", e);
        }
        LOG.info("razorpay-java redirected to {}", target);
    }

    /**
     * Sends every razorpay-java call in this JVM to {@code baseUrl} ({@code http://host:port}, no path),
     * whatever key pair its {@code RazorpayClient} holds; for tests that drive the SDK against the emulator.
     */
    public static synchronized void redirectTo(String baseUrl) {
        HttpUrl url = HttpUrl.parse(baseUrl);
        if (url == null) {
            throw new IllegalArgumentException("not a URL: " + baseUrl);
        }
        target = url;
        install();
    }

    /** Undoes any redirect: razorpay-java talks to {@code https://api.razorpay.com} again. */
    public static synchronized void restore() {
        target = null;
        if (original != null) {
            install();
        }
    }

    /**
     * Adds {@code interceptor} to razorpay-java's client, after the redirect (it sees the rewritten URL),
     * until the returned handle is closed; for tests that make the wire misbehave.
     */
    public static synchronized Interception intercept(Interceptor interceptor) {
        extra.add(interceptor);
        install();
        return () -> remove(interceptor);
    }

    private static synchronized void remove(Interceptor interceptor) {
        if (extra.remove(interceptor)) {
            install();
        }
    }

    /** Puts the SDK's own client, or one derived from it with the redirect and the extra interceptors, in place. */
    private static void install() {
        Field field = sdkField();
        try {
            if (original == null) {
                original = sdkClient(field);
            }
            OkHttpClient client = original;
            if (target != null || !extra.isEmpty()) {
                OkHttpClient.Builder builder = original.newBuilder();
                if (target != null) {
                    builder.addInterceptor(rewriteTo(target));
                }
                extra.forEach(builder::addInterceptor);
                client = builder.build();
            }
            field.set(null, client);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot replace razorpay-java's HTTP client", e);
        }
    }

    /** The SDK's client, built first (by constructing a client) if no {@code RazorpayClient} exists yet. */
    private static OkHttpClient sdkClient(Field field) throws IllegalAccessException {
        if (field.get(null) == null) {
            try {
                new RazorpayClient("rzp_redirect", "unused");
            } catch (RazorpayException e) {
                throw new IllegalStateException("cannot initialise razorpay-java: " + e.getMessage(), e);
            }
        }
        OkHttpClient client = (OkHttpClient) field.get(null);
        if (client == null) {
            throw new IllegalStateException("razorpay-java built no HTTP client");
        }
        return client;
    }

    private static Field sdkField() {
        try {
            Field field = Class.forName("com.razorpay.ApiUtils").getDeclaredField("client");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("razorpay-java has no " + SDK_FIELD, e);
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
