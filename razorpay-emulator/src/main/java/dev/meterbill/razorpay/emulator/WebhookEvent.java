package dev.meterbill.razorpay.emulator;

import java.nio.charset.StandardCharsets;

/**
 * One Razorpay event as it goes over the wire: its id (the {@code X-Razorpay-Event-Id} of every delivery of it),
 * its type such as {@code payment.captured}, and the exact UTF-8 payload bytes that are signed and sent.
 */
public record WebhookEvent(String id, String type, long createdAt, byte[] payload) {

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
