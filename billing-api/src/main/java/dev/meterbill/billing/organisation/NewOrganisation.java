package dev.meterbill.billing.organisation;

import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.events.BillingPeriod;
import dev.meterbill.events.TextRules;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Pattern;

/** A validated request to create an organisation, with defaults applied. */
public record NewOrganisation(String name, String billingEmail, String currency, String timezone, String gstin,
                              String stateCode, String address) {

    public static final String DEFAULT_CURRENCY = "INR";
    public static final String DEFAULT_TIMEZONE = "UTC";
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_EMAIL_LENGTH = 254;
    static final int MAX_ADDRESS_LENGTH = 2000;
    // The same shapes the schema checks, so that a bad value is a field error and not a database error.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern GSTIN = Pattern.compile("[0-9]{2}[A-Z0-9]{13}");
    private static final Pattern STATE_CODE = Pattern.compile("[0-9]{2}");

    /**
     * Validates raw input and applies defaults: currency INR, timezone UTC, and a state code taken
     * from the GSTIN when only the GSTIN is given (a GSTIN starts with its state's code, which is
     * what decides CGST+SGST versus IGST later).
     *
     * @throws dev.meterbill.billing.error.ValidationException listing every invalid field
     */
    public static NewOrganisation of(String name, String billingEmail, String currency, String timezone,
                                     String gstin, String stateCode, String address) {
        FieldErrors errors = new FieldErrors();
        name = trimToNull(name);
        if (name == null) {
            errors.add("name", "is required");
        } else if (TextRules.violation(name, MAX_NAME_LENGTH) != null) {
            errors.add("name", TextRules.violation(name, MAX_NAME_LENGTH));
        }

        billingEmail = trimToNull(billingEmail);
        if (billingEmail == null) {
            errors.add("billingEmail", "is required");
        } else if (TextRules.violation(billingEmail, MAX_EMAIL_LENGTH) != null) {
            errors.add("billingEmail", TextRules.violation(billingEmail, MAX_EMAIL_LENGTH));
        } else if (!EMAIL.matcher(billingEmail).matches()) {
            errors.add("billingEmail", "must be an email address");
        }

        currency = trimToNull(currency);
        currency = currency == null ? DEFAULT_CURRENCY : currency.toUpperCase(Locale.ROOT);
        if (!Money.isBillable(currency)) {
            errors.add("currency", "must be an ISO 4217 currency code with a minor unit, such as INR");
        }

        timezone = trimToNull(timezone);
        if (timezone == null) {
            timezone = DEFAULT_TIMEZONE;
        } else if (BillingPeriod.isValidZone(timezone)) {
            timezone = ZoneId.of(timezone).getId();
        } else {
            errors.add("timezone", "must be a time zone id such as Asia/Kolkata or UTC");
        }

        gstin = trimToNull(gstin);
        if (gstin != null) {
            gstin = gstin.toUpperCase(Locale.ROOT);
            if (!GSTIN.matcher(gstin).matches()) {
                errors.add("gstin", "must be 15 characters: a two-digit state code then 13 letters or digits");
                gstin = null;
            }
        }

        stateCode = trimToNull(stateCode);
        if (stateCode != null && !STATE_CODE.matcher(stateCode).matches()) {
            errors.add("stateCode", "must be a two-digit GST state code such as 29");
        } else if (gstin != null && stateCode == null) {
            stateCode = gstin.substring(0, 2);
        } else if (gstin != null && !gstin.startsWith(stateCode)) {
            errors.add("stateCode", "must match the first two digits of gstin");
        }

        address = trimToNull(address);
        if (TextRules.violation(address, MAX_ADDRESS_LENGTH) != null) {
            errors.add("address", TextRules.violation(address, MAX_ADDRESS_LENGTH));
        }

        errors.throwIfAny();
        return new NewOrganisation(name, billingEmail, currency, timezone, gstin, stateCode, address);
    }

    private static String trimToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
