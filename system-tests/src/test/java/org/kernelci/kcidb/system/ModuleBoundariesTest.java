package org.kernelci.kcidb.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

/**
 * The module order, stated as a test that fails rather than as comments: {@code contracts <- database <-
 * service-common <- services}, each layer using only the ones below it; {@code logspec} (the engine) a leaf that only
 * the logspec consumer uses; the services (and local-stack) never importing each other; test-support never in main
 * code. Maven keeps dependencies from pulling the wrong way; this keeps imports from doing it.
 */
class ModuleBoundariesTest {
    private static final String[] SERVICES = {"gateway", "ingest-consumer", "db-watcher", "logspec-consumer",
        "local-stack"};

    static final ArchRule MODULE_ORDER = Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("contracts").definedBy("org.kernelci.kcidb.contracts..")
            .layer("database").definedBy("org.kernelci.kcidb.database..")
            .layer("service-common").definedBy("org.kernelci.kcidb.service..")
            .layer("logspec").definedBy("org.kernelci.kcidb.logspec.engine..", "org.kernelci.kcidb.logspec.cli..",
                    "org.kernelci.kcidb.logspec.bench..")
            .layer("gateway").definedBy("org.kernelci.kcidb.gateway..")
            .layer("ingest-consumer").definedBy("org.kernelci.kcidb.ingest..")
            .layer("db-watcher").definedBy("org.kernelci.kcidb.watcher..")
            .layer("logspec-consumer").definedBy("org.kernelci.kcidb.logspec", "org.kernelci.kcidb.logspec.consumer..")
            .layer("local-stack").definedBy("org.kernelci.kcidb.local..")
            .layer("test-support").definedBy("org.kernelci.kcidb.testsupport..")
            .whereLayer("contracts").mayOnlyBeAccessedByLayers(with("database", "service-common"))
            .whereLayer("database").mayOnlyBeAccessedByLayers(with("service-common"))
            .whereLayer("service-common").mayOnlyBeAccessedByLayers(SERVICES)
            .whereLayer("logspec").mayOnlyBeAccessedByLayers("logspec-consumer")
            .whereLayer("gateway").mayNotBeAccessedByAnyLayer()
            .whereLayer("ingest-consumer").mayNotBeAccessedByAnyLayer()
            .whereLayer("db-watcher").mayNotBeAccessedByAnyLayer()
            .whereLayer("logspec-consumer").mayNotBeAccessedByAnyLayer()
            .whereLayer("local-stack").mayNotBeAccessedByAnyLayer()
            .whereLayer("test-support").mayNotBeAccessedByAnyLayer()
            .because("contracts <- database <- service-common <- services; logspec is a leaf; services stand alone");

    private static String[] with(String... lower) {
        String[] all = new String[lower.length + SERVICES.length];
        System.arraycopy(lower, 0, all, 0, lower.length);
        System.arraycopy(SERVICES, 0, all, lower.length, SERVICES.length);
        return all;
    }

    /** Every module's main classes (this module's tests, and the fixture, left out). */
    private static JavaClasses mainClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.kernelci.kcidb");
    }

    @Test
    void everyModuleImportsOnlyWhatLiesBelowIt() {
        JavaClasses classes = mainClasses();
        assertThat(classes.containPackage("org.kernelci.kcidb.database")).as("the modules are on the class path").isTrue();
        MODULE_ORDER.check(classes);
    }

    @Test
    void aForbiddenImportFailsTheRule() {
        JavaClasses withSlip = new ClassFileImporter().importPackages("org.kernelci.kcidb.database",
                "org.kernelci.kcidb.contracts", "org.kernelci.kcidb.service");
        EvaluationResult result = MODULE_ORDER.allowEmptyShould(true).evaluate(withSlip);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anyMatch(d -> d.contains("ForbiddenImport") && d.contains("org.kernelci.kcidb.service.Retry"));
    }
}
