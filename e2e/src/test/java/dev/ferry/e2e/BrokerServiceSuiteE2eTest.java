package dev.ferry.e2e;

import dev.ferry.localstack.LocalStackOptions;

/** The suite on broker-service, Ferry's own Kafka-compatible broker: the local stack's default. */
class BrokerServiceSuiteE2eTest extends SuiteScenarios {

  @Override
  LocalStackOptions.Kafka kafka() {
    return LocalStackOptions.Kafka.BROKER;
  }
}
