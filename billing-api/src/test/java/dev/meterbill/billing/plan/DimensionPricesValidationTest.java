package dev.meterbill.billing.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.service.FieldError;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.http.Json;
import dev.meterbill.billing.pricing.Aggregation;
import dev.meterbill.billing.pricing.ChargeModel;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Plan charges on metric definitions: every rule of a charge's dimension prices, table-driven. */
class DimensionPricesValidationTest {

    private static final ObjectMapper JSON = Json.newMapper();
    private static final Map<String, DefinedMetric> METRICS = Map.of(
            "llm_tokens", new DefinedMetric("llm_tokens", "sum", Set.of("model", "region")),
            "mau", new DefinedMetric("mau", "unique_count", Set.of()));

    private static PlanDefinition validate(String charges) throws Exception {
        PlanRequest request = JSON.readValue(("{'name':'AI','charges':" + charges + "}").replace('\'', '"'),
                PlanRequest.class);
        return PlanValidator.validate(request, true, null, METRICS);
    }

    @Test
    void aChargeOnADefinitionTakesItsAggregationAndKeepsItsPricesInOrder() throws Exception {
        PlanDefinition plan = validate("""
                [{'metricDefinition':'llm_tokens','model':'per_unit','unitPrice':0.000001,
                  'dimensionPrices':[{'dimensions':{'model':'large','region':'eu'},'model':'per_unit','unitPrice':0.000025},
                                     {'dimensions':{'model':'medium'},'model':'graduated','freeUnits':10,
                                      'tiers':[{'upTo':1000000,'unitPrice':0.000005},{'unitPrice':0.000004}]}]},
                 {'metricDefinition':'mau','model':'per_unit','unitPrice':10,'freeUnits':100},
                 {'metricName':'tokens','aggregation':'sum','model':'per_unit','unitPrice':1}]""");
        var tokens = plan.charges().get(0);
        assertThat(tokens.metricName()).isEqualTo("llm_tokens");
        assertThat(tokens.aggregation()).isEqualTo(Aggregation.SUM);
        ChargeTerms terms = plan.terms().get(tokens.id());
        assertThat(terms.metricDefinition()).isEqualTo("llm_tokens");
        assertThat(terms.dimensionPrices()).extracting(p -> p.dimensions(), p -> p.definition().model())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Map.of("model", "large", "region", "eu"),
                        ChargeModel.PER_UNIT), org.assertj.core.groups.Tuple.tuple(Map.of("model", "medium"),
                        ChargeModel.GRADUATED));
        assertThat(terms.dimensionPrices().get(1).definition().freeUnits()).isEqualByComparingTo("10");
        assertThat(terms.dimensionPrices()).allMatch(p -> p.definition().id().equals(tokens.id()));
        assertThat(plan.charges().get(1).aggregation()).isEqualTo(Aggregation.UNIQUE_COUNT);
        assertThat(plan.terms().get(plan.charges().get(2).id())).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown definition       | [{'metricDefinition':'nope','model':'per_unit','unitPrice':1}] | charges[0].metricDefinition",
        "another metric name      | [{'metricDefinition':'mau','metricName':'users','model':'per_unit','unitPrice':1}] | charges[0].metricName",
        "unique count, no definition | [{'metricName':'users','aggregation':'unique_count','model':'per_unit','unitPrice':1}] | charges[0].aggregation",
        "not the definition's aggregation | [{'metricDefinition':'mau','aggregation':'sum','model':'per_unit','unitPrice':1}] | charges[0].aggregation",
        "flat on a definition     | [{'metricDefinition':'mau','model':'flat','flatFee':10}] | charges[0].model",
        "prices without definition| [{'metricName':'x','aggregation':'sum','model':'per_unit','unitPrice':1,'dimensionPrices':[]}] | charges[0].dimensionPrices",
        "limit on a definition    | [{'metricDefinition':'mau','model':'per_unit','unitPrice':1,'limit':5}] | charges[0].limit",
        "definition priced twice  | [{'metricDefinition':'mau','model':'per_unit','unitPrice':1},{'metricDefinition':'mau','model':'per_unit','unitPrice':2}] | charges[1].metricDefinition",
        "key priced as a metric too | [{'metricDefinition':'mau','model':'per_unit','unitPrice':1},{'metricName':'mau','aggregation':'sum','model':'per_unit','unitPrice':2}] | charges[1].metricName",
        "null price               | [{'metricDefinition':'llm_tokens','model':'per_unit','unitPrice':1,'dimensionPrices':[null]}] | charges[0].dimensionPrices[0]",
        "no dimensions            | [{'metricDefinition':'llm_tokens','model':'per_unit','unitPrice':1,'dimensionPrices':[{'dimensions':{},'model':'per_unit','unitPrice':1}]}] | charges[0].dimensionPrices[0].dimensions",
        "not a group-by key       | [{'metricDefinition':'llm_tokens','model':'per_unit','unitPrice':1,'dimensionPrices':[{'dimensions':{'tier':'x'},'model':'per_unit','unitPrice':1}]}] | charges[0].dimensionPrices[0].dimensions",
        "null dimension value     | [{'metricDefinition':'llm_tokens','model':'per_unit','unitPrice':1,'dimensionPrices':[{'dimensions':{'model':null},'model':'per_unit','unitPrice':1}]}] | charges[0].dimensionPrices[0].dimensions.model",
        "repeated dimensions      | [{'metricDefinition':'llm_tokens','model':'per_unit','unitPrice':1,'dimensionPrices':[{'dimensions':{'model':'a'},'model':'per_unit','unitPrice':1},{'dimensions':{'model':'a'},'model':'per_unit','unitPrice':2}]}] | charges[0].dimensionPrices[1].dimensions",
        "flat dimension price     | [{'metricDefinition':'llm_tokens','model':'per_unit','unitPrice':1,'dimensionPrices':[{'dimensions':{'model':'a'},'model':'flat'}]}] | charges[0].dimensionPrices[0].model",
        "no model                 | [{'metricDefinition':'llm_tokens','model':'per_unit','unitPrice':1,'dimensionPrices':[{'dimensions':{'model':'a'},'unitPrice':1}]}] | charges[0].dimensionPrices[0].model",
        "model fields checked     | [{'metricDefinition':'llm_tokens','model':'per_unit','unitPrice':1,'dimensionPrices':[{'dimensions':{'model':'a'},'model':'per_unit'}]}] | charges[0].dimensionPrices[0].unitPrice",
        "negative free units      | [{'metricDefinition':'llm_tokens','model':'per_unit','unitPrice':1,'dimensionPrices':[{'dimensions':{'model':'a'},'model':'per_unit','unitPrice':1,'freeUnits':-1}]}] | charges[0].dimensionPrices[0].freeUnits",
    })
    void refusesNamingTheField(String name, String charges, String field) {
        ValidationException e = catchThrowableOfType(() -> validate(charges), ValidationException.class);
        assertThat(e).as(name).isNotNull();
        assertThat(e.fieldErrors()).as(name).extracting(FieldError::field).contains(field);
    }
}
