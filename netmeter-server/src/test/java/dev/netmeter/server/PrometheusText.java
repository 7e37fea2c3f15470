package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape in Prometheus' text exposition format 0.0.4, parsed line by line and checked as Prometheus would
 * read it: every line a comment, a {@code # HELP}/{@code # TYPE} line or a sample; each family's HELP and TYPE
 * at most once, before its samples; a family's samples in one block; no sample twice. Immutable.
 *
 * @param samples each sample's name with its labels as written (unescaped, in order), e.g.
 *     {@code netmeter_label_bytes_total{label_id="…",project_id="…",router_id="…"}}, and its value
 * @param types each family's TYPE
 */
record PrometheusText(Map<String, Double> samples, Map<String, String> types) {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE =
            Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?[0-9]+)?");
    /** name="value", the value with backslash, double quote and line feed escaped. */
    private static final Pattern LABEL = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\",?");
    private static final List<String> SUFFIXES = List.of("_total", "_created", "_count", "_sum", "_bucket", "_max");

    /** Parses and checks {@code text}; fails the test at the first line that is not valid. */
    static PrometheusText parse(String text) {
        assertThat(text).endsWith("\n");
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> finished = new HashSet<>();
        String current = null;
        for (String line : text.split("\n")) {
            Matcher help = HELP.matcher(line);
            Matcher type = TYPE.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            String family;
            if (help.matches()) {
                family = help.group(1);
                assertThat(helped.add(family)).as("one HELP for %s", family).isTrue();
                assertThat(types).as("HELP of %s before its TYPE", family).doesNotContainKey(family);
            } else if (type.matches()) {
                family = type.group(1);
                assertThat(types.put(family, type.group(2))).as("one TYPE for %s", family).isNull();
            } else if (sample.matches()) {
                family = family(sample.group(1), types.keySet());
                String key = sample.group(1) + "{" + labels(sample.group(3) == null ? "" : sample.group(3)) + "}";
                assertThat(samples.put(key, value(sample.group(4)))).as("one sample %s", key).isNull();
            } else {
                assertThat(line).as("a line of the exposition format").startsWith("#");
                continue;
            }
            if (!family.equals(current)) {
                if (current != null) {
                    finished.add(current);
                }
                assertThat(finished).as("the lines of %s in one block", family).doesNotContain(family);
                current = family;
            }
        }
        return new PrometheusText(samples, types);
    }

    /** The value of the sample {@code name{labels}}, labels written {@code a="x",b="y"} (unescaped). */
    double value(String name, String labels) {
        Double value = samples.get(name + "{" + labels + "}");
        assertThat(value).as("sample %s{%s}", name, labels).isNotNull();
        return value;
    }

    private static String family(String sample, Set<String> typed) {
        if (typed.contains(sample)) {
            return sample;
        }
        for (String suffix : SUFFIXES) {
            if (sample.endsWith(suffix) && typed.contains(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return sample;
    }

    private static String labels(String text) {
        StringBuilder labels = new StringBuilder();
        Matcher label = LABEL.matcher(text);
        int end = 0;
        while (label.find() && label.start() == end) {
            labels.append(labels.isEmpty() ? "" : ",").append(label.group(1)).append("=\"")
                    .append(unescape(label.group(2)))
                    .append('"');
            end = label.end();
        }
        assertThat(end).as("labels %s", text).isEqualTo(text.length());
        return labels.toString();
    }

    private static String unescape(String value) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                char next = value.charAt(++i);
                text.append(next == 'n' ? '\n' : next);
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}
