package dev.meterbill.razorpay.emulator;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** HTTP Basic with key_id:key_secret, as razorpay-java sends it ({@code okhttp3.Credentials.basic}). */
final class BasicAuth {

    private final byte[] expected;

    BasicAuth(String keyId, String keySecret) {
        this.expected = (keyId + ":" + keySecret).getBytes(StandardCharsets.UTF_8);
    }

    void check(Context ctx) {
        if (!matches(ctx.header("Authorization"))) {
            throw new RazorpayApiException(401, RazorpayApiException.BAD_REQUEST, "Authentication failed", null, null);
        }
    }

    private boolean matches(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }
}
