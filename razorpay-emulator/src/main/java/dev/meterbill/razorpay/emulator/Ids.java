package dev.meterbill.razorpay.emulator;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Razorpay-shaped identifiers: a prefix such as {@code order_} followed by 14 base62 characters. */
final class Ids {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int LENGTH = 14;
    private static final Pattern SUFFIX = Pattern.compile("[0-9A-Za-z]{" + LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    static final String ORDER = "order_";
    static final String PAYMENT = "pay_";
    static final String REFUND = "rfnd_";
    static final String EVENT = "evt_";
    static final String ACCOUNT = "acc_";

    private Ids() {}

    static String next(String prefix) {
        StringBuilder id = new StringBuilder(prefix.length() + LENGTH).append(prefix);
        for (int i = 0; i < LENGTH; i++) {
            id.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        return id.toString();
    }

    /** True when {@code id} has the prefix and a 14-character base62 suffix, as Razorpay's ids do. */
    static boolean isWellFormed(String prefix, String id) {
        return id != null && id.startsWith(prefix) && SUFFIX.matcher(id.substring(prefix.length())).matches();
    }
}
