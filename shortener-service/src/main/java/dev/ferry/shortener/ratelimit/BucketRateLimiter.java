package dev.ferry.shortener.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ferry.shortener.apikey.Caller;
import dev.ferry.shortener.link.CreationLimiter;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;

/**
 * Token buckets per caller, kept in Redis through Bucket4j so that every instance draws from the
 * same allowance (the bucket state is updated by compare-and-swap in Redis).
 *
 * <p>When Redis cannot be reached, the limiter falls back to buckets in this instance's memory
 * rather than refusing all creation or letting it through unlimited: each instance then enforces
 * the limit on its own, so a caller gets at most the limit times the number of instances until
 * Redis is back. The fallback is counted in {@code ferry.shortener.ratelimit.fallbacks}.
 *
 * <p>Headers follow the IETF RateLimit fields draft: {@code RateLimit-Limit}, {@code
 * RateLimit-Remaining} and {@code RateLimit-Reset} (seconds until the allowance is full again).
 *
 * <p>Thread-safe: bucket operations are atomic in Redis or in the local bucket.
 */
final class BucketRateLimiter implements CreationLimiter {

  private static final Logger log = LoggerFactory.getLogger(BucketRateLimiter.class);
  private static final String KEY_PREFIX = "ferry:ratelimit:create:";

  private final RateLimitProperties properties;
  private final Supplier<ProxyManager<String>> redisBuckets;
  private final Cache<String, Bucket> localBuckets;
  private final Counter fallbacks;
  private final Counter rejections;

  BucketRateLimiter(
      RateLimitProperties properties,
      Supplier<ProxyManager<String>> redisBuckets,
      MeterRegistry registry) {
    this.properties = properties;
    this.redisBuckets = redisBuckets;
    this.localBuckets =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofSeconds(properties.periodSeconds()))
            .build();
    this.fallbacks =
        Counter.builder("ferry.shortener.ratelimit.fallbacks")
            .description("Rate-limit checks made in local memory because Redis was unreachable")
            .register(registry);
    this.rejections =
        Counter.builder("ferry.shortener.ratelimit.rejections")
            .description("Link creations refused with 429")
            .register(registry);
  }

  @Override
  public HttpHeaders acquire(Caller caller, int links) {
    if (!properties.enabled()) {
      return new HttpHeaders();
    }
    long limit = limitOf(caller);
    ConsumptionProbe probe = consume(caller.id(), limit, links);
    HttpHeaders headers = new HttpHeaders();
    headers.set("RateLimit-Limit", Long.toString(limit));
    headers.set("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
    headers.set("RateLimit-Reset", Long.toString(seconds(probe.getNanosToWaitForReset())));
    if (!probe.isConsumed()) {
      rejections.increment();
      long retryAfter =
          links > limit
              ? properties.periodSeconds()
              : Math.max(1, seconds(probe.getNanosToWaitForRefill()));
      throw RateLimitedException.of(limit, properties.periodSeconds(), retryAfter, headers);
    }
    return headers;
  }

  private ConsumptionProbe consume(String callerId, long limit, int tokens) {
    BucketConfiguration configuration = configuration(limit);
    try {
      return redisBuckets
          .get()
          .builder()
          .build(KEY_PREFIX + callerId, () -> configuration)
          .tryConsumeAndReturnRemaining(tokens);
    } catch (RuntimeException e) {
      fallbacks.increment();
      log.debug("Rate limit for {} checked locally: Redis failed: {}", callerId, e.toString());
      return localBuckets
          .get(callerId, id -> Bucket.builder().addLimit(bandwidth(limit)).build())
          .tryConsumeAndReturnRemaining(tokens);
    }
  }

  private BucketConfiguration configuration(long limit) {
    return BucketConfiguration.builder().addLimit(bandwidth(limit)).build();
  }

  private Bandwidth bandwidth(long limit) {
    return Bandwidth.builder()
        .capacity(limit)
        .refillIntervally(limit, Duration.ofSeconds(properties.periodSeconds()))
        .build();
  }

  private long limitOf(Caller caller) {
    return switch (caller.tier()) {
      case ANONYMOUS -> properties.anonymous();
      case AUTHENTICATED -> properties.authenticated();
      case PREMIUM -> properties.premium();
    };
  }

  private static long seconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
