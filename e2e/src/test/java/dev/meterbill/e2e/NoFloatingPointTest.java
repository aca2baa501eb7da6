package dev.meterbill.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No floating-point type holds a quantity or an amount anywhere: the compiled production code of every
 * module on this classpath (services, job, contract, local stack; not test-kit, not benchmarks, which
 * compute throughput ratios) declares no float or double field, parameter or return value, uses no
 * Float or Double, and never converts a BigDecimal to or from binary floating point; the schema has
 * no REAL, DOUBLE PRECISION or FLOAT column.
 */
class NoFloatingPointTest {

    private static final Set<String> FLOATING = Set.of("double", "float", "java.lang.Double", "java.lang.Float");
    private static final Pattern SQL_FLOAT = Pattern.compile("(?i)\\b(real|double\\s+precision|float[48]?)\\b");
    private static JavaClasses production;

    @BeforeAll
    static void importProductionCode() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/test-kit/") && !location.contains("/benchmarks/"))
                .importPackages("dev.meterbill");
        assertThat(production.stream().map(JavaClass::getPackageName))
                .as("the modules the rule is about are on the classpath")
                .anyMatch(p -> p.startsWith("dev.meterbill.billing"))
                .anyMatch(p -> p.startsWith("dev.meterbill.jobs"))
                .anyMatch(p -> p.startsWith("dev.meterbill.gateway"));
    }

    @Test
    void noFieldIsFloatingPoint() {
        fields().should().notHaveRawType(double.class).andShould().notHaveRawType(float.class)
                .andShould().notHaveRawType(Double.class).andShould().notHaveRawType(Float.class)
                .check(production);
    }

    @Test
    void noMethodTakesOrReturnsFloatingPoint() {
        codeUnits().should(new ArchCondition<JavaCodeUnit>("take and return no float or double") {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                List<String> types = new ArrayList<>(unit.getRawParameterTypes().stream().map(JavaClass::getName).toList());
                types.add(unit.getRawReturnType().getName());
                if (types.stream().anyMatch(FLOATING::contains)) {
                    events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " uses floating point"));
                }
            }
        }).check(production);
    }

    @Test
    void noCodeUsesBoxedFloatingPointOrConvertsDecimalsToIt() {
        noClasses().should().dependOnClassesThat().belongToAnyOf(Double.class, Float.class)
                .orShould().callMethod(BigDecimal.class, "doubleValue")
                .orShould().callMethod(BigDecimal.class, "floatValue")
                .orShould().callMethod(BigDecimal.class, "valueOf", double.class)
                .orShould().callConstructor(BigDecimal.class, double.class)
                .check(production);
    }

    @Test
    void theSchemaHasNoFloatingPointColumns() throws IOException {
        Path sql = Path.of("..", "sql").toAbsolutePath().normalize();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.list(sql)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("--.*$", "");
                    if (SQL_FLOAT.matcher(code).find()) {
                        offenders.add(f.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(offenders).as("floating point in the schema").isEmpty();
        try (Stream<Path> files = Files.list(sql)) {
            assertThat(files.count()).isPositive();
        }
    }
}
