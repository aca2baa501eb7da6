package dev.meterbill.billing.document;

import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.http.Html;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceLinks;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.InvoiceStatus;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.payment.RazorpaySettings;
import dev.meterbill.billing.pricing.Money;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The hosted page of an issued invoice, opened by the link in its e-mail: {@code GET /i/{token}} keeps the token
 * in a cookie and redirects to {@code /i}, so no URL, page or Referer carries it afterwards; {@code /i} shows the
 * tax invoice as it prints, what is due, a PDF download ({@code /i/pdf}) and, while something is due on its
 * Razorpay order, a Pay button that opens Razorpay Checkout. The token is the only credential: 32 random bytes
 * per invoice ({@link InvoiceLinks}); any other token, and a draft's, gets the same 404 page.
 */
public final class HostedInvoicePage {

    public static final String LINK_PATH = "/i/{token}";
    public static final String PAGE_PATH = "/i";
    public static final String PDF_PATH = "/i/pdf";
    /** The cookie that holds the link's token for the page; the latest link opened wins. */
    public static final String COOKIE = "mb_invoice";
    static final String CHECKOUT_JS = "https://checkout.razorpay.com/v1/checkout.js";
    private static final String RAZORPAY = "https://checkout.razorpay.com";
    /** The bar's own styles (the document's are the PDF's). */
    private static final String BAR_STYLE = "<style>"
            + "body { max-width: 960px; margin: 0 auto; padding: 16px; } .paybar p { margin: 4px 0 8px; }"
            + ".paybar { margin-bottom: 12pt; padding: 8pt; border: 1pt solid #1f4e8c; background: #f2f5fa; }"
            + ".paybar .state { font-size: 12pt; } .paybar a { color: #1f4e8c; }"
            + "#pay { font-size: 12pt; padding: 6pt 18pt; color: #fff; background: #1f4e8c; border: 0; cursor: pointer; }"
            + "#pay:focus { outline: 2pt solid #e8a33d; }"
            // a phone: the A4 layout stacks, the lines table scrolls inside itself
            + "@media (max-width: 640px) { body { padding: 8px; font-size: 10pt; }"
            + " .head td, .parties td, .irn td, .sign td { display: block; width: auto; text-align: left; }"
            + " .lines { display: block; overflow-x: auto; } .totals { width: 100%; margin-left: 0; }"
            + " .signature { margin-left: 0; } .mark { font-size: 48pt; left: 0; } }</style>";
    private static final Set<InvoiceStatus> PAYABLE =
            EnumSet.of(InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.UNCOLLECTIBLE);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");

    private final Transactions transactions;
    private final InvoiceLinks links;
    private final InvoiceRepository invoices;
    private final SupplierProfile supplier;
    private final RazorpaySettings razorpay;
    /** Razorpay's checkout script, or the emulator's when payments go to the emulator. */
    private final String checkoutScript;
    /**
     * Our own assets and Razorpay Checkout only (its script, its frames, its calls); the document's styles are
     * inline. No framing, no referrer: the token is in the URL.
     */
    private final String csp;

    public HostedInvoicePage(Transactions transactions, InvoiceLinks links, InvoiceRepository invoices,
                             SupplierProfile supplier, RazorpaySettings razorpay) {
        this.transactions = transactions;
        this.links = links;
        this.invoices = invoices;
        this.supplier = supplier;
        this.razorpay = razorpay;
        java.net.URI api = razorpay.apiBaseUrl();
        boolean emulated = !"api.razorpay.com".equals(api.getHost());
        String origin = api.getScheme() + "://" + api.getAuthority();
        this.checkoutScript = emulated ? origin + "/checkout/v1/checkout.js" : CHECKOUT_JS;
        String checkout = emulated ? origin : RAZORPAY + " https://api.razorpay.com";
        this.csp = "default-src 'none'; script-src 'self' " + (emulated ? origin : RAZORPAY) + "; "
                + "style-src 'unsafe-inline'; img-src 'self' data: https://*.razorpay.com; "
                + "connect-src 'self' https://*.razorpay.com; frame-src " + checkout + "; form-action 'self'; "
                + "base-uri 'none'; frame-ancestors 'none'";
    }

    public void register(JavalinDefaultRoutingApi routes) {
        // /i/pdf before /i/{token}: routes match in the order they are added
        routes.get(PDF_PATH, this::pdf);
        routes.get(PAGE_PATH, this::page);
        routes.get(LINK_PATH, this::open);
    }

    /** The link: its token goes into the cookie, the browser to {@code /i}. */
    private void open(Context ctx) {
        headers(ctx);
        String token = ctx.pathParam("token");
        if (invoice(token).isEmpty()) {
            refused(ctx);
            return;
        }
        keep(ctx, token);
        ctx.redirect(PAGE_PATH, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** Sets the cookie that opens {@code /i} for this link's invoice (also for the portal, which links here). */
    public static void keep(Context ctx, String token) {
        String proto = ctx.header("X-Forwarded-Proto") != null ? ctx.header("X-Forwarded-Proto") : ctx.scheme();
        ctx.cookie(new io.javalin.http.Cookie(COOKIE, token, PAGE_PATH, (int) java.time.Duration.ofDays(1).toSeconds(),
                "https".equals(proto), true, null, io.javalin.http.SameSite.LAX));
    }

    private Optional<Invoice> invoice(Context ctx) {
        return invoice(ctx.cookie(COOKIE));
    }

    private Optional<Invoice> invoice(String token) {
        return transactions.readOnly(c -> {
            Optional<UUID> id = links.invoiceOf(c, token);
            return id.isEmpty() ? Optional.<Invoice>empty() : invoices.find(c, id.get(), false);
        }).filter(invoice -> invoice.status() != InvoiceStatus.DRAFT);
    }

    private void page(Context ctx) {
        headers(ctx);
        Optional<Invoice> found = invoice(ctx);
        if (found.isEmpty()) {
            refused(ctx);
            return;
        }
        ctx.contentType("text/html; charset=utf-8").result(html(found.get()));
    }

    private void pdf(Context ctx) {
        headers(ctx);
        Optional<Invoice> found = invoice(ctx);
        if (found.isEmpty()) {
            refused(ctx);
            return;
        }
        ctx.header("Content-Disposition", "inline; filename=\"" + found.get().invoiceNumber() + ".pdf\"");
        ctx.contentType("application/pdf").result(PdfDocuments.pdf(InvoiceDocument.html(found.get(), supplier)));
    }

    private void headers(Context ctx) {
        Html.pageHeaders(ctx, csp);
    }

    private static void refused(Context ctx) {
        ctx.status(404).contentType("text/html; charset=utf-8").result("<!DOCTYPE html><html lang=\"en\"><head>"
                + "<meta charset=\"UTF-8\"/><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
                + "<title>Invoice not found</title></head><body><main><h1>This invoice link is not valid</h1>"
                + "<p>Please use the link in your most recent invoice e-mail, or ask the sender for a new one.</p>"
                + "</main></body></html>");
    }

    /** The document with a bar above it: what is due or paid, the PDF, and Pay while payable. */
    String html(Invoice invoice) {
        String c = invoice.currency();
        long due = invoice.balance().dueMinor(invoice.totalMinor());
        StringBuilder bar = new StringBuilder(BAR_STYLE).append("<div class=\"paybar\" role=\"region\" aria-label=\"Payment\">");
        if (invoice.status() == InvoiceStatus.VOID) {
            bar.append("<p class=\"state\">This invoice is void: nothing is due.</p>");
        } else if (invoice.status() == InvoiceStatus.PAID || due <= 0) {
            bar.append("<p class=\"state\">Paid")
                    .append(invoice.paidAt() == null ? "" : " on " + DATE.format(invoice.paidAt().atZone(INDIA)))
                    .append(". Thank you.</p>");
        } else {
            bar.append("<p class=\"state\">Amount due: <b>").append(InvoiceDocument.esc(Money.display(due, c)))
                    .append("</b>").append(invoice.dueAt() == null ? ""
                            : " by " + DATE.format(invoice.dueAt().atZone(INDIA))).append("</p>");
        }
        bar.append("<p><a href=\"").append(PDF_PATH).append("\">Download PDF</a></p>");
        boolean payable = PAYABLE.contains(invoice.status()) && due > 0 && razorpay.enabled()
                && invoice.razorpayOrderId() != null;
        if (payable) {
            bar.append("<button id=\"pay\" type=\"button\" data-key=\"").append(InvoiceDocument.esc(razorpay.keyId()))
                    .append("\" data-order=\"").append(InvoiceDocument.esc(invoice.razorpayOrderId()))
                    .append("\" data-amount=\"").append(due).append("\" data-currency=\"").append(InvoiceDocument.esc(c))
                    .append("\" data-name=\"").append(InvoiceDocument.esc(supplier.legalName()))
                    .append("\" data-description=\"Invoice ").append(InvoiceDocument.esc(invoice.invoiceNumber()))
                    .append("\" data-customer=\"").append(InvoiceDocument.esc(invoice.customer().name()))
                    .append("\" data-email=\"").append(InvoiceDocument.esc(invoice.customer().billingEmail()))
                    .append("\">Pay ").append(InvoiceDocument.esc(Money.display(due, c))).append("</button>")
                    .append("<p id=\"pay-status\" role=\"status\" aria-live=\"polite\"></p>");
        }
        bar.append("</div>");
        if (payable) {
            bar.append("<script src=\"").append(checkoutScript).append("\"></script>")
                    .append("<script src=\"/assets/pay.js\"></script>");
        }
        return InvoiceDocument.html(invoice, supplier, bar.toString());
    }
}
