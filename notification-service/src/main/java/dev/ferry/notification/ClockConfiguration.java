package dev.ferry.notification;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one source of "now" for every feature: scheduling, quiet hours, retries, expiry and
 * idempotency retention all read this clock, so tests can move time instead of sleeping.
 */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
