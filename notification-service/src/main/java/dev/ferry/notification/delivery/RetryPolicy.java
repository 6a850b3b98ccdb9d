package dev.ferry.notification.delivery;

import dev.ferry.notification.NotificationProperties;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the delay before retry n (after failed attempt n) is {@code
 * initialDelay * multiplier^(n-1)}, capped at {@code maxDelay}, then multiplied by a random factor
 * in {@code [1 - jitter, 1 + jitter]} so that deliveries failed by one outage do not all retry in
 * the same second. A provider's Retry-After is a floor. Thread-safe if the random source is.
 */
final class RetryPolicy {

  private final NotificationProperties.Retry config;
  private final DoubleSupplier random;

  /**
   * @param random uniform values in [0, 1)
   */
  RetryPolicy(NotificationProperties.Retry config, DoubleSupplier random) {
    this.config = config;
    this.random = random;
  }

  /** Whether a delivery whose attempt {@code attempt} failed may try again within {@code limit}. */
  boolean mayRetry(int attempt, int limit) {
    return attempt < limit;
  }

  /** The delay before the attempt after {@code failedAttempt} (1-based). */
  Duration delayAfter(int failedAttempt, Duration retryAfter) {
    double base =
        config.initialDelay().toMillis() * Math.pow(config.multiplier(), failedAttempt - 1);
    double capped = Math.min(base, config.maxDelay().toMillis());
    double factor = 1 + config.jitter() * (2 * random.getAsDouble() - 1);
    Duration delay = Duration.ofMillis(Math.round(capped * factor));
    if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
      return retryAfter;
    }
    return delay;
  }
}
