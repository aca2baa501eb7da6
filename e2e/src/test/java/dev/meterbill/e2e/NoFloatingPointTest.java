package dev.meterbill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards the rule that no floating-point type holds a quantity or an amount anywhere: no
 * float/double in production Java code and no REAL/DOUBLE PRECISION/FLOAT column in the schema.
 * Benchmark code (the {@code benchmarks} module) may compute throughput ratios in doubles.
 */
class NoFloatingPointTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JAVA_FLOAT = Pattern.compile(
            "\\b(double|float|Double|Float)\\b|\\.(nextDouble|nextFloat|doubleValue|floatValue)\\(");
    private static final Pattern SQL_FLOAT = Pattern.compile("(?i)\\b(real|double\\s+precision|float[48]?)\\b");

    @Test
    void productionJavaCodeHasNoFloatingPointTypes() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.startsWith(ROOT.resolve("benchmarks")))
                    .toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = stripComment(lines.get(i));
                    if (JAVA_FLOAT.matcher(code).find()) {
                        offenders.add(ROOT.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(offenders).as("floating point in production code").isEmpty();
    }

    @Test
    void theSchemaHasNoFloatingPointColumns() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("sql"))) {
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
        assertThat(Files.list(ROOT.resolve("sql")).count()).isPositive();
    }

    private static String stripComment(String line) {
        String trimmed = line.trim();
        if (trimmed.startsWith("*") || trimmed.startsWith("/*") || trimmed.startsWith("//")) {
            return "";
        }
        int slashes = line.indexOf("//");
        return slashes >= 0 ? line.substring(0, slashes) : line;
    }
}
