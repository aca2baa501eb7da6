package dev.meterbill.billing.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts stored responses with AES-256-GCM under a key derived from the client's Idempotency-Key.
 *
 * <p>Some responses carry a secret shown once (an organisation's secret key, a project's API key).
 * The database stores only the SHA-256 of the Idempotency-Key and the sealed body, so it never holds
 * a usable plain key; the client that retries with the same Idempotency-Key can open it.
 */
final class ResponseSeal {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private ResponseSeal() {}

    /** What the table stores instead of the client's key. */
    static String keyHash(String scope, String idempotencyKey) {
        return HexFormat.of().formatHex(sha256("meterbill/idempotency-key\0" + scope + "\0" + idempotencyKey));
    }

    static String seal(String scope, String idempotencyKey, String body) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, scope, idempotencyKey, iv);
            byte[] sealed = cipher.doFinal(body.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a stored response", e);
        }
    }

    static String open(String scope, String idempotencyKey, String sealed) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            byte[] iv = Arrays.copyOf(in, IV_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, scope, idempotencyKey, iv);
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot open a stored response", e);
        }
    }

    private static Cipher cipher(int mode, String scope, String idempotencyKey, byte[] iv)
            throws GeneralSecurityException {
        byte[] key = sha256("meterbill/idempotency-response\0" + scope + "\0" + idempotencyKey);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        return cipher;
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
