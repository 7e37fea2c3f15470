package dev.netmeter.server.notification;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A RabbitMQ transport URL in oslo.messaging's syntax ({@code transport_url}):
 * {@code rabbit://user:pass@host:5672[,user:pass@host2:5672]/vhost}. User, password and virtual host are
 * percent-decoded; an empty virtual host is RabbitMQ's default, {@code /}. Immutable.
 *
 * @param hosts the brokers to try, in order
 * @param virtualHost the virtual host
 */
public record TransportUrl(List<Host> hosts, String virtualHost) {
    /** The port of a host given without one (oslo.messaging's rabbit default). */
    public static final int DEFAULT_PORT = 5672;

    /** One broker, with the credentials oslo.messaging gives per host (the first host's are used). */
    public record Host(String host, int port, String user, String password) {
        public Host {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "%s@%s:%d".formatted(user, host.contains(":") ? "[" + host + "]" : host, port);
        }
    }

    public TransportUrl {
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(virtualHost, "virtualHost");
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong, without the password
     */
    public static TransportUrl parse(String text) {
        String prefix = "rabbit://";
        if (!text.startsWith(prefix)) {
            int scheme = text.indexOf("://");
            throw new IllegalArgumentException(scheme < 0
                    ? "not a transport URL; expected rabbit://user:pass@host:5672/vhost"
                    : "unsupported transport '%s'; only rabbit:// is supported".formatted(text.substring(0, scheme)));
        }
        String rest = text.substring(prefix.length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);     // oslo's options (e.g. ssl=1) are not supported: ignored
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String virtualHost = slash < 0 ? "" : decode(rest.substring(slash + 1), "virtual host");
        List<Host> hosts = new ArrayList<>();
        for (String part : authority.split(",", -1)) {
            hosts.add(host(part));
        }
        return new TransportUrl(hosts, virtualHost.isEmpty() ? "/" : virtualHost);
    }

    private static Host host(String part) {
        int at = part.lastIndexOf('@');
        String user = "guest";
        String password = "guest";
        if (at >= 0) {
            String credentials = part.substring(0, at);
            int colon = credentials.indexOf(':');
            user = decode(colon < 0 ? credentials : credentials.substring(0, colon), "user");
            password = colon < 0 ? "" : decode(credentials.substring(colon + 1), "password");
        }
        String address = part.substring(at + 1);
        if (address.isEmpty()) {
            throw new IllegalArgumentException("a host is missing (between commas, or after '@')");
        }
        String host;
        String port = "";
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("IPv6 address '%s' lacks its ']'".formatted(address));
            }
            host = address.substring(1, close);
            String after = address.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw new IllegalArgumentException("unexpected '%s' after host [%s]".formatted(after, host));
            }
            port = after.isEmpty() ? "" : after.substring(1);
        } else {
            int colon = address.lastIndexOf(':');
            host = colon < 0 ? address : address.substring(0, colon);
            port = colon < 0 ? "" : address.substring(colon + 1);
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.:_-]+")) {
            throw new IllegalArgumentException("'%s' is not a host name or address".formatted(host));
        }
        return new Host(host, port(port, host), user, password);
    }

    private static int port(String text, String host) {
        if (text.isEmpty()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("host %s: port '%s' is not a number from 1 to 65535".formatted(host, text));
    }

    private static String decode(String text, String what) {
        try {
            // URLDecoder would turn '+' into a space: in a URL's user, password and path '+' is itself.
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the %s has a malformed percent-escape".formatted(what));
        }
    }

    /** The URL with the passwords hidden, for logs and errors. */
    @Override
    public String toString() {
        return "rabbit://" + String.join(",", hosts.stream().map(Host::toString).toList()) + "/"
                + (virtualHost.equals("/") ? "" : virtualHost);
    }
}
