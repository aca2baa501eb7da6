package dev.meterbill.billing.db;

/** An unexpected database failure; rendered as a 500 whose details stay in the server log. */
public final class DataAccessException extends RuntimeException {

    public DataAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
