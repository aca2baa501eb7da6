package dev.meterbill.billing.organisation;

import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.events.BillingPeriod;
import dev.meterbill.events.TextRules;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated organisation: what a creation describes, or what an organisation becomes after a change
 * ({@link #merged}). Every rule of the fields is here, so creation and change refuse the same things.
 */
public record NewOrganisation(String name, String billingEmail, String currency, String timezone, String gstin,
                              String stateCode, Address address) {

    public static final String DEFAULT_CURRENCY = "INR";
    public static final String DEFAULT_TIMEZONE = "UTC";
    public static final String INDIA = "IN";
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_EMAIL_LENGTH = 254;
    /** The first address line holds what the single address field of earlier versions held. */
    static final int MAX_LINE1_LENGTH = 2000;
    static final int MAX_LINE2_LENGTH = 200;
    static final int MAX_CITY_LENGTH = 100;
    // The same shapes the schema checks, so that a bad value is a field error and not a database error.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern STATE_CODE = Pattern.compile("[0-9]{2}");
    private static final Pattern PIN = Pattern.compile("[1-9][0-9]{5}");
    private static final Pattern POSTAL_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 -]{1,11}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Address NO_ADDRESS = new Address(null, null, null, null, null, null);

    /**
     * Validates a creation and applies defaults: currency INR, timezone UTC, country IN, and a state code
     * taken from the GSTIN when only the GSTIN is given (a GSTIN starts with its state's code, which is
     * what decides CGST + SGST versus IGST later).
     *
     * @throws dev.meterbill.billing.error.ValidationException listing every invalid field
     */
    public static NewOrganisation of(String name, String billingEmail, String currency, String timezone,
                                     String gstin, String stateCode, Address address) {
        FieldErrors errors = new FieldErrors();
        currency = trimToNull(currency);
        currency = currency == null ? DEFAULT_CURRENCY : currency.toUpperCase(Locale.ROOT);
        if (!Money.isBillable(currency)) {
            errors.add("currency", "must be an ISO 4217 currency code with a minor unit, such as INR");
        }
        timezone = trimToNull(timezone);
        Address requested = address == null ? NO_ADDRESS : address;
        return checked(errors, name, billingEmail, currency, timezone == null ? DEFAULT_TIMEZONE : timezone, gstin,
                stateOf(errors, stateCode, requested), requested);
    }

    /**
     * {@code current} changed by a request: a null field keeps the current value, an empty one clears an
     * optional field, anything else replaces it; then every rule is checked on the result. The currency
     * never changes: plans and invoices are in it.
     */
    public static NewOrganisation merged(Organisation current, String name, String billingEmail, String currency,
                                         String timezone, String gstin, String stateCode, Address address) {
        FieldErrors errors = new FieldErrors();
        if (currency != null && !currency.strip().equalsIgnoreCase(current.currency())) {
            errors.add("currency", "cannot change: the organisation's plans and invoices are in " + current.currency());
        }
        Address was = current.address();
        Address requested = address == null ? NO_ADDRESS : address;
        String requestedState = stateOf(errors, stateCode, requested);
        String newState = merge(requestedState, current.stateCode());
        if (gstin != null && !gstin.isBlank() && requestedState == null) {
            newState = null; // a new GSTIN brings its own state code
        }
        return checked(errors, merge(name, current.name()), merge(billingEmail, current.billingEmail()),
                current.currency(), timezone == null ? current.timezone() : timezone, merge(gstin, current.gstin()),
                newState, new Address(merge(requested.line1(), was.line1()), merge(requested.line2(), was.line2()),
                        merge(requested.city(), was.city()), merge(requested.postalCode(), was.postalCode()), null,
                        merge(requested.country(), was.country())));
    }

    /** The state code given at the top or in the address; both must agree. */
    private static String stateOf(FieldErrors errors, String stateCode, Address address) {
        if (stateCode != null && address.stateCode() != null && !stateCode.strip().equals(address.stateCode().strip())) {
            errors.add("address.stateCode", "must equal stateCode when both are given");
        }
        return stateCode != null ? stateCode : address.stateCode();
    }

    private static NewOrganisation checked(FieldErrors errors, String name, String billingEmail, String currency,
                                           String timezone, String gstin, String stateCode, Address address) {
        name = trimToNull(name);
        if (name == null) {
            errors.add("name", "is required");
        } else {
            text(errors, "name", name, MAX_NAME_LENGTH);
        }

        billingEmail = trimToNull(billingEmail);
        if (billingEmail == null) {
            errors.add("billingEmail", "is required");
        } else if (TextRules.violation(billingEmail, MAX_EMAIL_LENGTH) != null) {
            errors.add("billingEmail", TextRules.violation(billingEmail, MAX_EMAIL_LENGTH));
        } else if (!EMAIL.matcher(billingEmail).matches()) {
            errors.add("billingEmail", "must be an email address");
        }

        timezone = trimToNull(timezone);
        if (timezone == null || !BillingPeriod.isValidZone(timezone)) {
            errors.add("timezone", "must be a time zone id such as Asia/Kolkata or UTC");
        } else {
            timezone = ZoneId.of(timezone).getId();
        }

        String country = trimToNull(address.country());
        country = country == null ? INDIA : country.toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(country)) {
            errors.add("address.country", "must be an ISO 3166 alpha-2 country code such as IN");
        }
        boolean india = INDIA.equals(country);

        gstin = trimToNull(gstin);
        if (gstin != null) {
            gstin = gstin.toUpperCase(Locale.ROOT);
            String violation = Gstin.violation(gstin);
            if (violation != null) {
                errors.add("gstin", violation);
                gstin = null;
            } else if (!india) {
                errors.add("gstin", "is an Indian registration; the address is in " + country);
            }
        }

        stateCode = trimToNull(stateCode);
        if (stateCode != null && !STATE_CODE.matcher(stateCode).matches()) {
            errors.add("stateCode", "must be a two-digit GST state code such as 29");
        } else if (stateCode != null && !india) {
            errors.add("stateCode", "is a GST state code; the address is in " + country);
        } else if (gstin != null && stateCode == null) {
            stateCode = gstin.substring(0, 2);
        } else if (gstin != null && !gstin.startsWith(stateCode)) {
            errors.add("stateCode", "must match the first two digits of gstin (" + gstin.substring(0, 2)
                    + "): a GSTIN is registered in one state");
        }

        String line1 = trimToNull(address.line1());
        text(errors, "address.line1", line1, MAX_LINE1_LENGTH);
        String line2 = trimToNull(address.line2());
        text(errors, "address.line2", line2, MAX_LINE2_LENGTH);
        String city = trimToNull(address.city());
        text(errors, "address.city", city, MAX_CITY_LENGTH);
        String postalCode = trimToNull(address.postalCode());
        if (postalCode != null && india && !PIN.matcher(postalCode).matches()) {
            errors.add("address.postalCode", "must be a six-digit PIN code such as 560001");
        } else if (postalCode != null && !POSTAL_CODE.matcher(postalCode).matches()) {
            errors.add("address.postalCode", "must be 2 to 12 letters, digits, spaces or dashes");
        }

        errors.throwIfAny();
        return new NewOrganisation(name, billingEmail, currency, timezone, gstin, stateCode,
                new Address(line1, line2, city, postalCode, stateCode, country));
    }

    private static void text(FieldErrors errors, String field, String value, int maxLength) {
        String violation = TextRules.violation(value, maxLength);
        if (violation != null) {
            errors.add(field, violation);
        }
    }

    /** null keeps {@code current}; blank clears; anything else replaces. */
    private static String merge(String requested, String current) {
        if (requested == null) {
            return current;
        }
        return requested.isBlank() ? null : requested;
    }

    private static String trimToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
