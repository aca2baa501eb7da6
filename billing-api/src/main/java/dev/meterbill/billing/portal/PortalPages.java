package dev.meterbill.billing.portal;

import static dev.meterbill.billing.http.Html.esc;

import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.creditnote.CreditNote;
import dev.meterbill.billing.creditnote.CreditNoteService;
import dev.meterbill.billing.creditnote.CreditNoteView;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.document.CreditNoteDocument;
import dev.meterbill.billing.document.HostedInvoicePage;
import dev.meterbill.billing.document.PdfDocuments;
import dev.meterbill.billing.error.BillingException;
import dev.meterbill.billing.http.Html;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceLinks;
import dev.meterbill.billing.invoice.InvoiceService;
import dev.meterbill.billing.invoice.InvoiceStatus;
import dev.meterbill.billing.invoice.InvoiceView;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.invoice.UpcomingInvoiceView;
import dev.meterbill.billing.organisation.Organisation;
import dev.meterbill.billing.organisation.OrganisationRepository;
import dev.meterbill.billing.period.PeriodCalendar;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.billing.statement.Statement;
import dev.meterbill.billing.statement.StatementService;
import dev.meterbill.billing.usage.DailyUsage;
import dev.meterbill.billing.usage.MetricUsage;
import dev.meterbill.billing.usage.OrganisationUsage;
import dev.meterbill.billing.usage.UsageService;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The customer portal: pages an organisation's people open from their provider's app, through a single-use
 * link ({@code /portal/open/{token}}) that starts a cookie session. Usage of the running period and the two
 * before it, per metric and project with a daily chart, and the estimate of the running period's bill;
 * invoices (each opens its hosted page); payments, TDS and credit notes. Server-rendered, no script: the
 * charts are SVG with their figures in a table.
 */
public final class PortalPages {

    public static final String COOKIE = "mb_portal";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);
    /** Our stylesheet only; no script, no framing, forms to ourselves. */
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            + "base-uri 'none'; frame-ancestors 'none'";

    private final Transactions transactions;
    private final PortalSessions sessions;
    private final OrganisationRepository organisations;
    private final UsageService usage;
    private final InvoiceService invoices;
    private final StatementService statements;
    private final CreditNoteService creditNotes;
    private final InvoiceLinks links;
    private final SupplierProfile supplier;
    private final Clock clock;

    public PortalPages(Transactions transactions, PortalSessions sessions, OrganisationRepository organisations,
                       UsageService usage, InvoiceService invoices, StatementService statements,
                       CreditNoteService creditNotes, InvoiceLinks links, SupplierProfile supplier, Clock clock) {
        this.transactions = transactions;
        this.sessions = sessions;
        this.organisations = organisations;
        this.usage = usage;
        this.invoices = invoices;
        this.statements = statements;
        this.creditNotes = creditNotes;
        this.links = links;
        this.supplier = supplier;
        this.clock = clock;
    }

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/portal/open/{token}", this::open);
        routes.get("/portal", ctx -> page(ctx, this::usagePage));
        routes.get("/portal/invoices", ctx -> page(ctx, this::invoicesPage));
        routes.get("/portal/invoices/{invoiceId}", ctx -> page(ctx, this::openInvoice));
        routes.get("/portal/payments", ctx -> page(ctx, this::paymentsPage));
        routes.get("/portal/payments/{paymentId}/receipt", ctx -> page(ctx, this::receipt));
        routes.get("/portal/credit-notes/{creditNoteId}/pdf", ctx -> page(ctx, this::creditNotePdf));
        routes.post("/portal/logout", ctx -> page(ctx, this::logout));
    }

    /** What a page renders for the session's organisation. */
    private interface Page {
        void render(Context ctx, PortalSessions.Session session, Organisation organisation);
    }

    // ---- session

    private void open(Context ctx) {
        headers(ctx);
        Optional<PortalSessions.Opened> opened = transactions.inTransaction(
                c -> sessions.open(c, ctx.pathParam("token"), clock.instant()));
        if (opened.isEmpty()) {
            refuse(ctx, 404, "This link cannot be used", "Portal links open once, within 15 minutes. Open the billing "
                    + "portal again from the application that sent you here.");
            return;
        }
        Cookie cookie = new Cookie(COOKIE, opened.get().cookie(), "/portal",
                (int) PortalSessions.SESSION_LIFETIME.toSeconds(), "https".equals(forwardedScheme(ctx)), true, null,
                SameSite.LAX);
        ctx.cookie(cookie);
        // the token leaves the address bar here: the portal's own URLs carry none
        ctx.redirect("/portal", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private static String forwardedScheme(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        return forwarded != null ? forwarded : ctx.scheme();
    }

    private void page(Context ctx, Page page) {
        headers(ctx);
        String cookie = ctx.cookie(COOKIE);
        Optional<PortalSessions.Session> session = transactions.readOnly(c -> sessions.find(c, cookie, clock.instant()));
        if (session.isEmpty()) {
            refuse(ctx, 401, "Your session has ended", "Open the billing portal again from the application that sent "
                    + "you here.");
            return;
        }
        Organisation organisation = transactions.readOnly(c -> organisations.find(c, session.get().organisationId()))
                .orElseThrow().asOf(clock.instant());
        try {
            page.render(ctx, session.get(), organisation);
        } catch (BillingException e) {
            refuse(ctx, e.status() == 404 ? 404 : 409, e.status() == 404 ? "Not found" : "Not available",
                    e.status() == 404 ? "There is nothing here for your account." : e.getMessage());
        }
    }

    private void logout(Context ctx, PortalSessions.Session session, Organisation organisation) {
        String sent = ctx.formParam("csrf");
        if (sent == null || !java.security.MessageDigest.isEqual(sent.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                session.csrfToken().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            refuse(ctx, 403, "This form has expired", "Reload the page and try again.");
            return;
        }
        transactions.inTransaction(c -> {
            sessions.end(c, session.id(), clock.instant());
            return null;
        });
        ctx.removeCookie(COOKIE, "/portal");
        refuse(ctx, 200, "Signed out", "You can close this page.");
    }

    private static void headers(Context ctx) {
        Html.pageHeaders(ctx, CSP);
    }

    private static void refuse(Context ctx, int status, String title, String message) {
        ctx.status(status).contentType("text/html; charset=utf-8").result(head(title)
                + "<main id=\"main\" class=\"narrow\"><h1>" + esc(title) + "</h1><p>" + esc(message) + "</p></main>"
                + "</body></html>");
    }

    // ---- usage

    private void usagePage(Context ctx, PortalSessions.Session session, Organisation org) {
        ZoneId zone = ZoneId.of(org.timezone());
        YearMonth running = PeriodCalendar.periodOf(clock.instant(), zone);
        List<YearMonth> periods = List.of(running, running.minusMonths(1), running.minusMonths(2));
        YearMonth period = running;
        String asked = ctx.queryParam("period");
        if (asked != null) {
            period = periods.stream().filter(p -> p.toString().equals(asked)).findFirst().orElse(null);
            if (period == null) {
                refuse(ctx, 404, "Not found", "Usage is shown for this period and the two before it.");
                return;
            }
        }
        Caller caller = Caller.organisation(org.id());
        OrganisationUsage used = usage.organisationUsage(caller, org.id(), period);
        StringBuilder h = new StringBuilder(head("Usage · " + org.name()));
        nav(h, org, session, "usage");
        h.append("<main id=\"main\"><h1>Usage</h1><form method=\"get\" action=\"/portal\" class=\"period\">")
                .append("<label for=\"period\">Period</label> <select id=\"period\" name=\"period\">");
        for (YearMonth p : periods) {
            h.append("<option value=\"").append(p).append("\"").append(p.equals(period) ? " selected" : "").append(">")
                    .append(MONTH.format(p)).append(p.equals(running) ? " (running)" : "").append("</option>");
        }
        h.append("</select> <button type=\"submit\">Show</button></form>");
        h.append("<p class=\"note\">").append(MONTH.format(period)).append(", days in ").append(esc(org.timezone()))
                .append(period.equals(running) ? ". Live: usage appears here as it is counted." : ".")
                .append(used.isFinal() ? " Final." : "").append("</p>");
        Map<String, List<MetricUsage>> byMetric = new TreeMap<>();
        Map<String, List<String>> projectsByMetric = new TreeMap<>();
        for (OrganisationUsage.ProjectEntry project : used.projects()) {
            for (MetricUsage metric : project.usage().metrics()) {
                byMetric.computeIfAbsent(metric.metricName(), k -> new ArrayList<>()).add(metric);
                projectsByMetric.computeIfAbsent(metric.metricName(), k -> new ArrayList<>()).add(project.name());
            }
        }
        if (byMetric.isEmpty()) {
            h.append("<p>No usage recorded in ").append(MONTH.format(period)).append(".</p>");
        }
        int chart = 0;
        for (Map.Entry<String, List<MetricUsage>> entry : byMetric.entrySet()) {
            chart++;
            metricSection(h, entry.getKey(), entry.getValue(), projectsByMetric.get(entry.getKey()), period, chart);
        }
        estimate(h, org, period, running);
        h.append("</main></body></html>");
        ctx.contentType("text/html; charset=utf-8").result(h.toString());
    }

    private static void metricSection(StringBuilder h, String metric, List<MetricUsage> perProject, List<String> projects,
                                      YearMonth period, int chart) {
        String unit = perProject.get(0).unit();
        BigDecimal total = BigDecimal.ZERO;
        long events = 0;
        Map<LocalDate, BigDecimal> daily = new TreeMap<>();
        for (MetricUsage m : perProject) {
            total = total.add(m.sum());
            events += m.count();
            for (DailyUsage d : m.days()) {
                daily.merge(d.day(), d.sum(), BigDecimal::add);
            }
        }
        String id = "metric-" + chart;
        h.append("<section class=\"metric\" aria-labelledby=\"").append(id).append("\"><h2 id=\"").append(id).append("\">")
                .append(esc(metric)).append("</h2><p class=\"total\"><span class=\"figure\" data-metric=\"")
                .append(esc(metric)).append("\">").append(Money.indianNumber(total)).append("</span> ")
                .append(esc(unit)).append(" in ").append(MONTH.format(period)).append(" · ")
                .append(Money.indianNumber(BigDecimal.valueOf(events))).append(" events</p>");
        chart(h, metric, unit, daily, period, id);
        h.append("<table class=\"projects\"><caption>By project</caption><thead><tr><th scope=\"col\">Project</th>")
                .append("<th scope=\"col\" class=\"num\">Total (").append(esc(unit)).append(")</th>")
                .append("<th scope=\"col\" class=\"num\">Events</th></tr></thead><tbody>");
        for (int i = 0; i < perProject.size(); i++) {
            h.append("<tr><td>").append(esc(projects.get(i))).append("</td><td class=\"num\">")
                    .append(Money.indianNumber(perProject.get(i).sum())).append("</td><td class=\"num\">")
                    .append(Money.indianNumber(BigDecimal.valueOf(perProject.get(i).count()))).append("</td></tr>");
        }
        h.append("</tbody></table>");
        if (perProject.size() > 1) {
            h.append("<details><summary>Daily, by project</summary>");
            for (int i = 0; i < perProject.size(); i++) {
                Map<LocalDate, BigDecimal> days = new TreeMap<>();
                perProject.get(i).days().forEach(d -> days.put(d.day(), d.sum()));
                String projectId = id + "-p" + (i + 1);
                h.append("<h3 id=\"").append(projectId).append("\">").append(esc(projects.get(i))).append("</h3>");
                chart(h, metric, unit, days, period, projectId);
            }
            h.append("</details>");
        }
        h.append("<details><summary>Daily figures</summary><table class=\"days\"><thead><tr><th scope=\"col\">Day</th>")
                .append("<th scope=\"col\" class=\"num\">Total</th></tr></thead><tbody>");
        daily.forEach((day, sum) -> h.append("<tr><td>").append(DATE.format(day)).append("</td><td class=\"num\">")
                .append(Money.indianNumber(sum)).append("</td></tr>"));
        h.append("</tbody></table></details></section>");
    }

    /** One bar per day of the period; the figures are in the table that follows. */
    private static void chart(StringBuilder h, String metric, String unit, Map<LocalDate, BigDecimal> daily,
                              YearMonth period, String labelledBy) {
        int days = period.lengthOfMonth();
        int width = days * 12;
        int height = 120;
        BigDecimal max = daily.values().stream().max(BigDecimal::compareTo).orElse(BigDecimal.ZERO);
        h.append("<figure class=\"chart\"><svg viewBox=\"0 0 ").append(width).append(' ').append(height + 16)
                .append("\" role=\"img\" aria-labelledby=\"").append(labelledBy).append(" ").append(labelledBy)
                .append("-desc\" data-chart=\"").append(esc(metric)).append("\"><desc id=\"").append(labelledBy)
                .append("-desc\">Daily ").append(esc(metric)).append(", ").append(daily.size())
                .append(" days with usage</desc><line class=\"axis\" x1=\"0\" y1=\"").append(height).append("\" x2=\"")
                .append(width).append("\" y2=\"").append(height).append("\"/>");
        for (Map.Entry<LocalDate, BigDecimal> day : daily.entrySet()) {
            int x = (day.getKey().getDayOfMonth() - 1) * 12 + 1;
            int bar = max.signum() == 0 ? 0 : day.getValue().multiply(BigDecimal.valueOf(height))
                    .divide(max, 0, RoundingMode.HALF_UP).max(BigDecimal.ONE).intValue();
            h.append("<rect class=\"bar\" x=\"").append(x).append("\" y=\"").append(height - bar)
                    .append("\" width=\"10\" height=\"").append(bar).append("\" data-day=\"").append(day.getKey())
                    .append("\" data-value=\"").append(Money.canonical(day.getValue()).toPlainString()).append("\"><title>")
                    .append(DATE.format(day.getKey())).append(": ").append(Money.indianNumber(day.getValue())).append(' ')
                    .append(esc(unit)).append("</title></rect>");
        }
        for (int d = 1; d <= days; d += 7) {
            h.append("<text class=\"tick\" x=\"").append((d - 1) * 12 + 1).append("\" y=\"").append(height + 13)
                    .append("\">").append(d).append("</text>");
        }
        h.append("</svg></figure>");
    }

    private void estimate(StringBuilder h, Organisation org, YearMonth period, YearMonth running) {
        h.append("<section class=\"estimate\" aria-labelledby=\"estimate\"><h2 id=\"estimate\">");
        if (!period.equals(running)) {
            h.append("Bill for ").append(MONTH.format(period)).append("</h2><p>See <a href=\"/portal/invoices\">")
                    .append("your invoices</a>.</p></section>");
            return;
        }
        h.append("Your bill so far</h2>");
        UpcomingInvoiceView upcoming;
        try {
            upcoming = invoices.upcoming(Caller.organisation(org.id()), org.id(), period);
        } catch (BillingException e) {
            h.append("<p>No estimate: ").append(esc(e.getMessage())).append("</p></section>");
            return;
        }
        String c = upcoming.currency();
        h.append("<p class=\"note\">An estimate of the invoice for ").append(MONTH.format(period))
                .append(" from the usage counted so far, with your plan, prices and discounts; it changes as usage ")
                .append("arrives.</p><table class=\"lines\"><thead><tr><th scope=\"col\">Item</th>")
                .append("<th scope=\"col\" class=\"num\">Amount</th></tr></thead><tbody>");
        for (InvoiceView.Line line : upcoming.lines()) {
            h.append("<tr><td>").append(esc(line.description())).append("</td><td class=\"num\">")
                    .append(money(line.amount(), c)).append("</td></tr>");
        }
        h.append("</tbody><tfoot><tr><th scope=\"row\">Subtotal</th><td class=\"num\">").append(money(upcoming.subtotal(), c))
                .append("</td></tr><tr><th scope=\"row\">GST</th><td class=\"num\">")
                .append(money(upcoming.tax().total(), c)).append("</td></tr><tr class=\"grand\"><th scope=\"row\">")
                .append("Estimated total</th><td class=\"num\" data-estimate-total>")
                .append(money(upcoming.total(), c)).append("</td></tr></tfoot></table></section>");
    }

    // ---- invoices

    private void invoicesPage(Context ctx, PortalSessions.Session session, Organisation org) {
        ZoneId zone = ZoneId.of(org.timezone());
        List<Invoice> list = invoices.list(Caller.organisation(org.id()), org.id(), null, null, 100, 0).stream()
                .filter(i -> i.status() != InvoiceStatus.DRAFT).toList();
        StringBuilder h = new StringBuilder(head("Invoices · " + org.name()));
        nav(h, org, session, "invoices");
        h.append("<main id=\"main\"><h1>Invoices</h1>");
        if (list.isEmpty()) {
            h.append("<p>No invoices yet.</p>");
        } else {
            h.append("<table class=\"invoices\"><thead><tr><th scope=\"col\">Invoice</th><th scope=\"col\">Period</th>")
                    .append("<th scope=\"col\">Status</th><th scope=\"col\" class=\"num\">Total</th>")
                    .append("<th scope=\"col\" class=\"num\">Due</th><th scope=\"col\">Due date</th></tr></thead><tbody>");
            for (Invoice i : list) {
                long due = i.balance().dueMinor(i.totalMinor());
                h.append("<tr><td><a href=\"/portal/invoices/").append(i.id()).append("\">")
                        .append(esc(i.invoiceNumber())).append("</a></td><td>").append(MONTH.format(i.period()))
                        .append("</td><td>").append(esc(i.status().wireName().replace('_', ' '))).append("</td>")
                        .append("<td class=\"num\">").append(esc(Money.display(i.totalMinor(), i.currency())))
                        .append("</td><td class=\"num\">").append(i.status() == InvoiceStatus.VOID ? "—"
                                : esc(Money.display(Math.max(0, due), i.currency())))
                        .append("</td><td>").append(i.dueAt() == null ? "—" : DATE.format(i.dueAt().atZone(zone)))
                        .append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("</main></body></html>");
        ctx.contentType("text/html; charset=utf-8").result(h.toString());
    }

    /** An invoice of the session's organisation opens its hosted page; any other id is not found. */
    private void openInvoice(Context ctx, PortalSessions.Session session, Organisation org) {
        Invoice invoice = invoices.get(Caller.organisation(org.id()), PathIds.uuid(ctx, "invoiceId", "Invoice"));
        if (invoice.status() == InvoiceStatus.DRAFT) {
            refuse(ctx, 404, "Not found", "There is nothing here for your account.");
            return;
        }
        HostedInvoicePage.keep(ctx, transactions.inTransaction(c -> links.ensure(c, invoice.id())));
        ctx.redirect(HostedInvoicePage.PAGE_PATH, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    // ---- payments and credit notes

    private void paymentsPage(Context ctx, PortalSessions.Session session, Organisation org) {
        ZoneId zone = ZoneId.of(org.timezone());
        Statement statement = statements.of(Caller.organisation(org.id()), org.id());
        String c = statement.currency();
        StringBuilder h = new StringBuilder(head("Payments · " + org.name()));
        nav(h, org, session, "payments");
        h.append("<main id=\"main\"><h1>Payments and credit notes</h1><p class=\"summary\">Balance due: <b>")
                .append(money(statement.balanceDue(), c)).append("</b>");
        if (statement.customerCredit().signum() > 0) {
            h.append(" · Credit in your favour: <b>").append(money(statement.customerCredit(), c)).append("</b>");
        }
        h.append("</p><h2>Payments</h2>");
        if (statement.payments().isEmpty()) {
            h.append("<p>No payments yet.</p>");
        } else {
            h.append("<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Invoice</th>")
                    .append("<th scope=\"col\">Method</th><th scope=\"col\">Receipt (Razorpay payment)</th>")
                    .append("<th scope=\"col\" class=\"num\">Amount</th><th scope=\"col\" class=\"num\">Refunded</th>")
                    .append("</tr></thead><tbody>");
            for (Statement.Payment p : statement.payments()) {
                h.append("<tr><td>").append(p.capturedAt() == null ? "—" : DATE.format(p.capturedAt().atZone(zone)))
                        .append("</td><td>").append(esc(p.invoiceNumber())).append("</td><td>")
                        .append(esc(p.method() == null ? "—" : p.method())).append("</td><td>")
                        .append("<a href=\"/portal/payments/").append(esc(p.razorpayPaymentId())).append("/receipt\">")
                        .append(esc(p.razorpayPaymentId())).append("</a></td><td class=\"num\">").append(money(p.amount(), c))
                        .append("</td><td class=\"num\">").append(money(p.refunded(), c)).append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        if (!statement.tds().isEmpty()) {
            h.append("<h2>Tax deducted at source</h2><table><thead><tr><th scope=\"col\">Date</th>")
                    .append("<th scope=\"col\">Invoice</th><th scope=\"col\">Section</th><th scope=\"col\">Certificate</th>")
                    .append("<th scope=\"col\" class=\"num\">Amount</th></tr></thead><tbody>");
            for (Statement.Tds t : statement.tds()) {
                h.append("<tr><td>").append(DATE.format(t.recordedAt().atZone(zone))).append("</td><td>")
                        .append(esc(t.invoiceNumber())).append("</td><td>").append(esc(t.section())).append("</td><td>")
                        .append(esc(t.certificateRef() == null ? "awaited" : t.certificateRef()))
                        .append("</td><td class=\"num\">").append(money(t.amount(), c)).append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("<h2>Credit notes</h2>");
        if (statement.creditNotes().isEmpty()) {
            h.append("<p>No credit notes.</p>");
        } else {
            h.append("<table><thead><tr><th scope=\"col\">Credit note</th><th scope=\"col\">Date</th>")
                    .append("<th scope=\"col\">Reason</th><th scope=\"col\" class=\"num\">Amount</th></tr></thead><tbody>");
            for (CreditNoteView n : statement.creditNotes()) {
                h.append("<tr><td><a href=\"/portal/credit-notes/").append(n.id()).append("/pdf\">")
                        .append(esc(n.creditNoteNumber())).append(" (PDF)</a></td><td>")
                        .append(DATE.format(n.issuedAt().atZone(zone))).append("</td><td>")
                        .append(esc(n.reason().replace('_', ' '))).append("</td><td class=\"num\">")
                        .append(money(n.total(), c)).append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("</main></body></html>");
        ctx.contentType("text/html; charset=utf-8").result(h.toString());
    }

    /** A payment's receipt, printable: who paid what, when, how, against which invoice. */
    private void receipt(Context ctx, PortalSessions.Session session, Organisation org) {
        ZoneId zone = ZoneId.of(org.timezone());
        Statement statement = statements.of(Caller.organisation(org.id()), org.id());
        String id = ctx.pathParam("paymentId");
        Optional<Statement.Payment> found = statement.payments().stream()
                .filter(p -> p.razorpayPaymentId().equals(id)).findFirst();
        if (found.isEmpty()) {
            refuse(ctx, 404, "Not found", "There is nothing here for your account.");
            return;
        }
        Statement.Payment p = found.get();
        String c = p.currency();
        StringBuilder h = new StringBuilder(head("Receipt " + p.razorpayPaymentId()));
        nav(h, org, session, "payments");
        h.append("<main id=\"main\" class=\"receipt\"><h1>Payment receipt</h1><dl>")
                .append("<dt>Received from</dt><dd>").append(esc(org.name())).append("</dd>")
                .append("<dt>Received by</dt><dd>").append(esc(supplier.legalName())).append("</dd>")
                .append("<dt>Amount</dt><dd><b>").append(money(p.amount(), c)).append("</b></dd>")
                .append("<dt>Date</dt><dd>").append(p.capturedAt() == null ? "—" : DATE.format(p.capturedAt().atZone(zone)))
                .append("</dd><dt>Against invoice</dt><dd>").append(esc(p.invoiceNumber())).append("</dd>")
                .append("<dt>Method</dt><dd>").append(esc(p.method() == null ? "—" : p.method())).append("</dd>")
                .append("<dt>Razorpay payment</dt><dd>").append(esc(p.razorpayPaymentId())).append("</dd>");
        if (p.refunded().signum() > 0) {
            h.append("<dt>Refunded</dt><dd>").append(money(p.refunded(), c)).append("</dd>");
        }
        h.append("</dl><p class=\"note\">A receipt of payment; the tax invoice is the document for GST.</p>")
                .append("</main></body></html>");
        ctx.contentType("text/html; charset=utf-8").result(h.toString());
    }

    private void creditNotePdf(Context ctx, PortalSessions.Session session, Organisation org) {
        Caller caller = Caller.organisation(org.id());
        CreditNote note = creditNotes.get(caller, PathIds.uuid(ctx, "creditNoteId", "Credit note"));
        Invoice invoice = invoices.get(caller, note.invoiceId());
        ctx.header("Content-Disposition", "inline; filename=\"" + note.creditNoteNumber() + ".pdf\"");
        ctx.contentType("application/pdf").result(PdfDocuments.pdf(CreditNoteDocument.html(note, invoice, supplier)));
    }

    // ---- layout

    private static String head(String title) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\"/>"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><title>" + esc(title)
                + "</title><link rel=\"stylesheet\" href=\"/assets/portal.css\"/></head><body>"
                + "<a class=\"skip\" href=\"#main\">Skip to content</a>";
    }

    private void nav(StringBuilder h, Organisation org, PortalSessions.Session session, String current) {
        Map<String, String> items = new LinkedHashMap<>();
        items.put("usage", "/portal");
        items.put("invoices", "/portal/invoices");
        items.put("payments", "/portal/payments");
        h.append("<header><p class=\"org\">").append(esc(org.name())).append(" <span>billed by ")
                .append(esc(supplier.tradeName() != null ? supplier.tradeName() : supplier.legalName()))
                .append("</span></p><nav aria-label=\"Billing\"><ul>");
        items.forEach((name, href) -> h.append("<li><a href=\"").append(href).append("\"")
                .append(name.equals(current) ? " aria-current=\"page\"" : "").append(">")
                .append(Character.toUpperCase(name.charAt(0))).append(name.substring(1)).append("</a></li>"));
        h.append("</ul></nav><form method=\"post\" action=\"/portal/logout\" class=\"logout\">")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(session.csrfToken()).append("\"/>")
                .append("<button type=\"submit\">Sign out</button></form></header>");
    }

    private static String money(BigDecimal major, String currency) {
        return esc(Money.display(Money.toMinorExact(major, currency), currency));
    }


}
