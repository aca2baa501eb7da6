package dev.meterbill.jobs.usage;

import dev.meterbill.jobs.usage.aggregate.LateEvent;
import dev.meterbill.jobs.usage.aggregate.PeriodUsage;
import dev.meterbill.jobs.usage.aggregate.UsageTotal;
import dev.meterbill.jobs.usage.parse.DeadLetter;
import dev.meterbill.jobs.usage.parse.ParsedEnvelope;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** State and records travel as Flink POJOs (BigDecimal and Instant as basic types), never through Kryo. */
class FlinkTypesTest {

    @ParameterizedTest
    @ValueSource(classes = {ParsedEnvelope.class, UsageRecord.class, PeriodUsage.class, UsageAccumulator.class, ClosingPeriod.class,
        UsageTotal.class, LateEvent.class, DeadLetter.class})
    void everyTypeInThePipelineIsAPojo(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);

        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getTypeAt(i).getClass().getSimpleName())
                    .as(type.getSimpleName() + "." + pojo.getPojoFieldAt(i).getField().getName())
                    .isNotEqualTo("GenericTypeInfo");
        }
    }
}
