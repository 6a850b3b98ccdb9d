package dev.ferry.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Keeps the layering the README describes: kafka-clients' request and response classes, which may
 * change between versions, stay inside the protocol adapter, and the storage layer knows nothing of
 * the features built on it.
 */
@AnalyzeClasses(packages = "dev.ferry.broker", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule onlyTheProtocolAdapterUsesKafkaMessages =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.ferry.broker.protocol..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka.common.message..", "org.apache.kafka.common.requests..");

  @ArchTest
  static final ArchRule theLogDependsOnNoFeature =
      noClasses()
          .that()
          .resideInAPackage("dev.ferry.broker.log..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.ferry.broker.partition..",
              "dev.ferry.broker.topic..",
              "dev.ferry.broker.group..",
              "dev.ferry.broker.producer..",
              "dev.ferry.broker.protocol..",
              "dev.ferry.broker.network..",
              "dev.ferry.broker.admin..");

  @ArchTest
  static final ArchRule featuresDoNotReachIntoTheNetworkOrAdminLayers =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.ferry.broker.partition..",
              "dev.ferry.broker.topic..",
              "dev.ferry.broker.group..",
              "dev.ferry.broker.producer..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.ferry.broker.protocol..",
              "dev.ferry.broker.network..",
              "dev.ferry.broker.admin..");
}
