package dev.meterbill.events;

/**
 * The one rule for text the platform stores, applied at every boundary (gateway, job, billing API):
 * no NUL character (PostgreSQL cannot store it in {@code text}) and no unpaired UTF-16 surrogate
 * (it has no UTF-8 form: the JDBC driver would silently store {@code ?} instead), within a length
 * limit counted in UTF-16 code units, as {@link String#length()} counts.
 */
public final class TextRules {

    /** What a field breaks when it holds text that cannot be stored as sent. */
    public static final String UNSTORABLE = "must not contain NUL characters or unpaired UTF-16 surrogates";

    private TextRules() {}

    /** True when PostgreSQL can store {@code text} exactly as it is. */
    public static boolean isStorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why {@code text} is refused for a field of at most {@code maxLength} characters, or null when
     * it is acceptable (null text is the caller's business: required or not).
     */
    public static String violation(String text, int maxLength) {
        if (text == null) {
            return null;
        }
        if (text.length() > maxLength) {
            return "must be at most " + maxLength + " characters";
        }
        return isStorable(text) ? null : UNSTORABLE;
    }

    /**
     * {@code text} with every NUL and unpaired surrogate replaced by U+FFFD: for recording refused
     * data (a dead letter, a log line) where the exact text cannot be kept.
     */
    public static String replaceUnstorable(String text) {
        if (isStorable(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c == '\u0000' || Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
