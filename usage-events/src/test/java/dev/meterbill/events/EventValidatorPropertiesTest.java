package dev.meterbill.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated events: the validator never throws, whatever it is given, and everything the gateway
 * accepts the job accepts too (the same rules at both boundaries), stored as sent.
 */
class EventValidatorPropertiesTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final EventValidator validator = EventValidator.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC));

    @Property(tries = 2000)
    void neverThrowsAndWhatTheGatewayAcceptsTheJobAccepts(@ForAll("events") JsonNode event) {
        // Not vacuous: a fair share of the generated events must pass and a fair share must fail.
        Statistics.coverage(coverage -> {
            coverage.check("accepted").percentage(p -> p > 2);
            coverage.check("refused").percentage(p -> p > 50);
        });
        EventValidator.Result result = validator.validate(event, "");
        Statistics.collect(result.valid() ? "accepted" : "refused");

        if (result.valid()) {
            IncomingEvent in = result.event();
            assertThat(TextRules.isStorable(in.unit())).isTrue();
            assertThat(Decimals.violation(in.metricValue(), EventValidator.MAX_FRACTION_DIGITS,
                    EventValidator.MAX_INTEGER_DIGITS)).isNull();
            UsageEvent stamped = new UsageEvent(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                    in.metricName(), in.metricValue(), in.unit(), in.timestamp(), NOW, "UTC", in.metadata(),
                    in.idempotencyKey());
            assertThat(EventValidator.envelopeViolation(stamped)).isNull();
            UsageEvent decoded = UsageEventCodec.decode(UsageEventCodec.encode(stamped));
            assertThat(decoded.unit()).isEqualTo(in.unit());
            assertThat(decoded.metricValue()).isEqualByComparingTo(in.metricValue());
            assertThat(decoded.metadata()).isEqualTo(in.metadata());
        } else {
            assertThat(result.errors()).allSatisfy(e -> assertThat(e.message()).isNotBlank());
        }
    }

    @Provide
    Arbitrary<JsonNode> events() {
        return Combinators.combine(texts(), decimals(), texts(), texts(), texts(), Arbitraries.of(true, false))
                .as((metric, value, unit, metaKey, metaValue, numericValue) -> {
                    ObjectNode n = JSON.createObjectNode();
                    n.put("metricName", metric);
                    if (numericValue) {
                        n.put("metricValue", value);
                    } else {
                        n.put("metricValue", value.toString());
                    }
                    n.put("unit", unit);
                    n.put("timestamp", "2026-03-10T10:00:00Z");
                    n.putObject("metadata").put(metaKey, metaValue);
                    n.put("idempotencyKey", metric);
                    return n;
                });
    }

    /** Text with what breaks storage: NUL, lone surrogates of both kinds, valid pairs, long runs. */
    private static Arbitrary<String> texts() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> hostile = Arbitraries.strings()
                .withChars('\u0000', '\ud800', '\udfff', 'x', '_', ' ', '₹')
                .withCharRange('\ud83d', '\ud83d').ofMinLength(0).ofMaxLength(40);
        Arbitrary<String> pairs = Arbitraries.of("😀", "a😀b", "\ud83d\ude00\ud83d", "c\u0000", "\udc00x");
        Arbitrary<String> longOnes = Arbitraries.strings().withCharRange('a', 'b').ofMinLength(30).ofMaxLength(300);
        return Arbitraries.oneOf(plain, hostile, pairs, longOnes);
    }

    /** Decimals of every size, including exponents far beyond any column. */
    private static Arbitrary<BigDecimal> decimals() {
        Arbitrary<BigInteger> unscaled = Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40));
        Arbitrary<Integer> scale = Arbitraries.oneOf(Arbitraries.integers().between(-30, 30),
                Arbitraries.of(-20_000_000, 20_000_000, Integer.MIN_VALUE + 1, Integer.MAX_VALUE));
        return Combinators.combine(unscaled, scale).as(BigDecimal::new);
    }
}
