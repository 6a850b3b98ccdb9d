package dev.ferry.broker.network;

import dev.ferry.broker.BrokerProperties;
import dev.ferry.broker.protocol.AdvertisedEndpoint;
import dev.ferry.broker.protocol.RequestDispatcher;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka protocol listener and its health. */
@Configuration(proxyBeanMethods = false)
class NetworkConfiguration {

  @Bean
  KafkaServer kafkaServer(
      BrokerProperties properties,
      RequestDispatcher requestDispatcher,
      AdvertisedEndpoint advertisedEndpoint,
      MeterRegistry meterRegistry) {
    return new KafkaServer(
        properties.listener().port(),
        properties.listener().maxRequestBytes(),
        requestDispatcher,
        advertisedEndpoint,
        meterRegistry);
  }

  @Bean
  HealthIndicator kafkaListenerHealthIndicator(KafkaServer kafkaServer) {
    return new KafkaListenerHealthIndicator(kafkaServer);
  }
}
