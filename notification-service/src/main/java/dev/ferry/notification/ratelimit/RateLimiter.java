package dev.ferry.notification.ratelimit;

import dev.ferry.notification.NotificationProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Fixed-window counters in Redis, shared by every instance: key {@code
 * ferry:notification:rl:<scope>:<window-number>}, incremented and given an expiry of one window in
 * one Lua script so that a crash between the two never leaves an immortal key.
 *
 * <p>Redis being down must not stop notifications, so every error counts as allowed (fail open) and
 * is counted in {@code notification.ratelimit.errors}. Thread-safe.
 */
@Component
public class RateLimiter {

  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
  private static final RedisScript<Long> INCREMENT =
      new DefaultRedisScript<>(
          """
          local count = redis.call('INCR', KEYS[1])
          if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
          return count
          """,
          Long.class);

  private final StringRedisTemplate redis;
  private final NotificationProperties.RateLimit config;
  private final Clock clock;
  private final Counter errors;
  private final Counter denied;

  /** Whether the last check failed; only to log an outage once rather than per request. */
  private volatile boolean redisDown;

  RateLimiter(
      StringRedisTemplate redis,
      NotificationProperties properties,
      Clock clock,
      MeterRegistry registry) {
    this.redis = redis;
    this.config = properties.rateLimit();
    this.clock = clock;
    this.errors = registry.counter("notification.ratelimit.errors");
    this.denied = registry.counter("notification.ratelimit.denied");
  }

  /** Counts one send to {@code user} on {@code channel}; false if over the per-user limit. */
  public boolean tryUserChannel(String user, String channel) {
    return tryAcquire("user:" + user + ":" + channel, config.perUserChannel());
  }

  /**
   * Counts one request of {@code apiKey} (the {@code X-Api-Key} header; requests without one are
   * authenticated and limited by the gateway in front).
   *
   * @throws RateLimitExceededException if the key is over its limit in this window
   */
  public void checkApiKey(String apiKey) {
    if (apiKey != null && !apiKey.isBlank() && !tryAcquire("key:" + apiKey, config.perApiKey())) {
      throw RateLimitExceededException.forApiKey(secondsToWindowEnd());
    }
  }

  /** Seconds until the current window ends, for a Retry-After. */
  long secondsToWindowEnd() {
    long window = config.window().toMillis();
    long now = clock.millis();
    return Math.max(1, (window - now % window + 999) / 1000);
  }

  private boolean tryAcquire(String scope, int limit) {
    if (!config.enabled()) {
      return true;
    }
    long window = config.window().toMillis();
    String key = "ferry:notification:rl:" + scope + ":" + clock.millis() / window;
    try {
      Long count = redis.execute(INCREMENT, List.of(key), String.valueOf(window));
      redisDown = false;
      boolean allowed = count == null || count <= limit;
      if (!allowed) {
        denied.increment();
      }
      return allowed;
    } catch (RuntimeException e) {
      errors.increment();
      if (!redisDown) {
        redisDown = true;
        log.warn("Rate limits fail open: Redis cannot be reached", e);
      }
      return true;
    }
  }
}
