package dev.meterbill.billing.db;

import java.sql.SQLException;

/** An unexpected database failure; rendered as a 500 whose details stay in the server log. */
public final class DataAccessException extends RuntimeException {

    public DataAccessException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * True when the database refused the data itself: a value out of range or too long (SQLState class
     * 22), a check or not-null constraint (23514, 23502). The same data fails again however often it is
     * retried, unlike a lost connection or a deadlock.
     */
    public boolean refusedContent() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return refusedContent(sql);
            }
        }
        return false;
    }

    /** {@link #refusedContent()} of an exception not translated yet. */
    public static boolean refusedContent(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.equals("23514") || state.equals("23502"));
    }
}
