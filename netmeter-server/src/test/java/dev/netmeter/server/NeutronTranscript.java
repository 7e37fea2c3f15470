package dev.netmeter.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbered cases of a transcript of Neutron's metering API (neutron21/neutron-metering-api.md, recorded
 * against Neutron 21.0.0). Each case is a {@code ## N. title} section with an {@code http} request block, a
 * {@code sh} curl block (the same request; ignored) and an {@code http} response block. Immutable.
 */
record NeutronTranscript(List<Exchange> exchanges) {
    /** The host the transcript was recorded against, as it appears in links. */
    static final String REFERENCE_HOST = "http://127.0.0.1:9696";

    private static final Pattern HEADING = Pattern.compile("## (\\d+)\\. (.*)");
    private static final Pattern REQUEST_LINE = Pattern.compile("([A-Z]+) (\\S+) HTTP/1\\.1");
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) .*");

    NeutronTranscript {
        exchanges = List.copyOf(exchanges);
    }

    /** A request as recorded: method, target (path and query, still encoded), headers and body. */
    record Request(String method, String target, Map<String, String> headers, String body) {
        /** The path without the query string. */
        String path() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }
    }

    /** A response as recorded: status, headers (except Date) and body exactly as returned. */
    record Response(int status, Map<String, String> headers, String body) {
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst();
        }
    }

    /** One numbered case. */
    record Exchange(int number, String title, Request request, Response response) {
        @Override
        public String toString() {
            return number + ". " + title;
        }
    }

    /** Reads the transcript from the test classpath. */
    static NeutronTranscript load(String resource) {
        try (InputStream in = NeutronTranscript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NeutronTranscript parse(String markdown) {
        List<Exchange> exchanges = new ArrayList<>();
        List<String> lines = markdown.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher heading = HEADING.matcher(lines.get(i));
            if (heading.matches()) {
                int end = i + 1;
                while (end < lines.size() && !HEADING.matcher(lines.get(end)).matches()) {
                    end++;
                }
                int number = Integer.parseInt(heading.group(1));
                exchanges.add(exchange(number, heading.group(2), lines.subList(i + 1, end)));
                i = end - 1;
            }
        }
        return new NeutronTranscript(exchanges);
    }

    private static Exchange exchange(int number, String title, List<String> section) {
        List<List<String>> blocks = httpBlocks(section);
        if (blocks.size() != 2) {
            throw new IllegalArgumentException("case %d has %d http blocks, not 2".formatted(number, blocks.size()));
        }
        return new Exchange(number, title, request(number, blocks.get(0)), response(number, blocks.get(1)));
    }

    /** The contents of each {@code ```http} fenced block, in order. */
    private static List<List<String>> httpBlocks(List<String> section) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        boolean inOtherBlock = false;
        for (String line : section) {
            if (current != null) {
                if (line.equals("```")) {
                    blocks.add(current);
                    current = null;
                } else {
                    current.add(line);
                }
            } else if (inOtherBlock) {
                inOtherBlock = !line.equals("```");
            } else if (line.equals("```http")) {
                current = new ArrayList<>();
            } else if (line.startsWith("```")) {
                inOtherBlock = true;
            }
        }
        return blocks;
    }

    private static Request request(int number, List<String> block) {
        Matcher line = REQUEST_LINE.matcher(block.getFirst());
        if (!line.matches()) {
            throw new IllegalArgumentException("case %d: not a request line: %s".formatted(number, block.getFirst()));
        }
        Message message = message(block);
        return new Request(line.group(1), line.group(2), message.headers(), message.body());
    }

    private static Response response(int number, List<String> block) {
        Matcher line = STATUS_LINE.matcher(block.getFirst());
        if (!line.matches()) {
            throw new IllegalArgumentException("case %d: not a status line: %s".formatted(number, block.getFirst()));
        }
        Message message = message(block);
        return new Response(Integer.parseInt(line.group(1)), message.headers(), message.body());
    }

    private record Message(Map<String, String> headers, String body) {
    }

    /** Headers up to the first blank line, then the body (blank lines around it are not part of it). */
    private static Message message(List<String> block) {
        Map<String, String> headers = new LinkedHashMap<>();
        int i = 1;
        for (; i < block.size() && !block.get(i).isEmpty(); i++) {
            String header = block.get(i);
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
        }
        String body = i + 1 < block.size() ? String.join("\n", block.subList(i + 1, block.size())).strip() : "";
        return new Message(headers, body);
    }
}
