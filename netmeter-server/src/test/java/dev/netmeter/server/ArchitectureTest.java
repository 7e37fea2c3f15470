package dev.netmeter.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the product's bytecode (every module's main classes; no
 * test code). Maven's module graph already keeps the agent and the API apart from the database at compile
 * time; these rules also hold inside a module, where Maven cannot see: which packages the API, the services
 * and the domain may use, and that no two packages need each other.
 */
class ArchitectureTest {
    private static final String JDK = "java..";
    private static final String DOMAIN = "dev.netmeter.domain..";
    private static final String SERVICE = "dev.netmeter.service..";
    /** The persistence ports (in netmeter-core), not their adapters in the subpackage jdbi. */
    private static final String PORTS = "dev.netmeter.persistence";
    private static final String ADAPTERS = "dev.netmeter.persistence.jdbi..";
    private static final String API = "dev.netmeter.api..";
    private static final String AGENT = "dev.netmeter.agent..";
    private static final String SERVER = "dev.netmeter.server..";
    /** The IP-address library: prefixes are part of the domain (Cidr). */
    private static final String ADDRESSES = "inet.ipaddr..";
    private static final String LOGGING = "org.slf4j..";
    private static final String WIRE = "dev.netmeter.wire..";

    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))    // other modules' test jars
                .importPackages("dev.netmeter");
    }

    @Test
    void everyLayerIsImported() {
        // ArchUnit also fails a rule that matched no class (failOnEmptyShould); this names what is missing.
        for (String layer : List.of("dev.netmeter.domain", "dev.netmeter.service", "dev.netmeter.persistence",
                "dev.netmeter.persistence.jdbi", "dev.netmeter.api", "dev.netmeter.agent", "dev.netmeter.server")) {
            assertThat(product.containPackage(layer)).as(layer).isTrue();
        }
    }

    @Test
    void theDomainSeesNothingButTheJdkAndTheAddressLibrary() {
        check(classes().that().resideInAPackage(DOMAIN)
                .should().onlyDependOnClassesThat().resideInAnyPackage(DOMAIN, JDK, ADDRESSES));
    }

    @Test
    void servicesAndPortsUseNoFramework() {
        check(classes().that().resideInAnyPackage(SERVICE, PORTS)
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage(SERVICE, PORTS, DOMAIN, JDK, ADDRESSES, LOGGING));
    }

    /** Both sides bind the wire records: they must not bring either side, or the domain, along. */
    @Test
    void theWireRecordsSeeOnlyTheJdkAndJackson() {
        check(classes().that().resideInAPackage(WIRE)
                .should().onlyDependOnClassesThat().resideInAnyPackage(WIRE, JDK, "com.fasterxml.jackson.."));
    }

    @Test
    void theApiDoesNotSeePersistence() {
        check(noClasses().that().resideInAPackage(API)
                .should().dependOnClassesThat().resideInAnyPackage("dev.netmeter.persistence.."));
    }

    @Test
    void theApiDoesNotSeeTheAgentOrTheWiring() {
        check(noClasses().that().resideInAPackage(API)
                .should().dependOnClassesThat().resideInAnyPackage(AGENT, SERVER));
    }

    @Test
    void theAgentTalksToTheServerOnlyOverHttp() {
        check(noClasses().that().resideInAPackage(AGENT)
                .should().dependOnClassesThat().resideInAnyPackage(API, SERVICE, "dev.netmeter.persistence..", SERVER));
    }

    @Test
    void persistenceAdaptersSeeOnlyTheirPortsAndTheDomain() {
        check(noClasses().that().resideInAPackage(ADAPTERS)
                .should().dependOnClassesThat().resideInAnyPackage(SERVICE, API, AGENT, SERVER));
    }

    @Test
    void onlyTheServerModuleKnowsTheWiring() {
        check(noClasses().that().resideOutsideOfPackage(SERVER)
                .should().dependOnClassesThat().resideInAPackage(SERVER));
    }

    @Test
    void noTwoPackagesNeedEachOther() {
        check(slices().matching("dev.netmeter.(**)").should().beFreeOfCycles());
    }

    private static void check(ArchRule rule) {
        rule.check(product);
    }
}
