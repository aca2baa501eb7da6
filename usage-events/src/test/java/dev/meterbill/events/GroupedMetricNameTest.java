package dev.meterbill.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GroupedMetricNameTest {

    @Test
    void namesEscapeTheSeparatorsAndKeepTooLongValuesApart() {
        assertThat(GroupedMetricName.of("k", List.of("a", "b"), Map.of("a", "x,y=z{}\\", "b", "v".repeat(129))))
                .isEqualTo("k{a=x\\,y\\=z\\{\\}\\\\,b=__too_long__}");
        assertThat(GroupedMetricName.of("k", List.of(), Map.of())).isEqualTo("k{}");
        assertThat(GroupedMetricName.of("k", List.of("model"), Map.of())).isEqualTo("k{model=}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "large|eu",
        "x,y=z{}\\|",
        "|a=b",
        "\\\\|,,",
    })
    void parseReadsBackWhatOfWrote(String model, String region) {
        Map<String, String> labels = new java.util.HashMap<>();
        labels.put("model", model == null ? "" : model);
        labels.put("region", region == null ? "" : region);
        String name = GroupedMetricName.of("tokens", List.of("model", "region"), labels);
        GroupedMetricName parsed = GroupedMetricName.parse(name);
        assertThat(parsed.key()).isEqualTo("tokens");
        assertThat(parsed.groups()).containsExactly(Map.entry("model", labels.get("model")),
                Map.entry("region", labels.get("region")));
    }

    @Test
    void plainNamesAreNotGrouped() {
        assertThat(GroupedMetricName.parse("api_calls")).isNull();
        assertThat(GroupedMetricName.parse("{a=b}")).isNull();
        assertThat(GroupedMetricName.parse("k{}")).isEqualTo(new GroupedMetricName("k", Map.of()));
    }

    @Test
    void dimensionsMatchTheirOwnKeysOnly() {
        GroupedMetricName name = GroupedMetricName.parse("tokens{model=large,region=eu}");
        assertThat(name.describeGroups()).isEqualTo("model=large, region=eu");
        assertThat(name.matches(Map.of("model", "large"))).isTrue();
        assertThat(name.matches(Map.of("model", "large", "region", "eu"))).isTrue();
        assertThat(name.matches(Map.of("model", "small"))).isFalse();
        assertThat(name.matches(Map.of("tier", "large"))).isFalse();
        assertThat(name.matches(Map.of())).isTrue();
    }
}
