package dev.ferry.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The architecture rules every Ferry service checks against its own classes with ArchUnit, kept in
 * one place so that each service's {@code ArchitectureTest} is three lines.
 *
 * <p>Services are deployed apart and talk over REST and Kafka, so a compile-time dependency of one
 * service on another's code would couple their releases; {@code dev.ferry.common} is the only
 * shared code. Inside a service, features are packages; a controller may use its own feature's
 * repository but reaches another feature only through that feature's public service facade.
 */
public final class FerryArchitectureRules {

  private static final String ROOT = "dev.ferry";

  private FerryArchitectureRules() {}

  /**
   * Classes of the service rooted at {@code dev.ferry.<service>} depend on no Ferry code but their
   * own and {@code dev.ferry.common}.
   */
  public static ArchRule serviceDependsOnlyOnItselfAndCommon(String service) {
    String own = ROOT + "." + service;
    return noClasses()
        .that()
        .resideInAPackage(own + "..")
        .should()
        .dependOnClassesThat(
            new DescribedPredicate<JavaClass>(
                "belong to another Ferry module than " + own + " or dev.ferry.common") {
              @Override
              public boolean test(JavaClass target) {
                String pkg = target.getPackageName();
                return pkg.startsWith(ROOT + ".")
                    && !isInside(pkg, own)
                    && !isInside(pkg, ROOT + ".common");
              }
            })
        .because("services deploy apart and share code only through dev.ferry.common");
  }

  /** Controllers use repositories of their own feature package only. */
  public static ArchRule controllersUseOnlyTheirOwnFeaturesRepositories() {
    return classes()
        .that()
        .haveSimpleNameEndingWith("Controller")
        .should(
            new ArchCondition<JavaClass>("use only repositories of their own feature package") {
              @Override
              public void check(JavaClass controller, ConditionEvents events) {
                controller.getDirectDependenciesFromSelf().stream()
                    .map(dependency -> dependency.getTargetClass())
                    .filter(target -> target.getSimpleName().endsWith("Repository"))
                    .filter(target -> !target.getPackageName().equals(controller.getPackageName()))
                    .forEach(
                        target ->
                            events.add(
                                SimpleConditionEvent.violated(
                                    controller,
                                    controller.getName()
                                        + " reaches "
                                        + target.getName()
                                        + " of another feature; go through that feature's service")));
              }
            })
        .allowEmptyShould(true);
  }

  /** Checks both rules against {@code classes} of {@code service}; for one-line tests. */
  public static void check(String service, JavaClasses classes) {
    serviceDependsOnlyOnItselfAndCommon(service).check(classes);
    controllersUseOnlyTheirOwnFeaturesRepositories().check(classes);
  }

  private static boolean isInside(String pkg, String root) {
    return pkg.equals(root) || pkg.startsWith(root + ".");
  }
}
