package dev.meterbill.billing.organisation;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A postal address. {@code stateCode} is the two-digit GST state code of an Indian address (the place of
 * supply, which decides CGST + SGST or IGST); {@code country} is an ISO 3166 alpha-2 code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Address(String line1, String line2, String city, String postalCode, String stateCode, String country) {}
