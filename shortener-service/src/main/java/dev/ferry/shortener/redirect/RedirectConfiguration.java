package dev.ferry.shortener.redirect;

import dev.ferry.shortener.analytics.ClickRecorder;
import dev.ferry.shortener.cache.LinkCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.util.function.SingletonSupplier;

@Configuration(proxyBeanMethods = false)
class RedirectConfiguration {

  @Bean
  RedirectCounters redirectCounters(MeterRegistry registry) {
    return new RedirectCounters(registry);
  }

  @Bean
  RedirectAnswers redirectAnswers(
      RedirectProperties properties, RedirectCounters counters, ClickRecorder clicks) {
    return new RedirectAnswers(properties, counters, clicks);
  }

  /**
   * Answers redirects below WebFlux. The application's {@code HttpHandler} (what Spring Boot's own
   * route would call) is fetched on the first request the route hands on, when the context has it.
   */
  @Bean
  RedirectRoute redirectRoute(
      LinkCache cache,
      RedirectAnswers answers,
      Clock clock,
      ObjectProvider<HttpHandler> httpHandler) {
    return new RedirectRoute(
        cache,
        answers,
        clock,
        SingletonSupplier.of(() -> new ReactorHttpHandlerAdapter(httpHandler.getObject())));
  }

  /**
   * No {@code http.server.requests} observation for redirects: a timer with a percentile histogram
   * and tags built per request, on the path that must add almost nothing per request (profiles of
   * the MVC version put Micrometer's observation at about 11% of its samples). Redirects are
   * counted by status in {@code ferry.shortener.redirects} and by cache level in {@code
   * ferry.shortener.cache.lookups} instead; every other request is observed as before.
   */
  @Bean
  ObservationPredicate noRequestObservationOfRedirects() {
    return (name, context) ->
        !(context instanceof ServerRequestObservationContext server
            && server.getCarrier().getMethod() == HttpMethod.GET
            && RedirectPaths.code(server.getCarrier().getPath().value()) != null);
  }
}
