package dev.meterbill.billing.idempotency;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.IdempotencyException;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.http.IdempotentRoute;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A mutating route that honours {@code Idempotency-Key}.
 *
 * <p>Without the header the route runs as usual. With it, the whole request runs in one request
 * transaction ({@link Transactions#inRequestTransaction}): the service's writes, their audit rows
 * and the stored response commit together or not at all, so a replay can never describe a change
 * that did not happen, and a change can never lose its stored response. In that transaction:
 * <ol>
 *   <li>a non-blocking advisory lock on (caller, key) fails while another request with the key is
 *       running: 409;</li>
 *   <li>a stored response for (caller, key) is replayed with {@code Idempotent-Replayed: true} when
 *       the request hash (method, path, query, body) matches, and refused with 422 when it does not;</li>
 *   <li>otherwise the route runs, and a 2xx response is stored (sealed, see {@link ResponseSeal}) for
 *       at least 24 hours. Errors are not stored: nothing changed, so the same key may be retried.</li>
 * </ol>
 * Keys are scoped to the caller: the operator's and each organisation's keys never meet.
 */
public final class IdempotentHandler implements IdempotentRoute {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final Handler delegate;
    private final Transactions transactions;
    private final IdempotencyRepository repository;
    private final Duration retention;

    IdempotentHandler(Handler delegate, Transactions transactions, IdempotencyRepository repository,
                      Duration retention) {
        this.delegate = delegate;
        this.transactions = transactions;
        this.repository = repository;
        this.retention = retention;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        String key = ctx.header(HEADER);
        if (key == null) {
            delegate.handle(ctx);
            return;
        }
        if (!VALID_KEY.matcher(key).matches()) {
            throw ValidationException.ofField(HEADER, "must be 1-255 printable ASCII characters without spaces");
        }
        Caller caller = Authenticator.caller(ctx);
        String scope = caller.actor();
        String keyHash = ResponseSeal.keyHash(scope, key);
        String requestHash = requestHash(ctx);
        try {
            transactions.inRequestTransaction(connection -> {
                if (!repository.tryLock(connection, scope, keyHash)) {
                    throw IdempotencyException.inFlight();
                }
                Optional<IdempotencyRepository.StoredResponse> stored = repository.find(connection, scope, keyHash);
                if (stored.isPresent()) {
                    if (!stored.get().requestHash().equals(requestHash)) {
                        throw IdempotencyException.reused();
                    }
                    replay(ctx, stored.get().status(), ResponseSeal.open(scope, key, stored.get().sealedBody()));
                    return null;
                }
                runDelegate(ctx);
                int status = ctx.statusCode();
                if (status >= 200 && status < 300) {
                    String body = ctx.result() == null ? "" : ctx.result();
                    ctx.result(body);
                    repository.save(connection, scope, keyHash, new IdempotencyRepository.StoredResponse(
                            requestHash, status, ResponseSeal.seal(scope, key, body)), retention);
                }
                return null;
            });
        } catch (CheckedFailure failure) {
            throw failure.exception;
        }
    }

    private void runDelegate(Context ctx) {
        try {
            delegate.handle(ctx);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CheckedFailure(e);
        }
    }

    private static void replay(Context ctx, int status, String body) {
        ctx.status(status).header(REPLAYED_HEADER, "true");
        if (!body.isEmpty()) {
            ctx.contentType("application/json").result(body);
        }
    }

    /** SHA-256 over method, path, query and raw body: a different body is a different request. */
    private static String requestHash(Context ctx) {
        String query = ctx.queryString() == null ? "" : ctx.queryString();
        byte[] head = (ctx.method().name() + "\n" + ctx.path() + "?" + query + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = ctx.bodyAsBytes();
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** Carries a checked exception of the route through the transaction, which only passes SQL and runtime ones. */
    private static final class CheckedFailure extends RuntimeException {
        private final Exception exception;

        CheckedFailure(Exception exception) {
            super(exception);
            this.exception = exception;
        }
    }
}
