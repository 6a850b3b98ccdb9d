package dev.ferry.notification;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ferry.testkit.FerryArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void notificationDependsOnlyOnCommonAndKeepsFeaturesApart() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ferry.notification");
    FerryArchitectureRules.check("notification", classes);
  }
}
