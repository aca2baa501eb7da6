package dev.meterbill.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metric name usage metered by a definition is kept under: {@code <key>{<k1>=<v1>,<k2>=<v2>}}, the definition's
 * key and its group-by keys in order with the event's values ({@code <key>{}} without group-by keys). In a value,
 * {@code , = { }} and {@code \} are escaped with {@code \}; a missing value is empty; a value longer than
 * {@link EventValidator#MAX_GROUPING_VALUE_LENGTH} is kept as {@link #TOO_LONG}. The aggregation job writes these
 * names (docs/metering.md); billing reads them back to price a charge per dimension.
 *
 * @param key    the metric definition's key
 * @param groups the group-by keys in the definition's order, with their values
 */
public record GroupedMetricName(String key, Map<String, String> groups) {

    /** What a grouping value longer than the limit is kept under: counted, never dropped. */
    public static final String TOO_LONG = "__too_long__";

    public GroupedMetricName {
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /** The name of {@code key}'s usage for the values {@code labels} has of {@code groupBy}. */
    public static String of(String key, List<String> groupBy, Map<String, String> labels) {
        StringBuilder name = new StringBuilder(key.length() + 16 * groupBy.size() + 2).append(key).append('{');
        for (int i = 0; i < groupBy.size(); i++) {
            String value = labels.getOrDefault(groupBy.get(i), "");
            if (value.length() > EventValidator.MAX_GROUPING_VALUE_LENGTH) {
                value = TOO_LONG;
            }
            name.append(i == 0 ? "" : ",").append(groupBy.get(i)).append('=');
            for (int k = 0; k < value.length(); k++) {
                char c = value.charAt(k);
                if (c == ',' || c == '=' || c == '{' || c == '}' || c == '\\') {
                    name.append('\\');
                }
                name.append(c);
            }
        }
        return name.append('}').toString();
    }

    /** The key and group values of a grouped name, or null for a plain metric name (one without braces). */
    public static GroupedMetricName parse(String name) {
        int open = name.indexOf('{');
        if (open <= 0 || !name.endsWith("}")) {
            return null;
        }
        Map<String, String> groups = new LinkedHashMap<>();
        StringBuilder part = new StringBuilder();
        String groupKey = null;
        for (int i = open + 1; i < name.length() - 1; i++) {
            char c = name.charAt(i);
            if (c == '\\' && i + 1 < name.length() - 1) {
                part.append(name.charAt(++i));
            } else if (c == '=' && groupKey == null) {
                groupKey = part.toString();
                part.setLength(0);
            } else if (c == ',' && groupKey != null) {
                groups.put(groupKey, part.toString());
                groupKey = null;
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        if (groupKey != null) {
            groups.put(groupKey, part.toString());
        } else if (part.length() > 0) {
            return null;
        }
        return new GroupedMetricName(name.substring(0, open), groups);
    }

    /** The group values as people read them: {@code model=large, region=eu}; empty without group-by keys. */
    public String describeGroups() {
        StringBuilder text = new StringBuilder();
        groups.forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return text.toString();
    }

    /** True when every dimension's value equals this name's value of that key. */
    public boolean matches(Map<String, String> dimensions) {
        for (Map.Entry<String, String> d : dimensions.entrySet()) {
            if (!d.getValue().equals(groups.get(d.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
