package dev.meterbill.billing.auth;

import dev.meterbill.billing.error.UnauthorizedException;
import dev.meterbill.service.ApiKeyHash;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Resolves {@code Authorization: Bearer <token>} to a {@link Caller}: the operator token, or an
 * organisation secret key. Anything else is a 401.
 */
public final class Authenticator {

    private static final String ATTRIBUTE = "meterbill.caller";
    private static final String BEARER = "bearer ";

    private final byte[] adminTokenHash;
    private final SecretKeys apiKeys;

    public Authenticator(String adminToken, SecretKeys apiKeys) {
        this.adminTokenHash = sha256(adminToken);
        this.apiKeys = apiKeys;
    }

    /** Before-handler for authenticated routes. */
    public void authenticate(Context ctx) {
        ctx.attribute(ATTRIBUTE, resolve(ctx.header("Authorization")));
    }

    /** The caller authenticated for this request. */
    public static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("route is not behind the authenticator: " + ctx.path());
        }
        return caller;
    }

    Caller resolve(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new UnauthorizedException("Send Authorization: Bearer <token>");
        }
        if (authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new UnauthorizedException("The Authorization header must use the Bearer scheme");
        }
        String token = authorization.substring(BEARER.length()).strip();
        // Comparing fixed-length digests in constant time reveals neither content nor length of the token.
        if (MessageDigest.isEqual(adminTokenHash, sha256(token))) {
            return Caller.operator();
        }
        return apiKeys.organisationCaller(token)
                .orElseThrow(() -> new UnauthorizedException("The bearer token is not a valid operator token or secret key"));
    }

    private static byte[] sha256(String value) {
        return ApiKeyHash.of(value).getBytes(StandardCharsets.US_ASCII);
    }
}
