package dev.ferry.notification.provider;

import dev.ferry.common.concurrent.Throttle;
import dev.ferry.notification.Channel;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a message to its channel's primary provider and fails over to the secondary.
 *
 * <p>Each provider instance has a Resilience4j circuit breaker that counts outages (5xx, timeouts,
 * connection failures) as failures; rate limits and rejected recipients are the caller's problem,
 * not the provider's, and count as successes. When the primary's breaker is open, or the primary
 * reports an outage, the secondary is tried at once. Rate limits do not fail over: the retry
 * honours the provider's Retry-After instead, so that a throttled primary is not traded for
 * silently doubled cost.
 *
 * <p>Thread-safe: routes are fixed at construction and breakers are thread-safe.
 */
public final class ChannelRouter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChannelRouter.class);

  private final Map<Channel, List<NotificationProvider>> routes;
  private final CircuitBreakerRegistry breakers;
  private final MeterRegistry registry;
  private final Throttle outageWarnings = new Throttle(Duration.ofSeconds(10));

  ChannelRouter(
      Map<Channel, List<NotificationProvider>> routes,
      CircuitBreakerRegistry breakers,
      MeterRegistry registry) {
    this.routes = new EnumMap<>(routes);
    this.breakers = breakers;
    this.registry = registry;
  }

  /**
   * Sends {@code message}, returning every provider call made, in order (one, or two on failover).
   * The last entry is the outcome.
   */
  public List<ProviderResult> send(OutboundMessage message) {
    List<ProviderResult> calls = new ArrayList<>(2);
    List<NotificationProvider> providers = routes.get(message.channel());
    for (int i = 0; i < providers.size(); i++) {
      NotificationProvider provider = providers.get(i);
      CircuitBreaker breaker = breakers.circuitBreaker(provider.name());
      if (!breaker.tryAcquirePermission()) {
        calls.add(
            ProviderResult.Failed.of(
                provider.name(), FailureKind.UNAVAILABLE, "circuit open for " + provider.name()));
        continue;
      }
      long start = System.nanoTime();
      ProviderResult result = provider.send(message);
      long elapsed = System.nanoTime() - start;
      if (result instanceof ProviderResult.Failed failed
          && failed.kind() == FailureKind.UNAVAILABLE) {
        breaker.onError(elapsed, TimeUnit.NANOSECONDS, new ProviderOutage(failed.error()));
        warnOutage(provider, message, elapsed, failed);
      } else {
        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
      }
      registry
          .timer(
              "notification.provider.calls",
              "provider",
              provider.name(),
              "outcome",
              outcome(result))
          .record(elapsed, TimeUnit.NANOSECONDS);
      calls.add(result);
      if (!(result instanceof ProviderResult.Failed failed) || !failed.kind().failover()) {
        return calls;
      }
      if (i + 1 < providers.size()) {
        log.info(
            "Failing over {} delivery {} from {} to {}: {}",
            message.channel().wire(),
            message.deliveryId(),
            provider.name(),
            providers.get(i + 1).name(),
            failed.error());
        registry.counter("notification.failovers", "channel", message.channel().wire()).increment();
      }
    }
    return calls;
  }

  /**
   * Logs a call that found its provider unavailable (5xx, timeout, connection failure), at most
   * once every ten seconds: during an outage every call fails, and the metrics count them.
   */
  private void warnOutage(
      NotificationProvider provider,
      OutboundMessage message,
      long elapsedNanos,
      ProviderResult.Failed failed) {
    if (outageWarnings.tryAcquire()) {
      log.warn(
          "{} call for {} delivery {} failed after {} ms: {}",
          provider.name(),
          message.channel().wire(),
          message.deliveryId(),
          TimeUnit.NANOSECONDS.toMillis(elapsedNanos),
          failed.error());
    }
  }

  /** Releases SDK resources (FCM apps); Spring calls this when the context closes. */
  @Override
  public void close() {
    routes.values().stream()
        .flatMap(List::stream)
        .distinct()
        .filter(AutoCloseable.class::isInstance)
        .forEach(
            provider -> {
              try {
                ((AutoCloseable) provider).close();
              } catch (Exception e) {
                log.warn("Provider {} did not close cleanly: {}", provider.name(), e.toString());
              }
            });
  }

  private static String outcome(ProviderResult result) {
    return result instanceof ProviderResult.Failed failed
        ? failed.kind().name().toLowerCase()
        : "sent";
  }

  /** What the breaker records for an outage; never thrown. */
  private static final class ProviderOutage extends RuntimeException {
    ProviderOutage(String message) {
      super(message, null, false, false);
    }
  }
}
