package dev.meterbill.e2e.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A compose service's environment after compose's interpolation, with operator-supplied values stubbed. */
final class ComposeEnv {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([?-])([^}]*))?}");

    private ComposeEnv() {}

    static RecordingEnv of(JsonNode service) {
        Map<String, String> env = new HashMap<>();
        service.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), interpolate(e.getValue().asText())));
        return new RecordingEnv(env);
    }

    /** Variables the operator must supply ({@code ${NAME:?message}}): compose refuses to start without them. */
    static Set<String> requiredFromOperator(JsonNode service) {
        Set<String> required = new TreeSet<>();
        service.path("environment").fields().forEachRemaining(e -> {
            Matcher m = VARIABLE.matcher(e.getValue().asText());
            if (m.matches() && "?".equals(m.group(2))) {
                required.add(e.getKey());
            }
        });
        return required;
    }

    static List<String> interpolate(List<String> values) {
        return values.stream().map(ComposeEnv::interpolate).toList();
    }

    /** {@code ${X:-default}} becomes the default; {@code ${X:?msg}} and {@code ${X}} a stand-in for the operator's value. */
    static String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = "-".equals(m.group(2)) ? m.group(3) : "operator-supplied-" + m.group(1).toLowerCase();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
