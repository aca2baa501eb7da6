package dev.meterbill.billing.delivery;

import dev.meterbill.service.Env;
import java.util.Map;

/**
 * Where tax documents are e-mailed through: an SMTP server ({@code SMTP_HOST}; unset, nothing is sent and
 * the outbox keeps the e-mails until one is configured).
 */
public record MailSettings(String host, int port, String username, String password, boolean startTls, String from) {

    public static final String HOST = "SMTP_HOST";
    public static final String PORT = "SMTP_PORT";
    public static final String USERNAME = "SMTP_USERNAME";
    public static final String PASSWORD = "SMTP_PASSWORD";
    public static final String STARTTLS = "SMTP_STARTTLS";
    public static final String FROM = "MAIL_FROM";

    public static MailSettings disabled() {
        return new MailSettings(null, 0, null, null, false, null);
    }

    /** Plain SMTP to a local server, e.g. the embedded one of the local stack. */
    public static MailSettings local(int port, String from) {
        return new MailSettings("127.0.0.1", port, null, null, false, from);
    }

    public static MailSettings fromEnv(Map<String, String> environment) {
        Env env = new Env(environment);
        String host = env.text(HOST, null);
        if (host == null) {
            return disabled();
        }
        return new MailSettings(host, env.integer(PORT, 587, 1, 65_535), env.text(USERNAME, null),
                env.text(PASSWORD, null), !"false".equalsIgnoreCase(env.text(STARTTLS, "true")),
                env.text(FROM, "billing@meterbill.example"));
    }

    public boolean enabled() {
        return host != null;
    }

    @Override
    public String toString() {
        return "MailSettings[host=" + host + ", port=" + port + ", username=" + username + ", password="
                + (password == null ? null : "***") + ", startTls=" + startTls + ", from=" + from + "]";
    }
}
