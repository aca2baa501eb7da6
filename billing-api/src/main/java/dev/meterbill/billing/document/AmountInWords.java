package dev.meterbill.billing.document;

/**
 * An amount of rupees in words, in Indian numbering (thousand, lakh, crore), as a tax invoice prints
 * its total: "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Seventy-Eight Paise
 * Only". Crores beyond 99 are counted in words again ("One Thousand Crore").
 */
public final class AmountInWords {

    private static final String[] ONES = {"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight",
            "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen",
            "Nineteen"};
    private static final String[] TENS = {"", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty",
            "Ninety"};

    private AmountInWords() {}

    /** Paise (minor units of INR) in words; never negative. */
    public static String rupees(long paise) {
        if (paise < 0) {
            throw new IllegalArgumentException("a negative amount has no words on an invoice: " + paise);
        }
        long rupees = paise / 100;
        int rest = (int) (paise % 100);
        StringBuilder words = new StringBuilder("Rupees ").append(indian(rupees));
        if (rest > 0) {
            words.append(" and ").append(belowHundred(rest)).append(" Paise");
        }
        return words.append(" Only").toString();
    }

    /** A whole number in Indian numbering. */
    static String indian(long n) {
        if (n == 0) {
            return ONES[0];
        }
        StringBuilder words = new StringBuilder();
        long crores = n / 10_000_000;
        long rest = n % 10_000_000;
        if (crores > 0) {
            words.append(indian(crores)).append(" Crore");
        }
        append(words, (int) (rest / 100_000), "Lakh");
        append(words, (int) (rest / 1_000 % 100), "Thousand");
        append(words, (int) (rest / 100 % 10), "Hundred");
        int belowHundred = (int) (rest % 100);
        if (belowHundred > 0) {
            words.append(words.isEmpty() ? "" : " ").append(belowHundred(belowHundred));
        }
        return words.toString();
    }

    private static void append(StringBuilder words, int count, String unit) {
        if (count > 0) {
            words.append(words.isEmpty() ? "" : " ").append(belowHundred(count)).append(' ').append(unit);
        }
    }

    private static String belowHundred(int n) {
        if (n < 20) {
            return ONES[n];
        }
        return TENS[n / 10] + (n % 10 == 0 ? "" : "-" + ONES[n % 10]);
    }
}
