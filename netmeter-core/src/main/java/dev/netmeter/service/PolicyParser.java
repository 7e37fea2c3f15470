package dev.netmeter.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiles oslo.policy check strings (the language of Neutron's {@code policy.yaml}) into {@link PolicyCheck}s:
 * {@code @}, {@code !}, {@code role:R}, {@code rule:NAME}, {@code is_admin:True}, {@code project_id:},
 * {@code tenant_id:} and {@code user_id:} with a literal or with {@code %(project_id)s} /
 * {@code %(tenant_id)s}, combined with {@code and}, {@code or}, {@code not} and parentheses ({@code not}
 * binds tightest, then {@code and}, then {@code or}, as in oslo). {@code rule:} references are inlined, so
 * a compiled check never looks a name up again. Checks on other target fields ({@code field:…},
 * {@code %(network:shared)s}, …) have no meaning for metering and are refused rather than guessed at.
 * Not thread-safe: one instance compiles one policy.
 */
final class PolicyParser {
    private static final Set<String> CALLER_ATTRIBUTES = Set.of("project_id", "tenant_id", "user_id");
    private static final Set<String> OWNER_TEMPLATES = Set.of("%(project_id)s", "%(tenant_id)s");

    private final Map<String, String> rules;
    private final Deque<String> compiling = new ArrayDeque<>();
    private List<String> tokens;
    private int position;

    /** @param rules every named rule, by name: check strings that {@code rule:NAME} may refer to */
    PolicyParser(Map<String, String> rules) {
        this.rules = rules;
    }

    /**
     * The compiled rule {@code name}.
     *
     * @throws IllegalArgumentException naming the rule, if it or a rule it refers to is missing, does not
     *     parse, or refers to itself
     */
    PolicyCheck compile(String name) {
        String text = rules.get(name);
        if (text == null) {
            throw new IllegalArgumentException(compiling.isEmpty() ? "rule '%s' is not defined".formatted(name)
                    : "rule '%s' refers to rule '%s', which is not defined".formatted(compiling.peek(), name));
        }
        if (compiling.contains(name)) {
            throw new IllegalArgumentException("rule '%s' refers to itself (%s)".formatted(name,
                    String.join(" -> ", compiling.reversed()) + " -> " + name));
        }
        List<String> savedTokens = tokens;
        int savedPosition = position;
        compiling.push(name);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("rule '")) {
                throw e;
            }
            throw new IllegalArgumentException("rule '%s' (\"%s\"): %s".formatted(name, text, e.getMessage()));
        } finally {
            compiling.pop();
            tokens = savedTokens;
            position = savedPosition;
        }
    }

    private PolicyCheck parse(String text) {
        tokens = tokenize(text);
        position = 0;
        if (tokens.isEmpty()) {
            return new PolicyCheck.Always();     // oslo: an empty check string allows everyone
        }
        PolicyCheck check = or();
        if (position != tokens.size()) {
            throw new IllegalArgumentException("unexpected '%s'".formatted(tokens.get(position)));
        }
        return check;
    }

    private PolicyCheck or() {
        List<PolicyCheck> checks = new ArrayList<>(List.of(and()));
        while (accept("or")) {
            checks.add(and());
        }
        return checks.size() == 1 ? checks.getFirst() : new PolicyCheck.Any(checks);
    }

    private PolicyCheck and() {
        List<PolicyCheck> checks = new ArrayList<>(List.of(not()));
        while (accept("and")) {
            checks.add(not());
        }
        return checks.size() == 1 ? checks.getFirst() : new PolicyCheck.All(checks);
    }

    private PolicyCheck not() {
        return accept("not") ? new PolicyCheck.Not(not()) : atom();
    }

    private PolicyCheck atom() {
        if (position == tokens.size()) {
            throw new IllegalArgumentException("the check string ends where a check was expected");
        }
        String token = tokens.get(position++);
        if (token.equals("(")) {
            PolicyCheck inner = or();
            if (!accept(")")) {
                throw new IllegalArgumentException("a '(' is not closed");
            }
            return inner;
        }
        return check(token);
    }

    private PolicyCheck check(String token) {
        switch (token) {
            case "@": return new PolicyCheck.Always();
            case "!": return new PolicyCheck.Never();
            case ")", "and", "or", "not": throw new IllegalArgumentException("unexpected '%s'".formatted(token));
            default: break;
        }
        int colon = token.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'%s' is not a check (expected kind:match)".formatted(token));
        }
        String kind = token.substring(0, colon);
        String match = unquote(token.substring(colon + 1));
        if (kind.equals("rule")) {
            return compile(match);
        }
        if (kind.equals("role")) {
            return new PolicyCheck.HasRole(match.toLowerCase(Locale.ROOT));
        }
        if (kind.equals("is_admin") && (match.equalsIgnoreCase("true") || match.equalsIgnoreCase("false"))) {
            return new PolicyCheck.IsAdmin(match.equalsIgnoreCase("true"));
        }
        if (CALLER_ATTRIBUTES.contains(kind)) {
            if (OWNER_TEMPLATES.contains(match) && !kind.equals("user_id")) {
                return new PolicyCheck.Owner();
            }
            if (!match.contains("%(")) {
                return new PolicyCheck.CallerAttribute(kind.equals("user_id") ? kind : "project_id", match);
            }
        }
        throw new IllegalArgumentException(("unsupported check '%s' (metering policies may use @, !, role:, "
                + "rule:, is_admin:, and project_id:/tenant_id:/user_id: with a literal or %%(project_id)s)")
                .formatted(token));
    }

    private boolean accept(String keyword) {
        if (position < tokens.size() && tokens.get(position).equalsIgnoreCase(keyword)) {
            position++;
            return true;
        }
        return false;
    }

    private static String unquote(String match) {
        if (match.length() >= 2 && (match.startsWith("'") && match.endsWith("'")
                || match.startsWith("\"") && match.endsWith("\""))) {
            return match.substring(1, match.length() - 1);
        }
        return match;
    }

    /** Splits on white space, with parentheses at either end of a word as tokens of their own (as oslo does). */
    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            int start = 0;
            int end = word.length();
            while (start < end && word.charAt(start) == '(') {
                tokens.add("(");
                start++;
            }
            int closing = 0;
            while (end > start && word.charAt(end - 1) == ')') {
                closing++;
                end--;
            }
            if (start < end) {
                tokens.add(word.substring(start, end));
            }
            for (int i = 0; i < closing; i++) {
                tokens.add(")");
            }
        }
        return tokens;
    }
}
