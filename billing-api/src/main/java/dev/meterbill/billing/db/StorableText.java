package dev.meterbill.billing.db;

import dev.meterbill.events.TextRules;

/**
 * Text of our own making that quotes what others sent (a failure reason, a field name in an error):
 * made storable by replacing NUL and unpaired surrogates with U+FFFD, and cut to a length, so that
 * recording why something was refused can never fail for the same reason.
 */
public final class StorableText {

    private StorableText() {}

    public static String of(String text, int maxLength) {
        if (text == null) {
            return null;
        }
        String storable = TextRules.replaceUnstorable(text); // one char for one char: lengths stay
        if (storable.length() <= maxLength) {
            return storable;
        }
        // never split a surrogate pair at the cut
        int end = maxLength > 0 && Character.isHighSurrogate(storable.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
        return storable.substring(0, end);
    }
}
