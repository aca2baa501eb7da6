package dev.meterbill.jobs.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.testutils.TestEvents;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Combining totals in any grouping or order gives the totals of adding the events one by one. */
class UsageAccumulatorTest {

    // Two events share the greatest timestamp: the greater eventId (…0d, value 4) is the latest.
    private static final UsageAccumulator A = of("1.10", "2026-01-10T00:00:00Z", "00000000-0000-0000-0000-00000000000a");
    private static final UsageAccumulator B = of("4", "2026-01-12T00:00:00Z", "00000000-0000-0000-0000-00000000000d");
    private static final UsageAccumulator C = of("0.05", "2026-01-11T00:00:00Z", "00000000-0000-0000-0000-00000000000c");
    private static final UsageAccumulator D = of("2", "2026-01-12T00:00:00Z", "00000000-0000-0000-0000-00000000000b");

    static Stream<Arguments> groupings() {
        return Stream.of(
                Arguments.of("((a+b)+c)+d", (Function<Void, UsageAccumulator>) x -> A.merge(B).merge(C).merge(D)),
                Arguments.of("(a+b)+(c+d)", (Function<Void, UsageAccumulator>) x -> A.merge(B).merge(C.merge(D))),
                Arguments.of("a+(b+(c+d))", (Function<Void, UsageAccumulator>) x -> A.merge(B.merge(C.merge(D)))),
                Arguments.of("((d+c)+b)+a", (Function<Void, UsageAccumulator>) x -> D.merge(C).merge(B).merge(A)),
                Arguments.of("(c+a)+(d+b)", (Function<Void, UsageAccumulator>) x -> C.merge(A).merge(D.merge(B))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groupings")
    void everyGroupingHasTheSameTotals(String grouping, Function<Void, UsageAccumulator> combine) {
        UsageAccumulator t = combine.apply(null);

        // 1.10 + 4 + 0.05 + 2 = 7.15; min 0.05; max 4; latest: Jan 12, tie broken by the greater eventId
        assertThat(List.of(t.sum(), t.min(), t.max(), t.latest()))
                .containsExactly(new BigDecimal("7.15"), new BigDecimal("0.05"), new BigDecimal("4"), new BigDecimal("4"));
        assertThat(t.count()).isEqualTo(4);
        assertThat(t.latestAt()).isEqualTo(Instant.parse("2026-01-12T00:00:00Z"));
        assertThat(t.latestEventId()).isEqualTo("00000000-0000-0000-0000-00000000000d");
    }

    private static UsageAccumulator of(String value, String at, String eventId) {
        return UsageAccumulator.of(TestEvents.event().value(value).at(at).eventId(eventId).record());
    }
}
