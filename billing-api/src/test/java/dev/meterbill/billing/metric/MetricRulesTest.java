package dev.meterbill.billing.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.service.FieldError;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of a metric definition, each with the field its refusal names. */
class MetricRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00.123456Z");

    private static MetricRequest request(String json) throws Exception {
        return JSON.readValue(json, MetricRequest.class);
    }

    private static final String TOKENS = """
            {"key":"llm_tokens","displayName":"LLM tokens","unit":"tokens","eventMetric":"tokens","aggregation":"sum",
             "filters":[{"property":"region","op":"in","values":["in","us"]},{"property":"model","op":"exists"}],
             "groupBy":["model","region"]}""";

    @Test
    void aValidDefinitionIsVersionOneEffectiveNow() throws Exception {
        MetricDefinition.Version v = MetricRules.first(request(TOKENS), NOW);
        assertThat(v.version()).isEqualTo(1);
        assertThat(v.eventMetric()).isEqualTo("tokens");
        assertThat(v.groupBy()).containsExactly("model", "region");
        assertThat(v.filters()).hasSize(2);
        assertThat(v.effectiveFrom()).isEqualTo(NOW);
        assertThat(v.uniqueProperty()).isNull();
    }

    @Test
    void aNewDefinitionMayStartInsideTheBackfillWindowButANewVersionNeverInThePast() throws Exception {
        MetricDefinition.Version v1 = MetricRules.first(request(TOKENS.replace("\"groupBy\"",
                "\"effectiveFrom\":\"2026-10-27T10:00:00Z\",\"groupBy\"")), NOW);
        assertThat(v1.effectiveFrom()).isEqualTo(Instant.parse("2026-10-27T10:00:00Z"));
        ValidationException past = catchThrowableOfType(() -> MetricRules.next(v1,
                request("{\"unit\":\"t\",\"effectiveFrom\":\"2026-11-30T09:59:59Z\"}"), NOW), ValidationException.class);
        assertThat(past.fieldErrors()).extracting(FieldError::field).containsExactly("effectiveFrom");
    }

    @Test
    void eventMetricDefaultsToTheKey() throws Exception {
        MetricDefinition.Version v = MetricRules.first(request(
                "{\"key\":\"api_calls\",\"displayName\":\"Calls\",\"unit\":\"calls\",\"aggregation\":\"count\"}"), NOW);
        assertThat(v.eventMetric()).isEqualTo("api_calls");
        assertThat(v.filters()).isEmpty();
        assertThat(v.groupBy()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no key                 | {'displayName':'x','unit':'u','aggregation':'sum'}                              | key",
        "bad key                | {'key':'9x','displayName':'x','unit':'u','aggregation':'sum'}                   | key",
        "no display name        | {'key':'k','unit':'u','aggregation':'sum'}                                      | displayName",
        "unit too long          | {'key':'k','displayName':'x','unit':'uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu','aggregation':'sum'} | unit",
        "unknown aggregation    | {'key':'k','displayName':'x','unit':'u','aggregation':'avg'}                    | aggregation",
        "unique without property| {'key':'k','displayName':'x','unit':'u','aggregation':'unique_count'}           | uniqueProperty",
        "property without unique| {'key':'k','displayName':'x','unit':'u','aggregation':'sum','uniqueProperty':'u'} | uniqueProperty",
        "four group-by keys     | {'key':'k','displayName':'x','unit':'u','aggregation':'sum','groupBy':['a','b','c','d']} | groupBy",
        "repeated group-by key  | {'key':'k','displayName':'x','unit':'u','aggregation':'sum','groupBy':['a','a']} | groupBy[1]",
        "null group-by key      | {'key':'k','displayName':'x','unit':'u','aggregation':'sum','groupBy':[null]}     | groupBy[0]",
        "null filter value      | {'key':'k','displayName':'x','unit':'u','aggregation':'sum','filters':[{'property':'a','op':'in','values':[null]}]} | filters[0].values",
        "bad group-by key       | {'key':'k','displayName':'x','unit':'u','aggregation':'sum','groupBy':['a b']}   | groupBy[0]",
        "unknown filter op      | {'key':'k','displayName':'x','unit':'u','aggregation':'sum','filters':[{'property':'a','op':'like','value':'x'}]} | filters[0].op",
        "equals without value   | {'key':'k','displayName':'x','unit':'u','aggregation':'sum','filters':[{'property':'a','op':'equals'}]} | filters[0].value",
        "in without values      | {'key':'k','displayName':'x','unit':'u','aggregation':'sum','filters':[{'property':'a','op':'in','values':[]}]} | filters[0].values",
        "exists with a value    | {'key':'k','displayName':'x','unit':'u','aggregation':'sum','filters':[{'property':'a','op':'exists','value':'x'}]} | filters[0].value",
        "filter without property| {'key':'k','displayName':'x','unit':'u','aggregation':'sum','filters':[{'op':'exists'}]} | filters[0].property",
        "before backfill window | {'key':'k','displayName':'x','unit':'u','aggregation':'sum','effectiveFrom':'2026-10-26T09:59:59Z'} | effectiveFrom",
    })
    void refusesNamingTheField(String name, String body, String field) throws Exception {
        ValidationException e = catchThrowableOfType(() -> MetricRules.first(request(body.replace('\'', '"')), NOW),
                ValidationException.class);
        assertThat(e).as(name).isNotNull();
        assertThat(e.fieldErrors()).extracting(FieldError::field).contains(field);
    }

    @Test
    void aChangeIsTheNextVersionAndKeepsWhatItDoesNotName() throws Exception {
        MetricDefinition.Version v1 = MetricRules.first(request(TOKENS), NOW);
        Instant later = NOW.plusSeconds(60);
        MetricDefinition.Version v2 = MetricRules.next(v1, request("{\"groupBy\":[\"model\"]}"), later);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.groupBy()).containsExactly("model");
        assertThat(v2.filters()).isEqualTo(v1.filters());
        assertThat(v2.displayName()).isEqualTo("LLM tokens");
        assertThat(v2.effectiveFrom()).isEqualTo(later);
        MetricDefinition.Version v3 = MetricRules.next(v2,
                request("{\"aggregation\":\"unique_count\",\"uniqueProperty\":\"user_id\",\"filters\":[]}"), later.plusSeconds(1));
        assertThat(v3.aggregation()).isEqualTo("unique_count");
        assertThat(v3.uniqueProperty()).isEqualTo("user_id");
        assertThat(v3.filters()).isEmpty();
        MetricDefinition.Version v4 = MetricRules.next(v3, request("{\"aggregation\":\"max\"}"), later.plusSeconds(2));
        assertThat(v4.uniqueProperty()).as("only unique_count keeps its property").isNull();
    }

    @Test
    void aChangeNeverTakesEffectBeforeNowOrBeforeTheVersionItReplaces() throws Exception {
        MetricDefinition.Version v1 = MetricRules.first(request(TOKENS.replace("\"groupBy\"",
                "\"effectiveFrom\":\"2026-12-01T00:00:00Z\",\"groupBy\"")), NOW);
        assertThat(v1.effectiveFrom()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        ValidationException sameInstant = catchThrowableOfType(() -> MetricRules.next(v1,
                request("{\"unit\":\"t\",\"effectiveFrom\":\"2026-12-01T00:00:00Z\"}"), NOW), ValidationException.class);
        assertThat(sameInstant.fieldErrors()).extracting(FieldError::field).containsExactly("effectiveFrom");
        ValidationException key = catchThrowableOfType(() -> MetricRules.next(v1, request("{\"key\":\"other\"}"), NOW),
                ValidationException.class);
        assertThat(key.fieldErrors()).extracting(FieldError::field).contains("key");
        assertThat(MetricRules.next(v1, request("{\"effectiveFrom\":\"2027-01-01T00:00:00Z\"}"), NOW).effectiveFrom())
                .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }
}
