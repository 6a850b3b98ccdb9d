package dev.ferry.notification.provider;

import dev.ferry.notification.Channel;
import dev.ferry.notification.NotificationProperties;
import dev.ferry.notification.NotificationProperties.ProviderInstance;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the provider instances the channel routes name (and only those, so an unused provider
 * needs no credentials) and the router over them.
 */
@Configuration(proxyBeanMethods = false)
class ProviderConfiguration {

  @Bean
  CircuitBreakerRegistry providerCircuitBreakers(NotificationProperties properties) {
    NotificationProperties.CircuitBreaker config = properties.circuitBreaker();
    return CircuitBreakerRegistry.of(
        CircuitBreakerConfig.custom()
            .failureRateThreshold(config.failureRateThreshold())
            .slidingWindowSize(config.slidingWindowSize())
            .minimumNumberOfCalls(config.minimumCalls())
            .waitDurationInOpenState(config.openDuration())
            .build());
  }

  @Bean
  ChannelRouter channelRouter(
      NotificationProperties properties,
      CircuitBreakerRegistry breakers,
      MeterRegistry registry,
      Clock clock) {
    Map<String, NotificationProvider> built = new HashMap<>();
    Map<Channel, List<NotificationProvider>> routes = new EnumMap<>(Channel.class);
    for (Channel channel : Channel.values()) {
      NotificationProperties.Route route = properties.channels().route(channel);
      List<NotificationProvider> providers = new ArrayList<>(2);
      for (String name : List.of(route.primary(), route.secondary())) {
        if (!name.isBlank()) {
          providers.add(built.computeIfAbsent(name, n -> create(n, properties, clock)));
        }
      }
      routes.put(channel, providers);
    }
    return new ChannelRouter(routes, breakers, registry);
  }

  private static NotificationProvider create(
      String name, NotificationProperties properties, Clock clock) {
    ProviderInstance config = properties.providers().get(name);
    if (config == null) {
      throw new IllegalStateException(
          "ferry.notification.channels names provider '"
              + name
              + "', which is not defined under ferry.notification.providers");
    }
    return switch (config.type()) {
      case "fcm" -> new FcmPushProvider(name, config, clock);
      case "sendgrid" -> new SendGridEmailProvider(name, config, clock);
      case "twilio" -> new TwilioSmsProvider(name, config, twilioCallback(properties));
      default -> new LoggingProvider(name);
    };
  }

  private static String twilioCallback(NotificationProperties properties) {
    String base = properties.webhooks().publicBaseUrl();
    return base.isBlank() ? null : base.replaceAll("/+$", "") + "/api/v1/webhooks/twilio";
  }
}
