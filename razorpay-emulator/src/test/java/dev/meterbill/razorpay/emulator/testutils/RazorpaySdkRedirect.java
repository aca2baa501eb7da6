package dev.meterbill.razorpay.emulator.testutils;

import java.lang.reflect.Field;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Points razorpay-java 1.4.10 at another base URL. The SDK sends every call through one JVM-wide OkHttp client,
 * the {@code private static okhttp3.OkHttpClient client} of package-private {@code com.razorpay.ApiUtils}, built
 * with a hard-coded {@code https://api.razorpay.com:443} by {@code ApiUtils.createHttpClientInstance} only while
 * that field is null (a {@code RazorpayClient} constructor calls it). Replacing the field with a client whose
 * interceptor rewrites scheme, host and port sends the SDK's unchanged {@code /v1/...} requests to the emulator.
 */
public final class RazorpaySdkRedirect {

    private RazorpaySdkRedirect() {}

    /** Redirects every razorpay-java call in this JVM to {@code baseUrl} (scheme://host:port, no path). */
    public static void redirectTo(String baseUrl) {
        HttpUrl target = HttpUrl.parse(baseUrl);
        if (target == null) {
            throw new IllegalArgumentException("not a URL: " + baseUrl);
        }
        OkHttpClient redirected = new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    Request request = chain.request();
                    HttpUrl url = request.url().newBuilder()
                            .scheme(target.scheme()).host(target.host()).port(target.port()).build();
                    return chain.proceed(request.newBuilder().url(url).build());
                })
                .build();
        try {
            Field client = Class.forName("com.razorpay.ApiUtils").getDeclaredField("client");
            client.setAccessible(true);
            client.set(null, redirected);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("razorpay-java changed: ApiUtils.client is gone", e);
        }
    }
}
