package dev.netmeter.server;

import java.util.Locale;

/**
 * Every configuration setting, with its default and what it means: the one list that the loader,
 * {@code netmeter config}, {@code netmeter.conf.example} and the README are made from.
 */
public enum Setting {
    SERVER_LISTEN("server.listen", "127.0.0.1:9696",
            "Address and port the API listens on (host:port; IPv6 as [::1]:9696)."),
    SERVER_DATA_DIR("server.data_dir", "./data",
            "Directory for the embedded database; created (mode 700) if missing."),
    SERVER_AUTH("server.auth", "token",
            "How callers are identified: token (static API tokens from auth.token_file), keystone (tokens "
                    + "validated by the Keystone v3 service in keystone.*), or noauth (trust the X-Project-Id, "
                    + "X-User-Id and X-Roles headers, as Neutron's noauth mode does; development only: refuses "
                    + "to listen beyond loopback)."),
    SERVER_PUBLIC_URL("server.public_url", "",
            "Base URL written into links, e.g. https://metering.example.com; empty: from the Host header."),
    SERVER_SHUTDOWN_GRACE("server.shutdown_grace_seconds", "30",
            "On SIGTERM, how long to let requests in flight finish before stopping."),
    API_MAX_BODY_BYTES("api.max_body_bytes", "1048576",
            "Largest request body accepted (usage reports: up to 64 MiB regardless); larger ones are answered 413."),
    API_MAX_HEADER_BYTES("api.max_header_bytes", "16384",
            "Largest request line plus headers accepted; larger ones are answered 431."),
    API_PAGINATION_MAX_LIMIT("api.pagination_max_limit", "-1",
            "Largest page a list returns, whatever limit= asks; -1: no bound (Neutron's default)."),
    AUTH_TOKEN_FILE("auth.token_file", "",
            "Static API tokens (server.auth=token), kept as salted hashes and managed with 'netmeter token'; "
                    + "re-read when it changes. Empty: DATA_DIR/tokens.json."),
    AUTH_POLICY_FILE("auth.policy_file", "",
            "Policy overrides in Neutron's policy.yaml (or policy.json) format, rule by rule; "
                    + "'netmeter policy' prints the defaults. Empty: Neutron's defaults."),
    AUTH_FAILED_PER_MINUTE("auth.failed_attempts_per_minute", "10",
            "Failed authentications a client (IP address) may make a minute before it is answered 429."),
    AUTH_TOKEN_CACHE_SECONDS("auth.token_cache_seconds", "300",
            "How long a token Keystone validated is trusted without asking again (never past its expiry)."),
    AUTH_TOKEN_CACHE_SIZE("auth.token_cache_size", "10000", "Most validated Keystone tokens remembered."),
    KEYSTONE_URL("keystone.auth_url", "",
            "Keystone's identity v3 endpoint, e.g. http://keystone:5000/v3 (server.auth=keystone or "
                    + "neutron.auth=keystone)."),
    KEYSTONE_USERNAME("keystone.username", "",
            "Service user that validates tokens (needs the service or admin role) and, with neutron.auth=keystone, "
                    + "reads Neutron."),
    KEYSTONE_PASSWORD("keystone.password", "",
            "The service user's password; prefer the NETMETER_KEYSTONE_PASSWORD variable."),
    KEYSTONE_USER_DOMAIN("keystone.user_domain_name", "Default", "The service user's domain."),
    KEYSTONE_PROJECT("keystone.project_name", "service", "Project the service user's token is scoped to."),
    KEYSTONE_PROJECT_DOMAIN("keystone.project_domain_name", "Default", "That project's domain."),
    KEYSTONE_PUBLIC_URL("keystone.www_authenticate_uri", "",
            "Keystone endpoint named to clients in the WWW-Authenticate header of a 401; empty: auth_url."),
    KEYSTONE_TIMEOUT("keystone.timeout_seconds", "5",
            "Longest wait for Keystone; a request it cannot validate in time is answered 503, never let through."),
    ROUTERS_SOURCE("routers.source", "api",
            "Where routers come from: api (created, updated and deleted through netmeter's router API) or neutron "
                    + "(follow a Neutron's routers, see neutron.*; the router API is then read-only)."),
    NEUTRON_URL("neutron.url", "",
            "Neutron's endpoint when routers.source=neutron, e.g. http://controller:9696."),
    NEUTRON_AUTH("neutron.auth", "keystone",
            "How netmeter calls Neutron: keystone (as the keystone.* service user, which must see every project's "
                    + "routers, gateway ports and L3 agents: the admin role, or a Neutron policy that allows it) or "
                    + "noauth (a Neutron in noauth mode, for development and tests)."),
    NEUTRON_POLL_INTERVAL("neutron.poll_interval", "30",
            "Seconds between two reads of Neutron's routers: how long a change in Neutron takes to reach agents."),
    NEUTRON_MAX_REMOVAL_SHARE("neutron.max_removal_share", "0.5",
            "Largest share (0 to 1) of the routers one read of Neutron may remove (one router may always go); a read "
                    + "that would remove more removes none and logs why (a wrongly scoped service user sees few)."),
    NEUTRON_TIMEOUT("neutron.timeout_seconds", "30",
            "Longest wait for one answer of Neutron; a read that fails keeps the routers as they are."),
    DATABASE_URL("database.url", "",
            "JDBC URL of the database; empty: embedded H2 in data_dir. "
                    + "jdbc:postgresql://HOST:5432/DB or jdbc:mariadb://HOST:3306/DB for production."),
    DATABASE_USER("database.user", "", "Database user; empty: from the URL."),
    DATABASE_PASSWORD("database.password", "", "Database password; prefer the NETMETER_DATABASE_PASSWORD variable."),
    DATABASE_POOL_SIZE("database.pool_size", "16", "Most connections in each of the server's two pools "
            + "(transactions; read-only snapshots for agents' sync reads and /metrics): up to twice this many in all."),
    DATABASE_CONNECT_TIMEOUT("database.connect_timeout_seconds", "5",
            "How long a request waits for a database connection before it is answered 503."),
    USAGE_RETENTION_DAYS("usage.retention_days", "0",
            "Days of usage reports kept; older ones and their rows are deleted hourly (the totals behind /metrics "
                    + "stay), and a report whose window ended before that is refused (400). 0: keep all."),
    BILLING_CLOSE_GRACE("billing.close_grace", "3600",
            "Seconds after a billing period's end before its statement is closed (stored, hashed, never changed "
                    + "again): time for the period's last reports and their retries (agents report every 300 s). "
                    + "Usage arriving later is shown as an adjustment on the next open period. 900 to 2678400."),
    METRICS_ROUTER_DETAIL("metrics.router_detail", "false",
            "true: /metrics shows each label's usage per router (a series per router and label: 100,000 at 1,000 "
                    + "routers of 100 labels); false: per label and per project."),
    NOTIFICATIONS_TRANSPORT_URL("notifications.transport_url", "",
            "Publish every stored usage row as Neutron's l3.meter notification to this RabbitMQ, in oslo.messaging's "
                    + "transport_url syntax: rabbit://USER:PASS@HOST:5672/VHOST (several brokers: comma-separated "
                    + "USER:PASS@HOST:PORT); prefer the NETMETER_NOTIFICATIONS_TRANSPORT_URL variable. Empty: off."),
    NOTIFICATIONS_TOPICS("notifications.topics", "notifications",
            "oslo.messaging notification topics, comma-separated: each notification goes to routing key TOPIC.info "
                    + "(Ceilometer listens on notifications.info)."),
    NOTIFICATIONS_EXCHANGE("notifications.exchange", "neutron",
            "The topic exchange notifications are published to (Neutron's control exchange, which Ceilometer reads)."),
    NOTIFICATIONS_GRANULAR("notifications.granular", "false",
            "Neutron's granular_traffic_data: true sends l3.meter.label_router (with resource_id, label_name, "
                    + "label_shared) instead of l3.meter."),
    NOTIFICATIONS_DURABLE("notifications.amqp_durable_queues", "false",
            "oslo.messaging's amqp_durable_queues: declare the exchange and queues durable. Must match the other "
                    + "clients of the broker (RabbitMQ refuses a declaration that differs)."),
    AGENT_SERVER_URL("agent.server_url", "http://127.0.0.1:9696",
            "netmeter agent: the server's base URL."),
    AGENT_TOKEN("agent.token", "",
            "netmeter agent: an API token with the agent role (netmeter token create --project P --user U "
                    + "--role agent); prefer the NETMETER_AGENT_TOKEN variable."),
    AGENT_HOST("agent.host", "",
            "netmeter agent: the host whose routers it meters (a router's host attribute); empty: this machine's "
                    + "host name."),
    AGENT_DATA_DIR("agent.data_dir", "./agent-data",
            "netmeter agent: the agent's own directory, apart from the server's data_dir: its usage ledger (usage "
                    + "not yet acknowledged by the server, and the counter totals last read), kept across restarts; "
                    + "created (mode 700) if missing. Keep it on local disk."),
    AGENT_DRIVER("agent.driver", "nftables",
            "netmeter agent: the data plane driver. nftables: one inet table in each router's namespace."),
    AGENT_MEASURE_INTERVAL("agent.measure_interval", "30",
            "netmeter agent: seconds between counter reads (Neutron's measure_interval)."),
    AGENT_REPORT_INTERVAL("agent.report_interval", "300",
            "netmeter agent: seconds between usage reports to the server (Neutron's report_interval); at least "
                    + "measure_interval, and a multiple of it reads best. The server flags an agent whose last report "
                    + "is older than three of them (GET /v2.0/metering/agents, the dashboard)."),
    AGENT_LEDGER_FILE("agent.ledger_file", "",
            "netmeter agent: where usage not yet acknowledged by the server is kept across restarts; "
                    + "empty: agent.data_dir/ledger.json."),
    LOG_FORMAT("log.format", "text", "Log format on standard output: text or json (one object a line)."),
    LOG_LEVEL("log.level", "INFO", "Root log level: ERROR, WARN, INFO, DEBUG or TRACE.");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The key in the configuration file, e.g. {@code database.url}. */
    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The environment variable that overrides the file, e.g. {@code NETMETER_DATABASE_URL}. */
    public String environmentVariable() {
        return "NETMETER_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The documented example configuration: every setting, commented out at its default. */
    public static String exampleFile() {
        StringBuilder text = new StringBuilder("""
                # netmeter configuration (Java properties syntax: key = value).
                # Every setting is shown at its default. Precedence, highest first: command-line options,
                # environment variables (the name is given with each setting), this file, the defaults.
                """);
        for (Setting setting : values()) {
            text.append('\n').append("# ").append(setting.description()).append('\n')
                    .append("# env: ").append(setting.environmentVariable()).append('\n')
                    .append("#").append(setting.key()).append(" = ").append(setting.defaultValue()).append('\n');
        }
        return text.toString();
    }
}
