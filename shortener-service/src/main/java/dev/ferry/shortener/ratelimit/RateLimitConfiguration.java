package dev.ferry.shortener.ratelimit;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

  @Bean(destroyMethod = "close")
  LazyRedisBuckets redisBuckets(LettuceConnectionFactory connectionFactory) {
    return new LazyRedisBuckets(connectionFactory);
  }

  @Bean
  BucketRateLimiter creationLimiter(
      RateLimitProperties properties, LazyRedisBuckets redisBuckets, MeterRegistry registry) {
    return new BucketRateLimiter(properties, redisBuckets, registry);
  }

  /**
   * Opens Bucket4j's own Lettuce connection (String keys, byte[] state) on first use rather than at
   * start-up, so the service starts while Redis is down, and retries on the next call if opening
   * fails. Lettuce reconnects an opened connection by itself.
   */
  static final class LazyRedisBuckets implements Supplier<ProxyManager<String>>, AutoCloseable {

    private final LettuceConnectionFactory connectionFactory;
    // Written once under the lock; volatile so that readers outside the lock see it complete.
    private volatile ProxyManager<String> proxyManager;
    private StatefulRedisConnection<String, byte[]> connection;

    LazyRedisBuckets(LettuceConnectionFactory connectionFactory) {
      this.connectionFactory = connectionFactory;
    }

    @Override
    public ProxyManager<String> get() {
      ProxyManager<String> manager = proxyManager;
      if (manager == null) {
        synchronized (this) {
          if (proxyManager == null) {
            RedisClient client = (RedisClient) connectionFactory.getRequiredNativeClient();
            connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            connection.setTimeout(Duration.ofMillis(500));
            proxyManager =
                Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                            Duration.ofSeconds(10)))
                    .build();
          }
          manager = proxyManager;
        }
      }
      return manager;
    }

    @Override
    public synchronized void close() {
      if (connection != null) {
        connection.close();
      }
    }
  }
}
