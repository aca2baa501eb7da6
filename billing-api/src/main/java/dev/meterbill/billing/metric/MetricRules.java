package dev.meterbill.billing.metric;

import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.events.EventValidator;
import dev.meterbill.events.TextRules;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules of a metric definition (docs/metering.md lists them), applied to a new one and to every new version. */
public final class MetricRules {

    public static final Set<String> AGGREGATIONS = Set.of("sum", "count", "max", "latest", "unique_count");
    /** Metadata keys a definition may name (filters, groupBy, uniqueProperty). */
    public static final Pattern PROPERTY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,63}");
    public static final int MAX_GROUP_BY = 3;
    public static final int MAX_FILTERS = 10;
    public static final int MAX_FILTER_VALUES = 50;
    /** The longest metadata text a filter names or a group is kept under. */
    public static final int MAX_VALUE_LENGTH = EventValidator.MAX_GROUPING_VALUE_LENGTH;
    public static final int MAX_DISPLAY_NAME_LENGTH = 200;
    /** How far back a new definition may start: the gateway's backfill window ({@link EventValidator#withDefaults}). */
    public static final Duration BACKDATE_LIMIT = Duration.ofDays(35);

    private MetricRules() {}

    /** A new definition from {@code request}, effective from {@code now} unless a later instant is asked for. */
    public static MetricDefinition.Version first(MetricRequest request, Instant now) {
        FieldErrors errors = new FieldErrors();
        if (request.key() == null || !EventValidator.METRIC_NAME.matcher(request.key()).matches()) {
            errors.add("key", "is required and must match " + EventValidator.METRIC_NAME.pattern());
        }
        String eventMetric = request.eventMetric() != null ? request.eventMetric() : request.key();
        MetricDefinition.Version version = check(errors, 1, request.displayName(), request.unit(), eventMetric,
                request.aggregation(), request.uniqueProperty(), Objects.requireNonNullElse(request.filters(), List.of()),
                Objects.requireNonNullElse(request.groupBy(), List.of()), effectiveFrom(errors, request.effectiveFrom(), now, null),
                now);
        errors.throwIfAny();
        return version;
    }

    /** The next version: {@code current} with what {@code request} changes. */
    public static MetricDefinition.Version next(MetricDefinition.Version current, MetricRequest request, Instant now) {
        FieldErrors errors = new FieldErrors();
        if (request.key() != null) {
            errors.add("key", "cannot change: create another definition");
        }
        String aggregation = request.aggregation() != null ? request.aggregation() : current.aggregation();
        String unique = request.uniqueProperty() != null ? request.uniqueProperty()
                : "unique_count".equals(aggregation) ? current.uniqueProperty() : null;
        MetricDefinition.Version version = check(errors, current.version() + 1,
                Objects.requireNonNullElse(request.displayName(), current.displayName()),
                Objects.requireNonNullElse(request.unit(), current.unit()),
                Objects.requireNonNullElse(request.eventMetric(), current.eventMetric()), aggregation, unique,
                Objects.requireNonNullElse(request.filters(), current.filters()),
                Objects.requireNonNullElse(request.groupBy(), current.groupBy()),
                effectiveFrom(errors, request.effectiveFrom(), now, current.effectiveFrom()), now);
        errors.throwIfAny();
        return version;
    }

    private static MetricDefinition.Version check(FieldErrors errors, int number, String displayName, String unit,
            String eventMetric, String aggregation, String uniqueProperty, List<MetricDefinition.Filter> filters,
            List<String> groupBy, Instant effectiveFrom, Instant now) {
        if (displayName == null || displayName.isBlank() || TextRules.violation(displayName, MAX_DISPLAY_NAME_LENGTH) != null) {
            errors.add("displayName", "is required: 1 to " + MAX_DISPLAY_NAME_LENGTH + " characters of text");
        }
        if (unit == null || unit.isBlank() || TextRules.violation(unit, EventValidator.MAX_UNIT_LENGTH) != null) {
            errors.add("unit", "is required: 1 to " + EventValidator.MAX_UNIT_LENGTH + " characters of text");
        }
        if (eventMetric == null || !EventValidator.METRIC_NAME.matcher(eventMetric).matches()) {
            errors.add("eventMetric", "must match " + EventValidator.METRIC_NAME.pattern());
        }
        if (aggregation == null || !AGGREGATIONS.contains(aggregation)) {
            errors.add("aggregation", "is required: one of sum, count, max, latest, unique_count");
        }
        boolean unique = "unique_count".equals(aggregation);
        if (unique && (uniqueProperty == null || !PROPERTY.matcher(uniqueProperty).matches())) {
            errors.add("uniqueProperty", "is required for unique_count: a metadata key matching " + PROPERTY.pattern());
        } else if (!unique && uniqueProperty != null) {
            errors.add("uniqueProperty", "only a unique_count metric counts the distinct values of a property");
        }
        List<MetricDefinition.Filter> checkedFilters = filters(errors, filters);
        if (groupBy.size() > MAX_GROUP_BY) {
            errors.add("groupBy", "at most " + MAX_GROUP_BY + " metadata keys");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < groupBy.size(); i++) {
            String key = groupBy.get(i);
            if (key == null || !PROPERTY.matcher(key).matches() || !seen.add(key)) {
                errors.add("groupBy[" + i + "]", "must be a distinct metadata key matching " + PROPERTY.pattern());
            }
        }
        return new MetricDefinition.Version(number, displayName, unit, eventMetric, aggregation,
                unique ? uniqueProperty : null, checkedFilters, new ArrayList<>(groupBy), effectiveFrom, now);
    }

    private static List<MetricDefinition.Filter> filters(FieldErrors errors, List<MetricDefinition.Filter> filters) {
        if (filters.size() > MAX_FILTERS) {
            errors.add("filters", "at most " + MAX_FILTERS + " filters");
            return List.of();
        }
        List<MetricDefinition.Filter> checked = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            MetricDefinition.Filter f = filters.get(i);
            String at = "filters[" + i + "]";
            if (f == null) {
                errors.add(at, "must be an object");
                continue;
            }
            if (f.property() == null || !PROPERTY.matcher(f.property()).matches()) {
                errors.add(at + ".property", "must be a metadata key matching " + PROPERTY.pattern());
            }
            switch (f.op() == null ? "" : f.op()) {
                case "equals" -> {
                    if (!validValue(f.value()) || f.values() != null) {
                        errors.add(at + ".value", "equals takes one value: 1 to " + MAX_VALUE_LENGTH + " characters");
                    }
                }
                case "in" -> {
                    if (f.value() != null || f.values() == null || f.values().isEmpty() || f.values().size() > MAX_FILTER_VALUES
                            || !f.values().stream().allMatch(MetricRules::validValue)) {
                        errors.add(at + ".values", "in takes 1 to " + MAX_FILTER_VALUES + " values of 1 to " + MAX_VALUE_LENGTH
                                + " characters");
                    }
                }
                case "exists" -> {
                    if (f.value() != null || f.values() != null) {
                        errors.add(at + ".value", "exists takes no value");
                    }
                }
                default -> errors.add(at + ".op", "must be equals, in or exists");
            }
            checked.add(new MetricDefinition.Filter(f.property(), f.op(), f.value(),
                    f.values() == null ? null : new ArrayList<>(f.values())));  // nulls in it are refused above
        }
        return checked;
    }

    private static boolean validValue(String value) {
        return value != null && !value.isEmpty() && TextRules.violation(value, MAX_VALUE_LENGTH) == null;
    }

    /**
     * When the version takes effect: now, or a later instant asked for, never earlier than now (a closed period, or
     * the part of the running one already metered, is never computed under another definition) nor than the version
     * before it. A new definition (version 1) changes nothing metered before, so it may start in the past, inside the
     * gateway's backfill window: events a producer backfills after it was published are metered by it (those the job
     * counted before it arrived stay counted under their plain metric only). Kept to the microsecond, as PostgreSQL
     * keeps it.
     */
    private static Instant effectiveFrom(FieldErrors errors, Instant asked, Instant now, Instant previous) {
        Instant at = (asked == null ? now : asked).truncatedTo(ChronoUnit.MICROS);
        if (previous == null && at.isBefore(now.minus(BACKDATE_LIMIT))) {
            errors.add("effectiveFrom", "must not be more than " + BACKDATE_LIMIT.toDays() + " days in the past, the"
                    + " gateway's backfill window");
        } else if (previous != null && at.isBefore(now.truncatedTo(ChronoUnit.MICROS))) {
            errors.add("effectiveFrom", "must not be in the past: a new version never changes usage already metered");
        } else if (previous != null && !at.isAfter(previous)) {
            errors.add("effectiveFrom", "must be after the current version's effectiveFrom (" + previous + ")");
        }
        return at;
    }
}
