package dev.netmeter.server;

/**
 * Chooses the log configuration before the first logger exists: {@code logback.xml} (text with the
 * request id) or {@code logback-json.xml} (one JSON object a line), at the configured root level.
 */
public final class Logging {
    private Logging() {
    }

    public static void configure(String format, String level) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "json".equals(format) ? "logback-json.xml" : "logback.xml");
        }
        System.setProperty("netmeter.log.level", level);
    }
}
