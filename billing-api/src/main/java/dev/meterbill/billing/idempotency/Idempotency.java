package dev.meterbill.billing.idempotency;

import dev.meterbill.billing.db.Transactions;
import io.javalin.http.Handler;
import java.time.Duration;

/** Makes mutating routes honour the Idempotency-Key header; see {@link IdempotentHandler}. */
public record Idempotency(Transactions transactions, IdempotencyRepository repository) {

    /** Keys are kept at least this long after the request completed. */
    public static final Duration RETENTION = Duration.ofHours(24);

    /** Wraps the handler of a mutating route. */
    public IdempotentHandler wrap(Handler handler) {
        return new IdempotentHandler(handler, transactions, repository, RETENTION);
    }

    /** Deletes expired keys; run periodically. */
    public int deleteExpired() {
        return transactions.inTransaction(repository::deleteExpired);
    }
}
