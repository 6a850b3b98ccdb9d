package dev.ferry.broker.network;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the Kafka protocol listener as up once it is bound, so the readiness probe only lets
 * traffic in when clients can actually connect.
 */
final class KafkaListenerHealthIndicator implements HealthIndicator {

  private final KafkaServer server;

  KafkaListenerHealthIndicator(KafkaServer server) {
    this.server = server;
  }

  @Override
  public Health health() {
    return server.isRunning()
        ? Health.up().withDetail("port", server.port()).build()
        : Health.down().build();
  }
}
