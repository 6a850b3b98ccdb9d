package dev.ferry.notification.delivery;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

  /**
   * A message whose processing throws (Postgres unreachable) is retried every second for as long as
   * it takes, never skipped: skipping would leave its delivery queued with no message. Bad messages
   * do not throw, so they cannot block a partition.
   */
  @Bean
  CommonErrorHandler deliveryErrorHandler() {
    return new DefaultErrorHandler(new FixedBackOff(1000, FixedBackOff.UNLIMITED_ATTEMPTS));
  }
}
