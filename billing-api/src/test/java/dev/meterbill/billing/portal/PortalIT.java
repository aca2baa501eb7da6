package dev.meterbill.billing.portal;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.SettableClock;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The customer portal through HTTP: a single-use link opens a cookie session; the pages show the organisation's
 * usage, the estimate of its running bill, its invoices and payments, and nothing of anyone else.
 */
class PortalIT {

    private static final SettableClock clock = new SettableClock(Instant.parse("2026-03-15T10:00:00Z"));
    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass(clock);
    private static final HttpTestClient client = running.client();
    private static final Pattern COOKIE = Pattern.compile("mb_portal=([A-Za-z0-9_-]{43})");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]{43})\"");

    /** A session link made with the organisation's own secret key: the path of its URL. */
    static String link(OrgFixture org) {
        Response created = client.postJson("/api/v1/organisations/" + org.id() + "/portal-sessions", org.secretKey(), "");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String url = created.json().get("url").asText();
        assertThat(url).matches("http://(localhost|127\\.0\\.0\\.1):\\d+/portal/open/[A-Za-z0-9_-]{43}");
        return url.substring(url.indexOf("/portal/open/"));
    }

    static Response get(String path, String cookie) {
        HttpRequest.Builder request = client.request(path, null);
        if (cookie != null) {
            request.header("Cookie", "mb_portal=" + cookie);
        }
        return client.send(request.GET());
    }

    /** Opens the link: the session cookie. */
    static String open(String link) {
        Response opened = get(link, null);
        assertThat(opened.status()).as(opened.body()).isEqualTo(303);
        assertThat(opened.header("Location")).isEqualTo("/portal");
        String setCookie = opened.raw().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Lax", "Path=/portal", "Max-Age=14400");
        Matcher cookie = COOKIE.matcher(setCookie);
        assertThat(cookie.find()).isTrue();
        return cookie.group(1);
    }

    private static OrgFixture customerWithUsage() {
        OrgFixture org = running.createOrganisation("Portal Customer Pvt Ltd", "Asia/Kolkata", "29");
        UUID plan = running.createPlan("""
                {"name":"Portal %s","currency":"INR","charges":[
                  {"metricName":"api_calls","aggregation":"sum","model":"per_unit","unitPrice":0.5,"freeUnits":100},
                  {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":999}]}""".formatted(org.id()));
        running.subscribe(org.id(), plan, "2026-01-01");
        ProjectFixture web = running.createProject(org.id(), "web-app");
        ProjectFixture mobile = running.createProject(org.id(), "mobile-app");
        running.aggregate(web, "api_calls", "2026-03", "1200", 1200, "1", "1", false);
        running.aggregate(mobile, "api_calls", "2026-03", "300", 300, "1", "1", false);
        running.daily(web, "2026-03-02", "500");
        running.daily(web, "2026-03-14", "700");
        running.daily(mobile, "2026-03-14", "300");
        return org;
    }


    @Test
    void aLinkOpensOnceIntoASessionThatShowsUsageAndTheEstimate() {
        clock.set(Instant.parse("2026-03-15T10:00:00Z"));
        OrgFixture org = customerWithUsage();
        String link = link(org);
        String cookie = open(link);

        Response reused = get(link, null);
        assertThat(reused.status()).isEqualTo(404);
        assertThat(reused.contentType()).startsWith("text/html");
        assertThat(reused.body()).contains("This link cannot be used");

        Response usage = get("/portal", cookie);
        assertThat(usage.status()).isEqualTo(200);
        assertThat(usage.header("Content-Security-Policy")).contains("default-src 'none'", "frame-ancestors 'none'");
        assertThat(usage.header("Cache-Control")).isEqualTo("no-store");
        // 1,500 calls: 1,200 + 300; the chart's bars are the daily sums (500 on the 2nd, 1,000 on the 14th)
        assertThat(usage.body()).contains("Portal Customer Pvt Ltd", "March 2026 (running)",
                "data-metric=\"api_calls\">1,500</span>", "<td>web-app</td><td class=\"num\">1,200</td>",
                "data-day=\"2026-03-02\" data-value=\"500\"", "data-day=\"2026-03-14\" data-value=\"1000\"",
                "Daily, by project", "<h3 id=\"metric-1-p1\">web-app</h3>")
                .doesNotContain(cookie, link.substring("/portal/open/".length()));
        // the estimate: 1,400 billable x 0.50 = 700.00 + 999.00 = 1,699.00; CGST + SGST 9 % each 152.91; 2,004.82
        assertThat(usage.body()).contains("Your bill so far", "\u20B91,699.00", "Estimated total", "\u20B92,004.82");

        Response earlier = get("/portal?period=2026-01", cookie);
        assertThat(earlier.status()).isEqualTo(200);
        assertThat(earlier.body()).contains("No usage recorded in January 2026");
        assertThat(get("/portal?period=2025-01", cookie).status()).isEqualTo(404);
    }

    @Test
    void invoicesOpenTheirHostedPageAndAnotherOrganisationsAreNotFound() {
        clock.set(Instant.parse("2026-04-05T10:00:00Z"));
        OrgFixture org = running.createOrganisation("Portal Invoices Ltd", "Asia/Kolkata", "29");
        UUID plan = running.createPlan("""
                {"name":"Portal inv %s","currency":"INR","charges":[
                  {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":1000}]}""".formatted(org.id()));
        running.subscribe(org.id(), plan, "2026-01-01");
        String invoice = running.generateInvoice(org.id(), "2026-03");
        assertThat(client.postJson("/api/v1/invoices/" + invoice + "/issue", ADMIN_TOKEN, "").status()).isEqualTo(200);
        OrgFixture other = running.createOrganisation("Someone Else Ltd", "Asia/Kolkata", "29");
        UUID otherPlan = running.createPlan("""
                {"name":"Portal other %s","currency":"INR","charges":[
                  {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":5}]}""".formatted(other.id()));
        running.subscribe(other.id(), otherPlan, "2026-01-01");
        String theirs = running.generateInvoice(other.id(), "2026-03");
        String cookie = open(link(org));

        Response list = get("/portal/invoices", cookie);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("/portal/invoices/" + invoice, "March 2026", "issued", "\u20B91,180.00")
                .doesNotContain(theirs);
        Response opened = get("/portal/invoices/" + invoice, cookie);
        assertThat(opened.status()).isEqualTo(303);
        assertThat(opened.header("Location")).isEqualTo("/i");
        Matcher invoiceCookie = Pattern.compile("mb_invoice=([A-Za-z0-9_-]{43})")
                .matcher(opened.raw().headers().firstValue("Set-Cookie").orElseThrow());
        assertThat(invoiceCookie.find()).isTrue();
        assertThat(client.send(client.request("/i", null).header("Cookie", "mb_invoice=" + invoiceCookie.group(1))
                .GET()).body()).contains("Portal Invoices Ltd", "Amount due");

        for (String path : new String[] {"/portal/invoices/" + theirs, "/portal/invoices/" + UUID.randomUUID(),
                "/portal/invoices/not-an-id", "/portal/credit-notes/" + UUID.randomUUID() + "/pdf",
                "/portal/payments/pay_unknown/receipt"}) {
            Response refused = get(path, cookie);
            assertThat(refused.status()).as(path).isEqualTo(404);
            assertThat(refused.contentType()).startsWith("text/html");
            assertThat(refused.body()).doesNotContain("Someone Else");
        }
        assertThat(get("/portal/payments", cookie).body()).contains("Balance due: <b>\u20B91,180.00</b>",
                "No payments yet.");
    }

    @Test
    void linksExpireSessionsNeedTheirCookieAndSigningOutNeedsTheFormsToken() {
        clock.set(Instant.parse("2026-03-15T10:00:00Z"));
        OrgFixture org = running.createOrganisation("Portal Session Ltd", "Asia/Kolkata", "29");
        OrgFixture intruder = running.createOrganisation("Portal Intruder Ltd", "Asia/Kolkata", "29");
        assertThat(client.postJson("/api/v1/organisations/" + org.id() + "/portal-sessions", intruder.secretKey(), "")
                .status()).isEqualTo(404);
        assertThat(client.postJson("/api/v1/organisations/" + org.id() + "/portal-sessions", null, "").status())
                .isEqualTo(401);

        String late = link(org);
        clock.set(Instant.parse("2026-03-15T10:16:00Z"));
        assertThat(get(late, null).status()).as("a link opens within 15 minutes").isEqualTo(404);

        assertThat(get("/portal", null).status()).isEqualTo(401);
        assertThat(get("/portal", "A".repeat(43)).status()).isEqualTo(401);
        String cookie = open(link(org));
        Matcher csrf = CSRF.matcher(get("/portal/invoices", cookie).body());
        assertThat(csrf.find()).isTrue();

        Response forged = client.send(client.request("/portal/logout", null).header("Cookie", "mb_portal=" + cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + "B".repeat(43))));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(get("/portal", cookie).status()).isEqualTo(200);

        Response out = client.send(client.request("/portal/logout", null).header("Cookie", "mb_portal=" + cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1))));
        assertThat(out.status()).isEqualTo(200);
        assertThat(get("/portal", cookie).status()).isEqualTo(401);

        clock.set(Instant.parse("2026-03-15T10:20:00Z"));
        String lasting = open(link(org));
        clock.set(Instant.parse("2026-03-15T14:21:00Z"));
        assertThat(get("/portal", lasting).status()).as("a session lasts 4 hours").isEqualTo(401);
    }
}
