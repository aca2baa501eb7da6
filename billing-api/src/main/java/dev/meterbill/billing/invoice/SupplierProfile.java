package dev.meterbill.billing.invoice;

import dev.meterbill.service.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who issues the invoices, as a tax invoice prints it (CGST Rules, rule 46): the legal and trade name,
 * the registered address (its state is {@code BILLING_SUPPLIER_STATE_CODE}), PAN, the Letter of
 * Undertaking under which exports are supplied without IGST, the default SAC of its services, and how
 * customers pay (bank account, UPI), and its logo. Read from the environment; the defaults describe a demo supplier.
 *
 * @param lutValidUntil last day the LUT covers (a financial year); null without an LUT
 * @param irpBaseUrl    the Invoice Registration Portal B2B and export invoices are registered at
 *                      ({@code EINVOICE_IRP_URL}); null: e-invoicing off
 * @param logoDataUri   the logo printed at the head of documents, a {@code data:} URI of the PNG or JPEG file
 *                      {@code BILLING_SUPPLIER_LOGO} names; null: none
 */
public record SupplierProfile(String legalName, String tradeName, String addressLine1, String city,
                              String postalCode, String pan, String lutReference, LocalDate lutValidUntil,
                              String defaultSac, String email, String bankDetails, String upiId, String irpBaseUrl,
                              String logoDataUri) {

    public static final String LEGAL_NAME = "BILLING_SUPPLIER_LEGAL_NAME";
    public static final String TRADE_NAME = "BILLING_SUPPLIER_TRADE_NAME";
    public static final String ADDRESS_LINE1 = "BILLING_SUPPLIER_ADDRESS_LINE1";
    public static final String CITY = "BILLING_SUPPLIER_CITY";
    public static final String POSTAL_CODE = "BILLING_SUPPLIER_POSTAL_CODE";
    public static final String PAN = "BILLING_SUPPLIER_PAN";
    public static final String LUT_REFERENCE = "BILLING_SUPPLIER_LUT_REFERENCE";
    public static final String LUT_VALID_UNTIL = "BILLING_SUPPLIER_LUT_VALID_UNTIL";
    public static final String DEFAULT_SAC = "BILLING_DEFAULT_SAC";
    public static final String EMAIL = "BILLING_SUPPLIER_EMAIL";
    public static final String BANK_DETAILS = "BILLING_SUPPLIER_BANK_DETAILS";
    public static final String UPI_ID = "BILLING_SUPPLIER_UPI_ID";
    public static final String IRP_URL = "EINVOICE_IRP_URL";
    public static final String LOGO = "BILLING_SUPPLIER_LOGO";
    /** A logo larger than this is refused: it travels inside every PDF and e-mail. */
    static final int MAX_LOGO_BYTES = 256 * 1024;

    private static final Pattern SAC = Pattern.compile("99[0-9]{4}");
    private static final Pattern PAN_SHAPE = Pattern.compile("[A-Z]{5}[0-9]{4}[A-Z]");

    public SupplierProfile {
        if (legalName == null || legalName.isBlank()) {
            throw new IllegalArgumentException(LEGAL_NAME + " is required");
        }
        if (!SAC.matcher(defaultSac).matches()) {
            throw new IllegalArgumentException(DEFAULT_SAC + " must be a six-digit services accounting code (99xxxx)");
        }
        if (pan != null && !PAN_SHAPE.matcher(pan).matches()) {
            throw new IllegalArgumentException(PAN + " must be a PAN: 5 letters, 4 digits, a letter");
        }
        if ((lutReference == null) != (lutValidUntil == null)) {
            throw new IllegalArgumentException(LUT_REFERENCE + " and " + LUT_VALID_UNTIL + " go together");
        }
    }

    /** The demo supplier of the local stack and the tests. */
    public static SupplierProfile defaults() {
        return fromEnv(Map.of());
    }

    public static SupplierProfile fromEnv(Map<String, String> environment) {
        Env env = new Env(environment);
        String lutUntil = env.text(LUT_VALID_UNTIL, null);
        return new SupplierProfile(
                env.text(LEGAL_NAME, "Meterbill Cloud Services Private Limited"),
                env.text(TRADE_NAME, "Meterbill"),
                env.text(ADDRESS_LINE1, "3rd Floor, 100 Feet Road, Indiranagar"),
                env.text(CITY, "Bengaluru"),
                env.text(POSTAL_CODE, "560038"),
                env.text(PAN, null),
                env.text(LUT_REFERENCE, null),
                lutUntil == null ? null : LocalDate.parse(lutUntil),
                env.text(DEFAULT_SAC, "998315"),
                env.text(EMAIL, "billing@meterbill.example"),
                env.text(BANK_DETAILS, null),
                env.text(UPI_ID, null),
                env.text(IRP_URL, null),
                logo(env.text(LOGO, null)));
    }

    /** The logo file as a data URI: a PNG or JPEG by its signature, at most {@link #MAX_LOGO_BYTES}. */
    static String logo(String file) {
        if (file == null) {
            return null;
        }
        byte[] bytes;
        try {
            Path path = Path.of(file);
            if (Files.size(path) > MAX_LOGO_BYTES) {
                throw new IllegalArgumentException(LOGO + " " + file + " is larger than " + MAX_LOGO_BYTES / 1024 + " KiB");
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException | InvalidPathException e) {
            throw new IllegalArgumentException(LOGO + " " + file + " cannot be read: " + e.getMessage(), e);
        }
        String type;
        if (bytes.length > 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            type = "image/png";
        } else if (bytes.length > 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8) {
            type = "image/jpeg";
        } else {
            throw new IllegalArgumentException(LOGO + " " + file + " is neither a PNG nor a JPEG image");
        }
        return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** The same supplier registering its invoices at the IRP at {@code url}. */
    public SupplierProfile withIrp(String url) {
        return new SupplierProfile(legalName, tradeName, addressLine1, city, postalCode, pan, lutReference,
                lutValidUntil, defaultSac, email, bankDetails, upiId, url, logoDataUri);
    }

    /** The SAC a line is printed and registered with: its plan charge's own, else the supplier's default. */
    public String sacOf(InvoiceLine line) {
        return line.sac() != null ? line.sac() : defaultSac;
    }

    /** Whether an export invoiced on {@code day} is supplied under the LUT (no IGST). */
    public boolean lutCovers(LocalDate day) {
        return lutReference != null && !day.isAfter(lutValidUntil);
    }
}
