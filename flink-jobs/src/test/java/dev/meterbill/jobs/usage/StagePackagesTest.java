package dev.meterbill.jobs.usage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The job's packages follow its stages: parse, dedupe, aggregate and sink depend on each other only
 * downstream-to-upstream, never in a cycle, and none of them reaches the job's wiring.
 */
class StagePackagesTest {

    private static final JavaClasses JOB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.meterbill.jobs.usage");

    @Test
    void stagesAreFreeOfCycles() {
        slices().matching("dev.meterbill.jobs.usage.(*)..").should().beFreeOfCycles().check(JOB);
    }

    @Test
    void stagesDoNotDependOnTheWiring() {
        noClasses().that().resideInAPackage("dev.meterbill.jobs.usage.*..")
                .should().dependOnClassesThat().haveSimpleName("UsageAggregationJob")
                .orShould().dependOnClassesThat().haveSimpleName("JobConfig")
                .orShould().dependOnClassesThat().haveSimpleName("JobSinks")
                .check(JOB);
    }
}
