package dev.meterbill.billing.organisation;

import java.util.regex.Pattern;

/**
 * A GSTIN: two digits of the state of registration, the ten characters of the PAN, the entity number,
 * {@code Z} by default, and a check character. The check character is the mod-36 checksum GSTN
 * computes over the first fourteen: each character's value (0-9, then A-Z as 10-35) multiplied by 1 and 2
 * alternately from the left, the two base-36 digits of each product added, and the complement of the
 * sum modulo 36.
 */
public final class Gstin {

    private static final String CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    /** State code, PAN (5 letters, 4 digits, a letter), entity number, Z (default), check character. */
    private static final Pattern SHAPE = Pattern.compile("[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z][A-Z0-9][0-9A-Z]");

    private Gstin() {}

    /** Why {@code gstin} (upper case) is not a GSTIN, or null when it is one. */
    public static String violation(String gstin) {
        if (!SHAPE.matcher(gstin).matches()) {
            return "must be 15 characters: the two-digit state code, the PAN (5 letters, 4 digits, a letter),"
                    + " the entity number, a letter or digit, and the check character";
        }
        char expected = checkCharacter(gstin);
        if (gstin.charAt(14) != expected) {
            return "has a wrong check character: a GSTIN starting " + gstin.substring(0, 14) + " ends with " + expected;
        }
        return null;
    }

    /** The check character of the first fourteen characters. */
    static char checkCharacter(String gstin) {
        int sum = 0;
        for (int i = 0; i < 14; i++) {
            int product = CHARACTERS.indexOf(gstin.charAt(i)) * (i % 2 == 0 ? 1 : 2);
            sum += product / 36 + product % 36;
        }
        return CHARACTERS.charAt((36 - sum % 36) % 36);
    }
}
