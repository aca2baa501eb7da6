package dev.meterbill.billing.payment.razorpay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Razorpay's signatures: lowercase hex HMAC-SHA256. Webhooks are signed over the exact body bytes
 * with the webhook secret; checkout results over {@code order_id + "|" + payment_id} with the key
 * secret. Both are computed here over explicit bytes (UTF-8 for text) and compared in constant time;
 * the SDK's helpers hash {@code String.getBytes()} in the platform charset, which breaks non-ASCII
 * webhook bodies on a JVM whose default charset is not UTF-8.
 */
public final class RazorpaySignatures {

    private RazorpaySignatures() {}

    /** True when {@code signature} is the webhook signature of {@code body} under one of the secrets (nulls skipped). */
    public static boolean webhookVerifies(byte[] body, String signature, String... secrets) {
        if (signature == null || body == null) {
            return false;
        }
        boolean verified = false;
        for (String secret : secrets) {
            // every secret is checked, so timing does not reveal which one matched
            if (secret != null && !secret.isEmpty()) {
                verified |= matches(hmac(secret, body), signature);
            }
        }
        return verified;
    }

    /** True when {@code signature} signs {@code orderId|paymentId} under the key secret. */
    public static boolean checkoutVerifies(String orderId, String paymentId, String signature, String keySecret) {
        if (orderId == null || paymentId == null || signature == null) {
            return false;
        }
        return matches(hmac(keySecret, (orderId + "|" + paymentId).getBytes(StandardCharsets.UTF_8)), signature);
    }

    /** Lowercase hex HMAC-SHA256 of {@code body}; what Razorpay (and the emulator) send. */
    public static String sign(String secret, byte[] body) {
        return HexFormat.of().formatHex(hmac(secret, body));
    }

    private static boolean matches(byte[] expected, String signature) {
        byte[] presented = signature.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(HexFormat.of().formatHex(expected).getBytes(StandardCharsets.US_ASCII), presented);
    }

    private static byte[] hmac(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
