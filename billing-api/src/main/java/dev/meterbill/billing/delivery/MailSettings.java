package dev.meterbill.billing.delivery;

import dev.meterbill.service.Env;
import java.util.Map;

/**
 * Where tax documents are e-mailed through: an SMTP server ({@code SMTP_HOST}; unset, nothing is sent and
 * the outbox keeps the e-mails until one is configured).
 *
 * @param publicUrl where customers reach billing-api, for the links in e-mails ({@code BILLING_PUBLIC_URL});
 *                  null: http://localhost and the port billing-api listens on
 */
public record MailSettings(String host, int port, String username, String password, boolean startTls, String from,
                           String publicUrl) {

    public static final String HOST = "SMTP_HOST";
    public static final String PORT = "SMTP_PORT";
    public static final String USERNAME = "SMTP_USERNAME";
    public static final String PASSWORD = "SMTP_PASSWORD";
    public static final String STARTTLS = "SMTP_STARTTLS";
    public static final String FROM = "MAIL_FROM";
    public static final String PUBLIC_URL = "BILLING_PUBLIC_URL";

    public MailSettings {
        if (publicUrl != null) {
            if (!publicUrl.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
                throw new IllegalArgumentException(PUBLIC_URL + " must be an http(s) URL without query, e.g. "
                        + "https://billing.example.com");
            }
            publicUrl = publicUrl.replaceAll("/+$", "");
        }
    }

    public static MailSettings disabled() {
        return new MailSettings(null, 0, null, null, false, null, null);
    }

    /** Plain SMTP to a local server, e.g. the embedded one of the local stack. */
    public static MailSettings local(int port, String from) {
        return new MailSettings("127.0.0.1", port, null, null, false, from, null);
    }

    public static MailSettings fromEnv(Map<String, String> environment) {
        Env env = new Env(environment);
        String host = env.text(HOST, null);
        if (host == null) {
            return disabled();
        }
        return new MailSettings(host, env.integer(PORT, 587, 1, 65_535), env.text(USERNAME, null),
                env.text(PASSWORD, null), !"false".equalsIgnoreCase(env.text(STARTTLS, "true")),
                env.text(FROM, "billing@meterbill.example"), env.text(PUBLIC_URL, null));
    }

    public boolean enabled() {
        return host != null;
    }

    @Override
    public String toString() {
        return "MailSettings[host=" + host + ", port=" + port + ", username=" + username + ", password="
                + (password == null ? null : "***") + ", startTls=" + startTls + ", from=" + from + ", publicUrl=" + publicUrl + "]";
    }
}
