package dev.netmeter.server;

import dev.netmeter.agent.AgentSettings;
import dev.netmeter.api.ApiSettings;
import dev.netmeter.api.identity.KeystoneSettings;
import dev.netmeter.persistence.jdbi.DatabaseSettings;
import dev.netmeter.domain.LinuxNames;
import dev.netmeter.persistence.jdbi.Dialect;
import dev.netmeter.server.neutron.NeutronSettings;
import dev.netmeter.server.notification.NotificationSettings;
import dev.netmeter.server.notification.TransportUrl;
import dev.netmeter.service.Policy;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Reads the configuration: defaults, then the file, then environment variables, then command-line
 * options, each overriding the one before. Unknown keys in the file are errors (a typo must not
 * silently fall back to a default).
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * @param file the configuration file, if any
     * @param environment the process environment
     * @param overrides settings given on the command line
     * @throws ConfigException naming the setting at fault
     */
    public static ServerConfig load(Optional<Path> file, Map<String, String> environment,
                                    Map<Setting, String> overrides) {
        return build(values(file, environment, overrides));
    }

    /**
     * The agent's configuration, from the same sources as the server's.
     *
     * @throws ConfigException naming the setting at fault
     */
    public static AgentConfig loadAgent(Optional<Path> file, Map<String, String> environment,
                                        Map<Setting, String> overrides) {
        Map<Setting, String> values = values(file, environment, overrides);
        Path dataDir = Path.of(values.get(Setting.AGENT_DATA_DIR)).toAbsolutePath().normalize();
        String token = values.get(Setting.AGENT_TOKEN);
        if (token.isEmpty()) {
            throw new ConfigException("agent.token must be set (a token with the agent role; "
                    + "NETMETER_AGENT_TOKEN keeps it out of files)");
        }
        String host = values.get(Setting.AGENT_HOST);
        if (host.isEmpty()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                throw new ConfigException("agent.host is empty and this machine's host name is unknown: "
                        + e.getMessage());
            }
        }
        LinuxNames.hostNameProblem(host).ifPresent(problem -> {
            throw new ConfigException("agent.host: " + problem);
        });
        int measure = integer(values, Setting.AGENT_MEASURE_INTERVAL, 1, 86_400);
        int report = integer(values, Setting.AGENT_REPORT_INTERVAL, 1, 86_400);
        if (report < measure) {
            throw new ConfigException(("agent.report_interval (%d s) is shorter than agent.measure_interval (%d s): a "
                    + "report sums the counter reads of its window, so it must span at least one measure interval; "
                    + "raise agent.report_interval or lower agent.measure_interval").formatted(report, measure));
        }
        String ledger = values.get(Setting.AGENT_LEDGER_FILE);
        return new AgentConfig(httpUrl(values, Setting.AGENT_SERVER_URL), token,
                new AgentSettings(host, Duration.ofSeconds(measure), Duration.ofSeconds(report),
                        Duration.ofSeconds(30)),
                oneOf(values, Setting.AGENT_DRIVER, "nftables"),
                ledger.isEmpty() ? dataDir.resolve("ledger.json") : Path.of(ledger).toAbsolutePath().normalize(),
                oneOf(values, Setting.LOG_FORMAT, "text", "json"),
                oneOf(values, Setting.LOG_LEVEL, "ERROR", "WARN", "INFO", "DEBUG", "TRACE"));
    }

    private static Map<Setting, String> values(Optional<Path> file, Map<String, String> environment,
                                               Map<Setting, String> overrides) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            values.put(setting, setting.defaultValue());
        }
        file.ifPresent(path -> values.putAll(readFile(path)));
        for (Setting setting : Setting.values()) {
            String value = environment.get(setting.environmentVariable());
            if (value != null) {
                values.put(setting, value);
            }
        }
        values.putAll(overrides);
        return values;
    }

    private static Map<Setting, String> readFile(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file %s: %s".formatted(path, e.getMessage()));
        }
        Map<String, Setting> byKey = Arrays.stream(Setting.values())
                .collect(Collectors.toMap(Setting::key, setting -> setting));
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (String key : properties.stringPropertyNames()) {
            Setting setting = byKey.get(key);
            if (setting == null) {
                throw new ConfigException("%s: unknown setting '%s' (see netmeter.conf.example)".formatted(path, key));
            }
            values.put(setting, properties.getProperty(key).trim());
        }
        return values;
    }

    private static ServerConfig build(Map<Setting, String> values) {
        HostPort listen = HostPort.parse(values.get(Setting.SERVER_LISTEN));
        Path dataDir = Path.of(values.get(Setting.SERVER_DATA_DIR)).toAbsolutePath().normalize();
        AuthSettings auth = auth(values, dataDir);
        if (auth.strategy() == AuthSettings.Strategy.NOAUTH && !isLoopback(listen.host())) {
            throw new ConfigException("server.auth=noauth trusts identity headers from anyone, so it listens on "
                    + "loopback only; %s is not a loopback address".formatted(listen.host()));
        }
        String url = values.get(Setting.DATABASE_URL);
        if (url.isEmpty()) {
            // DB_CLOSE_ON_EXIT=FALSE: the shutdown hook closes the database after requests in flight finish.
            url = "jdbc:h2:file:" + dataDir.resolve("netmeter") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
        }
        try {
            Dialect.of(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("database.url: " + e.getMessage());
        }
        String publicUrl = values.get(Setting.SERVER_PUBLIC_URL);
        return new ServerConfig(listen.host(), listen.port(), dataDir, auth,
                Duration.ofSeconds(integer(values, Setting.SERVER_SHUTDOWN_GRACE, 0, 3600)),
                new ApiSettings(integer(values, Setting.API_MAX_BODY_BYTES, 1024, 64 << 20),
                        integer(values, Setting.API_MAX_HEADER_BYTES, 1024, 1 << 20),
                        integer(values, Setting.API_PAGINATION_MAX_LIMIT, -1, Integer.MAX_VALUE),
                        publicUrl.isEmpty() ? Optional.empty() : Optional.of(publicUrl),
                        bool(values, Setting.METRICS_ROUTER_DETAIL),
                        Duration.ofSeconds(integer(values, Setting.AGENT_REPORT_INTERVAL, 1, 86_400))),
                new DatabaseSettings(url, values.get(Setting.DATABASE_USER), values.get(Setting.DATABASE_PASSWORD),
                        integer(values, Setting.DATABASE_POOL_SIZE, 1, 1000),
                        Duration.ofSeconds(integer(values, Setting.DATABASE_CONNECT_TIMEOUT, 1, 600))),
                retention(integer(values, Setting.USAGE_RETENTION_DAYS, 0, 36_500)),
                oneOf(values, Setting.LOG_FORMAT, "text", "json"),
                oneOf(values, Setting.LOG_LEVEL, "ERROR", "WARN", "INFO", "DEBUG", "TRACE"),
                neutron(values), notifications(values),
                Duration.ofSeconds(integer(values, Setting.BILLING_CLOSE_GRACE, 900, 2_678_400)));
    }

    /** The Neutron to follow, when {@code routers.source = neutron}. */
    private static Optional<NeutronSettings> neutron(Map<Setting, String> values) {
        if (oneOf(values, Setting.ROUTERS_SOURCE, "api", "neutron").equals("api")) {
            return Optional.empty();
        }
        if (values.get(Setting.NEUTRON_URL).isEmpty()) {
            throw new ConfigException(
                    "neutron.url must be set when routers.source=neutron (e.g. http://controller:9696)");
        }
        boolean keystone = oneOf(values, Setting.NEUTRON_AUTH, "keystone", "noauth").equals("keystone");
        double share;
        try {
            share = Double.parseDouble(values.get(Setting.NEUTRON_MAX_REMOVAL_SHARE));
        } catch (NumberFormatException e) {
            share = Double.NaN;
        }
        if (!(share >= 0 && share <= 1)) {
            throw new ConfigException("neutron.max_removal_share: '%s' is not a number from 0 to 1"
                    .formatted(values.get(Setting.NEUTRON_MAX_REMOVAL_SHARE)));
        }
        return Optional.of(new NeutronSettings(httpUrl(values, Setting.NEUTRON_URL),
                keystone ? Optional.of(keystone(values, "neutron.auth=keystone")) : Optional.empty(),
                Duration.ofSeconds(integer(values, Setting.NEUTRON_POLL_INTERVAL, 1, 86_400)), share,
                Duration.ofSeconds(integer(values, Setting.NEUTRON_TIMEOUT, 1, 600))));
    }

    private static NotificationSettings notifications(Map<Setting, String> values) {
        String url = values.get(Setting.NOTIFICATIONS_TRANSPORT_URL);
        Optional<TransportUrl> transport;
        try {
            transport = url.isEmpty() ? Optional.empty() : Optional.of(TransportUrl.parse(url));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("notifications.transport_url: " + e.getMessage());
        }
        List<String> topics = Arrays.stream(values.get(Setting.NOTIFICATIONS_TOPICS).split(","))
                .map(String::trim).filter(topic -> !topic.isEmpty()).toList();
        if (topics.isEmpty()) {
            throw new ConfigException("notifications.topics: name at least one topic (Ceilometer's is notifications)");
        }
        String exchange = values.get(Setting.NOTIFICATIONS_EXCHANGE);
        if (!exchange.matches("[A-Za-z0-9_.:-]+")) {
            throw new ConfigException("notifications.exchange: '%s' is not an exchange name (letters, digits, _ . : -)"
                    .formatted(exchange));
        }
        topics.stream().filter(topic -> !topic.matches("[A-Za-z0-9_.:-]+")).findFirst().ifPresent(topic -> {
            throw new ConfigException("notifications.topics: '%s' is not a topic name (letters, digits, _ . : -)"
                    .formatted(topic));
        });
        return new NotificationSettings(transport, topics, exchange,
                bool(values, Setting.NOTIFICATIONS_GRANULAR), bool(values, Setting.NOTIFICATIONS_DURABLE));
    }

    private static boolean bool(Map<Setting, String> values, Setting setting) {
        return oneOf(values, setting, "true", "false").equals("true");
    }

    private static Optional<Duration> retention(int days) {
        return days == 0 ? Optional.empty() : Optional.of(Duration.ofDays(days));
    }

    private static AuthSettings auth(Map<Setting, String> values, Path dataDir) {
        AuthSettings.Strategy strategy = switch (values.get(Setting.SERVER_AUTH)) {
            case "token" -> AuthSettings.Strategy.TOKEN;
            case "keystone" -> AuthSettings.Strategy.KEYSTONE;
            case "noauth" -> AuthSettings.Strategy.NOAUTH;
            default -> throw new ConfigException(
                    "server.auth: unknown strategy '%s' (supported: token, keystone, noauth)"
                            .formatted(values.get(Setting.SERVER_AUTH)));
        };
        String tokenFile = values.get(Setting.AUTH_TOKEN_FILE);
        String policyFile = values.get(Setting.AUTH_POLICY_FILE);
        return new AuthSettings(strategy,
                tokenFile.isEmpty() ? dataDir.resolve("tokens.json") : Path.of(tokenFile).toAbsolutePath().normalize(),
                policyFile.isEmpty() ? Policy.defaults() : PolicyFile.load(Path.of(policyFile)),
                integer(values, Setting.AUTH_FAILED_PER_MINUTE, 1, 1_000_000),
                Duration.ofSeconds(integer(values, Setting.AUTH_TOKEN_CACHE_SECONDS, 0, 86_400)),
                integer(values, Setting.AUTH_TOKEN_CACHE_SIZE, 1, 10_000_000),
                strategy == AuthSettings.Strategy.KEYSTONE ? Optional.of(keystone(values, "server.auth=keystone"))
                        : Optional.empty());
    }

    /** The {@code keystone.*} settings, which {@code why} (the setting that needs them) makes required. */
    private static KeystoneSettings keystone(Map<Setting, String> values, String why) {
        URI url = httpUrl(values, Setting.KEYSTONE_URL);
        for (Setting required : List.of(Setting.KEYSTONE_USERNAME, Setting.KEYSTONE_PASSWORD)) {
            if (values.get(required).isEmpty()) {
                throw new ConfigException("%s must be set when %s".formatted(required.key(), why));
            }
        }
        URI publicUrl = values.get(Setting.KEYSTONE_PUBLIC_URL).isEmpty() ? url
                : httpUrl(values, Setting.KEYSTONE_PUBLIC_URL);
        return new KeystoneSettings(url, values.get(Setting.KEYSTONE_USERNAME), values.get(Setting.KEYSTONE_PASSWORD),
                values.get(Setting.KEYSTONE_USER_DOMAIN), values.get(Setting.KEYSTONE_PROJECT),
                values.get(Setting.KEYSTONE_PROJECT_DOMAIN), publicUrl,
                Duration.ofSeconds(integer(values, Setting.KEYSTONE_TIMEOUT, 1, 600)));
    }

    private static URI httpUrl(Map<Setting, String> values, Setting setting) {
        String text = values.get(setting);
        try {
            URI url = new URI(text);
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigException("%s: '%s' is not an http(s) URL".formatted(setting.key(), text));
    }

    private static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new ConfigException("server.listen: cannot resolve host '%s'".formatted(host));
        }
    }

    private static int integer(Map<Setting, String> values, Setting setting, int min, int max) {
        String text = values.get(setting);
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("%s: '%s' is not a whole number from %d to %d".formatted(setting.key(), text, min,
                max));
    }

    private static String oneOf(Map<Setting, String> values, Setting setting, String... allowed) {
        String text = values.get(setting);
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(text)) {
                return candidate;
            }
        }
        throw new ConfigException("%s: '%s' is not one of %s".formatted(setting.key(), text,
                String.join(", ", allowed).toLowerCase(Locale.ROOT)));
    }

    /** A listen address: {@code host:port} or {@code [v6]:port}. */
    record HostPort(String host, int port) {
        static HostPort parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new ConfigException("server.listen: '%s' is not host:port".formatted(text));
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(host, port);
            } catch (NumberFormatException e) {
                throw new ConfigException("server.listen: '%s' has no valid port".formatted(text));
            }
        }
    }
}
