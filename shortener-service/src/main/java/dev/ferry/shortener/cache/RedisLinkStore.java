package dev.ferry.shortener.cache;

import dev.ferry.common.concurrent.Throttle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

/**
 * The L2 cache in Redis, shared by all instances, and the invalidation channel.
 *
 * <p>Commands go through Lettuce's reactive API, so a redirect that reaches L2 holds no thread
 * while Redis answers: the reply completes it on Lettuce's event loop.
 *
 * <p>Redis is an optimisation here, never a dependency: every operation that fails (Redis down,
 * timeout) is counted in {@code ferry.shortener.cache.l2.errors} and treated as a miss or a no-op,
 * so redirects go on from L1 and Postgres. The Lettuce client is configured to reject commands at
 * once while disconnected (see {@link CacheConfiguration}), so an outage costs no waiting; a Redis
 * that hangs costs at most {@code spring.data.redis.timeout} per command, since Spring Boot enables
 * Lettuce's {@code TimeoutOptions}, which time out reactive commands too, on Netty's wheel timer.
 * (A Reactor {@code timeout()} per read did the same for 7 % of the CPU of the instance serving L2
 * redirects in a profile: a task scheduled on the parallel scheduler per command.)
 *
 * <p>Thread-safe: {@link ReactiveStringRedisTemplate} is.
 */
final class RedisLinkStore {

  private static final Logger log = LoggerFactory.getLogger(RedisLinkStore.class);

  private final ReactiveStringRedisTemplate redis;
  private final CacheProperties properties;
  private final Counter errors;

  /** During an outage every request fails, and the metric counts them: one warning per 10 s. */
  private final Throttle warnings = new Throttle(Duration.ofSeconds(10));

  RedisLinkStore(
      ReactiveStringRedisTemplate redis, CacheProperties properties, MeterRegistry registry) {
    this.redis = redis;
    this.properties = properties;
    this.errors =
        Counter.builder("ferry.shortener.cache.l2.errors")
            .description("Redis operations of the link cache that failed and were skipped")
            .register(registry);
  }

  /**
   * The cached lookup of {@code code}; empty on a miss, on an unreadable value, or when Redis
   * cannot be reached.
   */
  Mono<CachedLookup> get(String code) {
    return redis
        .opsForValue()
        .get(properties.keyPrefix() + code)
        .mapNotNull(LookupCodec::decode)
        .onErrorResume(e -> failed("read", e));
  }

  /** Stores {@code lookup}; completes when Redis has it or has failed to take it. */
  Mono<Void> put(String code, CachedLookup lookup) {
    Duration ttl =
        Duration.ofSeconds(
            lookup.absent() ? properties.negativeTtlSeconds() : properties.l2TtlSeconds());
    return redis
        .opsForValue()
        .set(properties.keyPrefix() + code, LookupCodec.encode(lookup), ttl)
        .then()
        .onErrorResume(e -> failed("write", e));
  }

  /**
   * Deletes {@code code} from L2 and tells every instance to evict it from L1; emits whether Redis
   * took both, false after a failure or timeout (counted), which the caller keeps for a replay.
   */
  Mono<Boolean> invalidate(String code) {
    return redis
        .delete(properties.keyPrefix() + code)
        .then(redis.convertAndSend(properties.invalidationChannel(), code))
        .thenReturn(true)
        .onErrorResume(e -> this.<Boolean>failed("invalidate", e).defaultIfEmpty(false));
  }

  private <T> Mono<T> failed(String operation, Throwable e) {
    errors.increment();
    if (warnings.tryAcquire()) {
      log.warn("Redis {} failed; serving from L1 and Postgres: {}", operation, e.toString());
    }
    return Mono.empty();
  }
}
