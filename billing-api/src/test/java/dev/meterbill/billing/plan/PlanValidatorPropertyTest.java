package dev.meterbill.billing.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.http.Json;
import dev.meterbill.billing.plan.PlanRequest.ChargeRequest;
import dev.meterbill.billing.plan.PlanRequest.TierRequest;
import dev.meterbill.billing.pricing.ChargeBasics;
import dev.meterbill.billing.pricing.ChargeDefinition;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated plan requests, hostile ones among them (decimals with scales of ±30 million, 60-digit
 * numbers, text with NUL and lone surrogates, unknown models, oversized lists): the validator never
 * throws anything but a ValidationException and never takes long, and every plan it accepts reads back
 * through the API's JSON as the same plan.
 */
class PlanValidatorPropertyTest {

    private static final ObjectMapper JSON = Json.newMapper();

    @Property(tries = 2000)
    void validatingThrowsNothingButAValidationExceptionAndIsCheap(@ForAll("requests") PlanRequest request) {
        long started = System.nanoTime();
        try {
            PlanValidator.validate(request, true, null);
            Statistics.collect("accepted");
        } catch (ValidationException refused) {
            Statistics.collect("refused: " + refused.fieldErrors().get(0).message().replaceAll("[0-9]+", "n"));
        }
        // one rescale of 1e-20000000 takes seconds; a check on precision and scale takes microseconds
        assertThat(System.nanoTime() - started).isLessThan(200_000_000L);
    }

    @Property(tries = 2000)
    void anAcceptedPlanReadsBackThroughTheApiAsTheSamePlan(@ForAll("requests") PlanRequest request) throws Exception {
        PlanDefinition accepted;
        try {
            accepted = PlanValidator.validate(request, true, null);
        } catch (ValidationException refused) {
            return;
        }
        Statistics.collect("round trips");
        PricingPlan stored = new PricingPlan(UUID.randomUUID(), accepted.name(), 1, accepted.currency(),
                accepted.minimumCommitmentMinor(), accepted.pricingScope(), Instant.now(), accepted.charges());
        ObjectNode shown = JSON.valueToTree(PlanView.of(stored, false));
        for (String viewOnly : new String[] {"id", "version", "inUse", "createdAt"}) {
            shown.remove(viewOnly);
        }
        ((ArrayNode) shown.get("charges")).forEach(charge -> ((ObjectNode) charge).remove("id"));
        PlanRequest readBack = JSON.readValue(JSON.writeValueAsBytes(shown), PlanRequest.class);

        PlanDefinition again = PlanValidator.validate(readBack, true, null);

        assertThat(again.name()).isEqualTo(accepted.name());
        assertThat(again.currency()).isEqualTo(accepted.currency());
        assertThat(again.minimumCommitmentMinor()).isEqualTo(accepted.minimumCommitmentMinor());
        assertThat(again.pricingScope()).isEqualTo(accepted.pricingScope());
        assertThat(again.charges()).map(PlanValidatorPropertyTest::withoutId)
                .isEqualTo(accepted.charges().stream().map(PlanValidatorPropertyTest::withoutId).toList());
    }

    private static ChargeDefinition withoutId(ChargeDefinition c) {
        return c.model().fromColumns(new ChargeBasics(null, c.metricName(), c.aggregation(), c.freeUnits()),
                c.columns());
    }

    @Provide
    Arbitrary<PlanRequest> requests() {
        Arbitrary<BigDecimal> minimum = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 100_000).map(BigDecimal::valueOf)), Tuple.of(3, decimals()));
        Arbitrary<String> scope = Arbitraries.of("organisation", "project", "tenant").injectNull(0.3);
        return Combinators.combine(names(), currencies(), minimum, scope,
                charges().list().ofMinSize(1).ofMaxSize(4).injectNull(0.02)).as(PlanRequest::new);
    }

    /** Mostly charges shaped like their model, so that plans are accepted often; sometimes anything at all. */
    private Arbitrary<ChargeRequest> charges() {
        return Arbitraries.frequencyOf(Tuple.of(4, wellFormedCharges()), Tuple.of(1, anyCharges()));
    }

    private Arbitrary<ChargeRequest> wellFormedCharges() {
        Arbitrary<String> metric = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).map(s -> "m" + s);
        Arbitrary<String> aggregation = Arbitraries.of("sum", "count", "max", "latest");
        return Arbitraries.of("per_unit", "graduated", "volume", "package", "flat").flatMap(model -> {
            Arbitrary<BigDecimal> price = model.equals("per_unit") || model.equals("package") ? mostlyPlausible()
                    : Arbitraries.just(null);
            Arbitrary<BigDecimal> size = model.equals("package") ? mostlyPlausible() : Arbitraries.just(null);
            Arbitrary<BigDecimal> fee = model.equals("flat") ? mostlyPlausible() : Arbitraries.just(null);
            Arbitrary<BigDecimal> free = model.equals("flat") ? Arbitraries.just(null) : mostlyPlausible();
            Arbitrary<List<TierRequest>> tiers = model.equals("graduated") || model.equals("volume")
                    ? increasingTiers() : Arbitraries.just(null);
            return Combinators.combine(metric, aggregation, Arbitraries.just(model), price, size, fee, free, tiers)
                    .as((m, ag, mo, p, si, f, fr, t) -> new ChargeRequest(m, ag, mo, p, si, f, fr, t, null, null, null));
        });
    }

    private Arbitrary<List<TierRequest>> increasingTiers() {
        return Combinators.combine(Arbitraries.integers().between(1, 3), mostlyPlausible(), mostlyPlausible())
                .as((count, price, fee) -> {
                    List<TierRequest> tiers = new java.util.ArrayList<>();
                    for (int i = 1; i <= count; i++) {
                        tiers.add(new TierRequest(i == count ? null : BigDecimal.valueOf(1000L * i), price,
                                i == 1 ? fee : null));
                    }
                    return tiers;
                });
    }

    private Arbitrary<ChargeRequest> anyCharges() {
        Arbitrary<String> text = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("sum", "per_unit", "graduated",
                "volume", "package", "flat", "mx")), Tuple.of(1, text()));
        Arbitrary<List<TierRequest>> tiers = Combinators.combine(decimals(), decimals(), decimals())
                .as(TierRequest::new).injectNull(0.05).list().ofMaxSize(25).injectNull(0.3);
        Arbitrary<String> sac = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.of("998314", "99831", "123456")), Tuple.of(1, text()));
        return Combinators.combine(text, text, text, decimals(), decimals(), decimals(), decimals(), tiers)
                .as((m, ag, mo, p, si, f, fr, t) -> new ChargeRequest(m, ag, mo, p, si, f, fr, t, null, null, null))
                .flatMap(c -> sac.map(code -> new ChargeRequest(c.metricName(), c.aggregation(), c.model(),
                        c.unitPrice(), c.packageSize(), c.flatFee(), c.freeUnits(), c.tiers(), code,
                        "998314".equals(code) ? BigDecimal.valueOf(1000) : null, "998314".equals(code) ? "soft" : null)))
                .injectNull(0.05);
    }

    private static Arbitrary<BigDecimal> mostlyPlausible() {
        return Arbitraries.frequencyOf(Tuple.of(16, Combinators.combine(Arbitraries.integers().between(1, 100_000),
                Arbitraries.integers().between(0, 2)).as(BigDecimal::valueOf)), Tuple.of(1, decimals()));
    }

    private static Arbitrary<String> names() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.strings().alpha().numeric().withChars(' ', '-', '\u00e9', '\u20b9')
                        .ofMinLength(1).ofMaxLength(30)),
                Tuple.of(2, text()),
                Tuple.of(1, Arbitraries.strings().ofLength(201)),
                Tuple.of(1, Arbitraries.just(null)));
    }

    private static Arbitrary<String> currencies() {
        return Arbitraries.frequencyOf(
                Tuple.of(24, Arbitraries.of("INR", "inr", " JPY ", "BHD", "USD")),
                Tuple.of(2, Arbitraries.of("XAU", "XXX", "XTS", "ABC", "", "IN")),
                Tuple.of(1, text()),
                Tuple.of(1, Arbitraries.just(null)));
    }

    /** Any text: NUL, lone and reversed surrogates, control and combining characters included. */
    private static Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(40);
    }

    /** Plausible decimals, and decimals that are short to write but vast to compute with. */
    static Arbitrary<BigDecimal> decimals() {
        Arbitrary<BigDecimal> plausible = Combinators.combine(
                Arbitraries.longs().between(-1_000_000_000_000_000L, 1_000_000_000_000_000L),
                Arbitraries.integers().between(-6, 14)).as(BigDecimal::valueOf);
        Arbitrary<BigDecimal> small = Combinators.combine(Arbitraries.integers().between(0, 100_000),
                Arbitraries.integers().between(0, 4)).as(BigDecimal::valueOf);
        Arbitrary<BigDecimal> extremeScale = Combinators.combine(
                Arbitraries.longs().between(-99, 99),
                Arbitraries.integers().between(-30_000_000, 30_000_000)).as(BigDecimal::valueOf);
        Arbitrary<BigDecimal> manyDigits = Combinators.combine(
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(60)),
                Arbitraries.integers().between(-40, 40)).as(BigDecimal::new);
        return Arbitraries.frequencyOf(
                Tuple.of(4, small),
                Tuple.of(3, plausible),
                Tuple.of(2, extremeScale),
                Tuple.of(1, manyDigits),
                Tuple.of(2, Arbitraries.just(null)));
    }
}
