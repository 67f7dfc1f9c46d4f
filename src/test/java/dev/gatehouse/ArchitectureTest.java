// The rules between the parts (docs: DESIGN.md, "Parts and the rules between them"), checked on the compiled
// main classes: the ground imports no project package, nothing in the ground or the pipeline imports a surface,
// the agents after the queue never reach back into the stages before it, and no two packages depend on each other.
package dev.gatehouse;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

class ArchitectureTest {

    private static final String ROOT = "dev.gatehouse";

    /** Import no project package: each depends only on itself and on classes outside dev.gatehouse. */
    static final List<String> GROUND = List.of("mail", "kernel", "store", "smtp", "cmdlet", "observability", "config", "kql", "dns");

    /** The stages, the pipeline that runs them, and the parts that own or read the message and config tables. */
    static final List<String> PIPELINE = List.of("pipeline", "attribution", "intake", "rules", "quarantine", "ndr",
            "queue", "delivery", "relay", "trace", "directory", "connector", "reports", "hunting",
            "spf", "dkim", "arc", "dmarc", "compauth");

    /** The admin surfaces and the wiring; {@code cmdlet} is also ground (the language), the rest sit outside. */
    static final List<String> SURFACES = List.of("web", "cmdlet", "admin", "cli", "server");

    /** Agents after the durable accept, and the stages before it that they must never reach back into. */
    static final List<String> AFTER_QUEUE = List.of("queue", "delivery", "relay", "ndr", "trace", "hunting");
    static final List<String> BEFORE_QUEUE = List.of("intake", "attribution", "rules", "compauth");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** "mail" to "dev.gatehouse.mail.." (the package and its subpackages). */
    private static String pkg(String part) {
        return ROOT + "." + part + "..";
    }

    private static String[] pkgs(List<String> parts) {
        return parts.stream().map(ArchitectureTest::pkg).toArray(String[]::new);
    }

    private static ArchRule all(List<ArchRule> rules, String description) {
        return CompositeArchRule.of(rules).as(description);
    }

    @Test
    void everyPackageIsGroundPipelineOrSurface() {
        // Keeps the lists below honest: a new top-level package must be placed before the rules can cover it.
        Set<String> known = new TreeSet<>();
        Stream.of(GROUND, PIPELINE, SURFACES).forEach(known::addAll);
        Set<String> found = new TreeSet<>();
        for (JavaClass c : CLASSES) {
            String rest = c.getPackageName().equals(ROOT) ? "" : c.getPackageName().substring(ROOT.length() + 1);
            found.add(rest.isEmpty() ? "(" + ROOT + " itself: " + c.getName() + ")" : rest.split("\\.")[0]);
        }
        assertThat(found).as("top-level packages under " + ROOT).isNotEmpty().isSubsetOf(known);
    }

    @Test
    void groundPackagesImportNoProjectPackage() {
        List<ArchRule> rules = new ArrayList<>();
        for (String g : GROUND) {
            rules.add(noClasses().that().resideInAPackage(pkg(g))
                    .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(pkg(g)))))
                    .as("ground package " + ROOT + "." + g + " should depend on no other " + ROOT + " package"));
        }
        all(rules, "ground packages " + GROUND + " should depend on no other " + ROOT + " package").check(CLASSES);
    }

    @Test
    void groundAndPipelineNeverDependOnASurface() {
        List<ArchRule> rules = new ArrayList<>();
        for (String p : Stream.concat(PIPELINE.stream(), GROUND.stream()).toList()) {
            // The ground cmdlet package is the PowerShell language itself; it may use its own classes.
            List<String> forbidden = SURFACES.stream().filter(s -> !s.equals(p)).toList();
            rules.add(noClasses().that().resideInAPackage(pkg(p))
                    .should().dependOnClassesThat(resideInAnyPackage(pkgs(forbidden)))
                    .as(ROOT + "." + p + " should not depend on the surfaces " + forbidden));
        }
        all(rules, "pipeline " + PIPELINE + " and ground " + GROUND + " should not depend on the surfaces " + SURFACES
                + " (the ground cmdlet on itself excepted)").check(CLASSES);
    }

    @Test
    void queueAndTheAgentsAfterItNeverDependOnTheStagesBeforeIt() {
        noClasses().that().resideInAnyPackage(pkgs(AFTER_QUEUE))
                .should().dependOnClassesThat().resideInAnyPackage(pkgs(BEFORE_QUEUE))
                .as(AFTER_QUEUE + " should never depend on " + BEFORE_QUEUE)
                .check(CLASSES);
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
