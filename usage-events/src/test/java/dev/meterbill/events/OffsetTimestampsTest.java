package dev.meterbill.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast path answers exactly what {@link OffsetDateTime#parse(CharSequence)} answers, for any text. */
class OffsetTimestampsTest {

    @ParameterizedTest
    @CsvSource({
        "2026-03-10T10:00:00Z, 2026-03-10T10:00:00Z",
        "2026-03-10T15:30:00+05:30, 2026-03-10T10:00:00Z",
        "2026-03-10T15:30:00.5+05:30, 2026-03-10T10:00:00.500Z",
        "2026-03-10T10:00:00.123456789Z, 2026-03-10T10:00:00.123456789Z",
        "2026-03-10T10:00:00-00:00, 2026-03-10T10:00:00Z",
        "2024-02-29T23:59:59-18:00, 2024-03-01T17:59:59Z",
        "2026-03-10T10:00Z, 2026-03-10T10:00:00Z",
        "2026-03-10t10:00:00z, 2026-03-10T10:00:00Z",
        "2026-03-10T10:00:00+05:30:15, 2026-03-10T04:29:45Z",
    })
    void readsWhatTheFormatterReads(String text, String expected) {
        assertThat(OffsetTimestamps.parse(text)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T10:00:00Z", "2026-03-10T24:00:00Z", "2026-03-10T10:00:60Z", "2026-03-10T10:00:00+18:01",
        "2026-03-10T10:00:00+05:60", "2026-03-10T10:00:00", "2026-03-10T10:00:00.1234567890Z", "2026-13-10T10:00:00Z",
        "2026-03-10T10:00:00Zjunk", "2026-03-10 10:00:00Z", "x"})
    void refusesWhatTheFormatterRefuses(String text) {
        assertThatThrownBy(() -> OffsetDateTime.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> OffsetTimestamps.parse(text)).isInstanceOf(DateTimeParseException.class);
    }

    @Property(tries = 20_000)
    void agreesWithTheFormatter(@ForAll("timestamps") String text) {
        Object expected;
        try {
            expected = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            expected = DateTimeParseException.class;
        }
        Object actual;
        try {
            actual = OffsetTimestamps.parse(text);
        } catch (DateTimeParseException e) {
            actual = DateTimeParseException.class;
        }
        Statistics.label("outcome").collect(expected instanceof Instant ? "parsed" : "refused");
        Statistics.label("outcome").coverage(c -> {
            c.check("parsed").percentage(p -> p > 20);
            c.check("refused").percentage(p -> p > 5);
        });
        assertThat(actual).as(text).isEqualTo(expected);
    }

    /** Well-formed timestamps with every field near its bounds, some with one character replaced or removed. */
    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<String> wellFormed = Combinators.combine(
                Arbitraries.integers().between(0, 9999), Arbitraries.integers().between(0, 13),
                Arbitraries.integers().between(0, 32), Arbitraries.integers().between(0, 24),
                Arbitraries.integers().between(0, 60), Arbitraries.integers().between(0, 60),
                Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(10).map(f -> f.isEmpty() ? "" : "." + f),
                Arbitraries.of("Z", "+00:00", "-00:00", "+05:30", "-18:00", "+18:00", "+18:01", "+19:00", "-03:60", "+5:30", "z"))
                .as((y, mo, d, h, mi, s, fraction, offset) -> String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s",
                        y, mo, d, h, mi, s, fraction, offset));
        return Arbitraries.oneOf(wellFormed, wellFormed, Combinators.combine(wellFormed, Arbitraries.integers().between(0, 30),
                Arbitraries.of('x', '0', '9', ':', '-', '.', 'T', ' ', 'Z')).as((text, at, c) -> {
                    int i = Math.min(at, text.length() - 1);
                    return at % 2 == 0 ? text.substring(0, i) + c + text.substring(i + 1) : text.substring(0, i) + text.substring(i + 1);
                }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-10T10:00:00Z", "2026-03-10T10:00:00.500Z", "2026-03-10T10:00:00.000001Z",
        "2026-03-10T10:00:00.123456789Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z",
        "-0001-12-31T23:59:59Z", "1970-01-01T00:00:00.010Z"})
    void formatsWhatInstantToStringWrites(String text) {
        Instant instant = Instant.parse(text);
        assertThat(OffsetTimestamps.format(instant)).isEqualTo(instant.toString()).isEqualTo(text);
    }

    @Property(tries = 100_000)
    void formatAgreesWithInstantToString(@ForAll("instants") Instant instant) {
        assertThat(OffsetTimestamps.format(instant)).isEqualTo(instant.toString());
    }

    /** Any second from year -1000 to 11000, with no fraction, milliseconds, microseconds or nanoseconds. */
    @Provide
    Arbitrary<Instant> instants() {
        return Combinators.combine(Arbitraries.longs().between(-93_692_592_000L, 284_958_748_800L),
                Arbitraries.integers().between(0, 999_999_999), Arbitraries.of(1, 1_000, 1_000_000, 1_000_000_000))
                .as((seconds, nanos, unit) -> Instant.ofEpochSecond(seconds, unit == 1_000_000_000 ? 0 : nanos / unit * unit));
    }
}
