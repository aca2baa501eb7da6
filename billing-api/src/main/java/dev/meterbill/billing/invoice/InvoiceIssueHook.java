package dev.meterbill.billing.invoice;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Called inside the issuing transaction once the invoice has its number and status issued; the
 * place where a payment provider attaches (creating the Razorpay order and storing its id on the
 * invoice). Throwing rolls the whole issue back, number included.
 */
@FunctionalInterface
public interface InvoiceIssueHook {

    /** Issues without a payment provider. */
    InvoiceIssueHook NONE = (connection, invoice) -> { };

    void issued(Connection connection, Invoice invoice) throws SQLException;
}
