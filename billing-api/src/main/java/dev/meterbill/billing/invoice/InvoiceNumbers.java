package dev.meterbill.billing.invoice;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Invoice numbers: {@code <prefix><yy><yy>-<serial>}, e.g. {@code MB2627-000042} for the 42nd invoice
 * issued in the financial year April 2026 to March 2027. GST allows at most 16 characters: a prefix
 * of up to 4 characters, 4 digits of year, a dash and a serial of 6 digits (7 from the millionth
 * invoice) is at most 16.
 *
 * <p>Serials are consecutive per financial year, determined by the issue date in India (the supplier
 * is Indian). The counter row in invoice_number_sequences is incremented with an upsert that holds
 * its row lock until the issuing transaction ends: concurrent issues queue on it and a rolled back
 * issue gives its number back, so numbers have no gaps and no duplicates.
 */
public final class InvoiceNumbers {

    public static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    static final int MAX_LENGTH = 16;

    /** Credit notes have their own series: {@code CN2627-000001}. */
    public static final String CREDIT_NOTE_PREFIX = "CN";

    private final String prefix;
    private final String sequences;

    /** The invoice series. */
    public InvoiceNumbers(String prefix) {
        this(prefix, "invoice_number_sequences");
    }

    private InvoiceNumbers(String prefix, String sequences) {
        this.prefix = prefix;
        this.sequences = sequences;
    }

    /** The credit note series: its own counter per financial year, prefix {@value #CREDIT_NOTE_PREFIX}. */
    public static InvoiceNumbers creditNotes() {
        return new InvoiceNumbers(CREDIT_NOTE_PREFIX, "credit_note_number_sequences");
    }

    /** {@code 2026-27} for any day from 1 April 2026 to 31 March 2027. */
    public static String financialYear(LocalDate day) {
        int start = day.getMonthValue() >= 4 ? day.getYear() : day.getYear() - 1;
        return start + "-" + String.format("%02d", (start + 1) % 100);
    }

    public static String format(String prefix, String financialYear, long serial) {
        String number = prefix + financialYear.substring(2, 4) + financialYear.substring(5, 7) + "-"
                + String.format("%06d", serial);
        if (number.length() > MAX_LENGTH) {
            throw new IllegalStateException("invoice number " + number + " is longer than " + MAX_LENGTH
                    + " characters; use a shorter prefix");
        }
        return number;
    }

    /** Takes the next number of the financial year of {@code issuedAt}, inside the issuing transaction. */
    public String next(Connection connection, Instant issuedAt) throws SQLException {
        String year = financialYear(LocalDate.ofInstant(issuedAt, INDIA));
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO %1$s (financial_year, last_number) VALUES (?, 1)
                ON CONFLICT (financial_year) DO UPDATE SET last_number = %1$s.last_number + 1
                RETURNING last_number
                """.formatted(sequences))) {
            statement.setString(1, year);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return format(prefix, year, rs.getLong(1));
            }
        }
    }
}
