package dev.meterbill.billing.hooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where webhooks may go. In production an endpoint is an https URL whose host resolves only to public addresses:
 * not loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 with the cloud metadata service, fe80::/10),
 * shared (100.64/10), unspecified or multicast, so that an organisation cannot make billing-api call into our own
 * network (server-side request forgery). The host is resolved again before every attempt. With
 * {@link WebhookSettings#localTargets} (local stack, tests) http and local addresses are allowed.
 */
final class WebhookTargets {

    private final boolean local;

    WebhookTargets(boolean local) {
        this.local = local;
    }

    /** Why {@code url} cannot be an endpoint; null when it can. */
    String refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "must be an absolute http(s) URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(local && scheme.equals("http"))) {
            return local ? "must be an http(s) URL" : "must be an https URL";
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return "must be an absolute URL with a host, without user info or fragment";
        }
        if (local) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return "host " + uri.getHost() + " does not resolve";
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                return "host " + uri.getHost() + " resolves to " + address.getHostAddress()
                        + ", a loopback, private or link-local address";
            }
        }
        return null;
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            // 0/8 this network, 100.64/10 shared address space (carrier NAT), 192.0.0/24 protocol assignments
            return first != 0 && !(first == 100 && second >= 64 && second < 128)
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0);
        }
        if (a instanceof Inet6Address) {
            // fc00::/7 unique local; an IPv4-mapped address is judged as IPv4 by getAllByName already
            return (b[0] & 0xfe) != 0xfc;
        }
        return false;
    }
}
