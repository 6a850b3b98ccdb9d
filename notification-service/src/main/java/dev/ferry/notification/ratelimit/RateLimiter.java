package dev.ferry.notification.ratelimit;

import dev.ferry.notification.NotificationProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Fixed-window counters in Redis, shared by every instance: key {@code
 * ferry:notification:rl:<scope>:<window-number>}. Each count is {@code SET key 0 PX window NX}
 * followed by {@code INCR key}: the key gets its expiry when it is created, so a key never lives
 * without one. All counts of a call run as one Lua script ({@code EVALSHA}) on the template's
 * shared connection: one round trip however many counts (a batch of 1000 notifications costs one,
 * not 1000). This replaced a Spring Data Redis pipeline, which took one round trip too but, as
 * profiled under the benchmark, opened and closed a Redis connection per call (connect and
 * handshake under the connection factory's lock, serialising every accept). The keys of one call
 * are passed as {@code KEYS}; on a Redis Cluster they would have to share a hash slot.
 *
 * <p>Redis being down must not stop notifications, so every error counts as allowed (fail open) and
 * is counted in {@code notification.ratelimit.errors}. Thread-safe.
 */
@Component
public class RateLimiter {

  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

  /** Counts one send per key (its window in ms as ARGV[1]); returns the counts in key order. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final RedisScript<List<Long>> COUNT =
      (RedisScript)
          RedisScript.of(
              """
              local counts = {}
              for i, key in ipairs(KEYS) do
                redis.call('SET', key, '0', 'PX', ARGV[1], 'NX')
                counts[i] = redis.call('INCR', key)
              end
              return counts
              """,
              List.class);

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
    return tryUserChannels(List.of(new UserChannel(user, channel))).get(0);
  }

  /** A send to count: one user on one channel. */
  public record UserChannel(String user, String channel) {}

  /**
   * Counts one send per element of {@code sends}, in order, in one round trip; the result says for
   * each whether it is within the per-user limit. A user twice in {@code sends} counts twice.
   */
  public List<Boolean> tryUserChannels(List<UserChannel> sends) {
    return tryAcquire(
        sends.stream().map(send -> "user:" + send.user() + ":" + send.channel()).toList(),
        config.perUserChannel());
  }

  /**
   * Counts one request of {@code apiKey} (the {@code X-Api-Key} header; requests without one are
   * authenticated and limited by the gateway in front).
   *
   * @throws RateLimitExceededException if the key is over its limit in this window
   */
  public void checkApiKey(String apiKey) {
    if (apiKey != null
        && !apiKey.isBlank()
        && !tryAcquire(List.of("key:" + apiKey), config.perApiKey()).get(0)) {
      throw RateLimitExceededException.forApiKey(secondsToWindowEnd());
    }
  }

  /** Seconds until the current window ends, for a Retry-After. */
  long secondsToWindowEnd() {
    long window = config.window().toMillis();
    long now = clock.millis();
    return Math.max(1, (window - now % window + 999) / 1000);
  }

  private List<Boolean> tryAcquire(List<String> scopes, int limit) {
    if (!config.enabled() || scopes.isEmpty()) {
      return Collections.nCopies(scopes.size(), true);
    }
    long window = config.window().toMillis();
    long windowNumber = clock.millis() / window;
    try {
      List<Long> counts =
          redis.execute(
              COUNT,
              scopes.stream()
                  .map(scope -> "ferry:notification:rl:" + scope + ":" + windowNumber)
                  .toList(),
              Long.toString(window));
      redisDown = false;
      List<Boolean> allowed = new ArrayList<>(scopes.size());
      for (int i = 0; i < scopes.size(); i++) {
        boolean ok = counts == null || counts.get(i) <= limit;
        if (!ok) {
          denied.increment();
        }
        allowed.add(ok);
      }
      return allowed;
    } catch (RuntimeException e) {
      errors.increment();
      if (!redisDown) {
        redisDown = true;
        log.warn("Rate limits fail open: Redis cannot be reached", e);
      }
      return Collections.nCopies(scopes.size(), true);
    }
  }
}
