package dev.meterbill.billing.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of billing-api, enforced on its compiled classes: packages by feature without cycles
 * between them, the root package only wires (nothing depends on it), services and repositories
 * know nothing of the web framework, and only the Razorpay adapter knows razorpay-java and its
 * libraries, behind the payment port.
 */
class PackageRulesTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.meterbill.billing");
    }

    @Test
    void featurePackagesAreFreeOfCycles() {
        slices().matching("dev.meterbill.billing.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void nothingDependsOnTheWiringInTheRootPackage() {
        noClasses().that().resideInAPackage("dev.meterbill.billing.*..")
                .should().dependOnClassesThat().resideInAPackage("dev.meterbill.billing")
                .because("the root package wires the features; a feature reaching back into it is a cycle")
                .check(classes);
    }

    @Test
    void servicesAndRepositoriesAreFreeOfTheWebFramework() {
        noClasses().that().haveSimpleNameEndingWith("Service").or().haveSimpleNameEndingWith("Repository")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "jakarta.servlet..")
                .because("a service is independent of Javalin: handlers do HTTP, services own the transaction")
                .check(classes);
    }

    @Test
    void onlyTheRazorpayAdapterKnowsTheSdk() {
        noClasses().that().resideOutsideOfPackage("dev.meterbill.billing.payment.razorpay..")
                .should().dependOnClassesThat().resideInAnyPackage("com.razorpay..", "org.json..", "okhttp3..")
                .because("payments go through the PaymentProvider port; razorpay-java, its org.json and its OkHttp"
                        + " are the adapter's business (payment.razorpay)")
                .check(classes);
    }

    @Test
    void thePaymentPortDoesNotKnowItsAdapter() {
        noClasses().that().resideInAPackage("dev.meterbill.billing.payment")
                .should().dependOnClassesThat().resideInAPackage("dev.meterbill.billing.payment.razorpay..")
                .because("the adapter implements the port and reads into its records, never the other way;"
                        + " the wiring picks the provider")
                .check(classes);
    }
}
