package dev.ferry.notification.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.notification.NotificationProperties;
import dev.ferry.testkit.EmbeddedRedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The limiter against a real Redis of its own, including Redis going away. */
class RateLimiterTest {

  private final EmbeddedRedisServer redis = EmbeddedRedisServer.start();
  private final LettuceConnectionFactory connections =
      new LettuceConnectionFactory(
          new RedisStandaloneConfiguration("127.0.0.1", redis.port()),
          LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
  private final RateLimiter limiter;

  RateLimiterTest() {
    connections.afterPropertiesSet();
    NotificationProperties properties =
        new Binder(
                new MapConfigurationPropertySource(
                    java.util.Map.of(
                        "ferry.notification.rate-limit.per-user-channel", "3",
                        "ferry.notification.rate-limit.per-api-key", "2",
                        "ferry.notification.rate-limit.window", "1h")))
            .bindOrCreate("ferry.notification", NotificationProperties.class);
    limiter =
        new RateLimiter(
            new StringRedisTemplate(connections),
            properties,
            Clock.systemUTC(),
            new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    connections.destroy();
    redis.close();
  }

  @Test
  void allowsTheLimitPerUserAndChannelThenRefusesAndKeepsOtherChannelsApart() {
    String user = "user-" + UUID.randomUUID();

    assertThat(limiter.tryUserChannel(user, "sms")).isTrue();
    assertThat(limiter.tryUserChannel(user, "sms")).isTrue();
    assertThat(limiter.tryUserChannel(user, "sms")).isTrue();
    assertThat(limiter.tryUserChannel(user, "sms")).isFalse();
    assertThat(limiter.tryUserChannel(user, "email")).isTrue();
  }

  @Test
  void countsABatchOfSendsInOrderAsIfOneByOne() {
    String user = "user-" + UUID.randomUUID();
    RateLimiter.UserChannel sms = new RateLimiter.UserChannel(user, "sms");

    assertThat(
            limiter.tryUserChannels(
                List.of(sms, sms, new RateLimiter.UserChannel(user, "email"), sms, sms)))
        .containsExactly(true, true, true, true, false);
    assertThat(limiter.tryUserChannel(user, "sms")).isFalse();
  }

  @Test
  void apiKeyOverItsLimitIsRefusedWithTheSecondsLeftInTheWindow() {
    String key = "key-" + UUID.randomUUID();
    limiter.checkApiKey(key);
    limiter.checkApiKey(key);

    assertThatThrownBy(() -> limiter.checkApiKey(key))
        .isInstanceOfSatisfying(
            RateLimitExceededException.class,
            e -> assertThat(e.retryAfterSeconds()).isBetween(1L, 3600L));
    limiter.checkApiKey(null);
  }

  @Test
  void failsOpenWhenRedisIsDown() {
    String user = "user-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      limiter.tryUserChannel(user, "sms");
    }
    redis.stop();

    assertThat(limiter.tryUserChannel(user, "sms")).isTrue();
  }
}
