package dev.meterbill.billing.http;

/** Text put into HTML or XHTML: the documents, the hosted invoice page, the portal. */
public final class Html {

    private Html() {}

    /**
     * The headers of every page for people: its Content-Security-Policy, no framing, no Referer (links carry
     * credentials), no caching, no indexing, no content sniffing.
     */
    public static void pageHeaders(io.javalin.http.Context ctx, String contentSecurityPolicy) {
        ctx.header("Content-Security-Policy", contentSecurityPolicy);
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Robots-Tag", "noindex");
    }

    /** Escaped for element text and quoted attribute values; null is empty. */
    public static String esc(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
