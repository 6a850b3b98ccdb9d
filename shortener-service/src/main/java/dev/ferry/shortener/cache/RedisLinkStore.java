package dev.ferry.shortener.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The L2 cache in Redis, shared by all instances, and the invalidation channel.
 *
 * <p>Redis is an optimisation here, never a dependency: every operation that fails (Redis down,
 * timeout) is counted in {@code ferry.shortener.cache.l2.errors} and treated as a miss or a no-op,
 * so redirects go on from L1 and Postgres. The Lettuce client is configured to reject commands at
 * once while disconnected (see {@link CacheConfiguration}), so an outage costs no waiting.
 *
 * <p>Thread-safe: {@link StringRedisTemplate} is.
 */
final class RedisLinkStore {

  private static final Logger log = LoggerFactory.getLogger(RedisLinkStore.class);

  private final StringRedisTemplate redis;
  private final CacheProperties properties;
  private final Counter errors;
  private volatile long lastWarningMillis;

  RedisLinkStore(StringRedisTemplate redis, CacheProperties properties, MeterRegistry registry) {
    this.redis = redis;
    this.properties = properties;
    this.errors =
        Counter.builder("ferry.shortener.cache.l2.errors")
            .description("Redis operations of the link cache that failed and were skipped")
            .register(registry);
  }

  /** The cached lookup of {@code code}, or null on a miss or when Redis cannot be reached. */
  CachedLookup get(String code) {
    try {
      String value = redis.opsForValue().get(properties.keyPrefix() + code);
      return value == null ? null : LookupCodec.decode(value);
    } catch (RuntimeException e) {
      failed("read", e);
      return null;
    }
  }

  void put(String code, CachedLookup lookup) {
    Duration ttl =
        Duration.ofSeconds(
            lookup.absent() ? properties.negativeTtlSeconds() : properties.l2TtlSeconds());
    try {
      redis.opsForValue().set(properties.keyPrefix() + code, LookupCodec.encode(lookup), ttl);
    } catch (RuntimeException e) {
      failed("write", e);
    }
  }

  /**
   * Deletes {@code code} from L2 and tells every instance to evict it from L1; returns whether
   * Redis took both, false after a failure (counted), which the caller keeps for a replay.
   */
  boolean invalidate(String code) {
    try {
      redis.delete(properties.keyPrefix() + code);
      redis.convertAndSend(properties.invalidationChannel(), code);
      return true;
    } catch (RuntimeException e) {
      failed("invalidate", e);
      return false;
    }
  }

  private void failed(String operation, RuntimeException e) {
    errors.increment();
    // One warning per ten seconds: during an outage every request fails, and the metric counts
    // them.
    long now = System.currentTimeMillis();
    if (now - lastWarningMillis > 10_000) {
      lastWarningMillis = now;
      log.warn("Redis {} failed; serving from L1 and Postgres: {}", operation, e.toString());
    }
  }
}
