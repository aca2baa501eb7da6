package dev.meterbill.billing.einvoice;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The Invoice Registration Portal (IRP) as billing-api needs it: register an e-invoice, read a registration
 * by IRN, cancel one. An answer that never came or says the IRP is unavailable is an
 * {@link Unavailable}; a refusal of the document itself is a {@link Refused}.
 */
public interface EInvoiceProvider {

    /** What the IRP acknowledged: the IRN, its acknowledgement and the signed QR code (a JWT) to print. */
    record Registration(String irn, String ackNo, Instant ackAt, String signedQr) {}

    /** Registers the e-invoice; a document registered before answers {@link Duplicate}. */
    Registration register(JsonNode document);

    Registration find(String irn);

    void cancel(String irn, String reasonCode, String remark);

    /** The IRP answered nothing usable: the registration may or may not have happened; ask again later. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The IRP refused the document (an error code other than a duplicate): retrying the same changes nothing. */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** The document is registered already, under {@code irn}. */
    final class Duplicate extends RuntimeException {
        private final String irn;

        public Duplicate(String irn) {
            super("already registered under IRN " + irn);
            this.irn = irn;
        }

        public String irn() {
            return irn;
        }
    }
}
