package dev.ferry.e2e;

import dev.ferry.localstack.LocalStackOptions;

/** The suite on Apache Kafka (KRaft), the broker of production. */
class ApacheKafkaSuiteE2eTest extends SuiteScenarios {

  @Override
  LocalStackOptions.Kafka kafka() {
    return LocalStackOptions.Kafka.APACHE;
  }
}
