package dev.ferry.shortener.ratelimit;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static dev.ferry.shortener.support.ShortenerInfrastructure.BOB_KEY;
import static dev.ferry.shortener.support.ShortenerInfrastructure.PAULA_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.shortener.ShortenerApplication;
import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerInfrastructure;
import dev.ferry.testkit.EmbeddedRedisServer;
import dev.ferry.testkit.FreePorts;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A shortener with small creation limits (anonymous 3, authenticated 5, premium 8 per hour), a
 * private Redis holding the buckets, and neither keygen-service nor Kafka to reach.
 */
@SpringBootTest(
    classes = ShortenerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OutagesAndRateLimitsTest {

  private static final EmbeddedRedisServer REDIS = EmbeddedRedisServer.start();
  private static final AtomicInteger ALIASES = new AtomicInteger();

  @LocalServerPort int port;
  @Autowired StringRedisTemplate redis;
  @Autowired MeterRegistry registry;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    Map<String, String> properties = ShortenerInfrastructure.properties("limits");
    properties.put("spring.data.redis.port", Integer.toString(REDIS.port()));
    properties.put("ferry.shortener.links.keygen.base-url", "http://127.0.0.1:" + FreePorts.find());
    properties.put("ferry.shortener.links.keygen.timeout-ms", "500");
    properties.put("spring.kafka.bootstrap-servers", "127.0.0.1:" + FreePorts.find());
    properties.put("spring.kafka.admin.auto-create", "false");
    // Clicks Kafka does not take are retried for a second, then dropped and counted.
    properties.put("ferry.shortener.analytics.retry-seconds", "1");
    properties.put("ferry.shortener.rate-limits.anonymous", "3");
    properties.put("ferry.shortener.rate-limits.authenticated", "5");
    properties.put("ferry.shortener.rate-limits.premium", "8");
    properties.forEach((name, value) -> registry.add(name, () -> value));
  }

  @AfterAll
  static void stopRedis() {
    REDIS.close();
  }

  @Test
  void generatedCodeAnswers503WithRetryAfterWhileKeygenIsUnreachable() {
    Http.Response response =
        new Http(port)
            .post(
                "/api/v1/shorten",
                Http.toJson(Map.of("long_url", "https://example.com/")),
                "X-API-Key",
                PAULA_KEY);

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.header("Retry-After")).hasValue("5");
    assertThat(response.json()).containsEntry("type", "https://ferry.dev/problems/unavailable");
  }

  @Test
  void redirectsSucceedWhileKafkaIsDownAndClicksPastTheRetryWindowAreCountedAsDropped() {
    Http.Response created = createWithAlias(PAULA_KEY);
    String code = (String) created.json().get("short_code");

    for (int i = 0; i < 3; i++) {
      assertThat(new Http(port).get("/" + code).status()).isEqualTo(301);
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        registry
                            .get("ferry.shortener.clicks.dropped")
                            .tag("reason", "expired")
                            .counter()
                            .count())
                    .isEqualTo(3.0));
  }

  @Test
  void customAliasNeedsNoKeygenAndStillWorksWhileItIsDown() {
    assertThat(createWithAlias(PAULA_KEY).status()).isEqualTo(201);
  }

  @Test
  void anonymousCallerGets429WithRetryAfterAfterItsAllowance() {
    List<Http.Response> responses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      responses.add(createWithAlias(null));
    }

    assertThat(responses).extracting(Http.Response::status).containsExactly(201, 201, 201, 429);
    assertThat(responses)
        .extracting(response -> response.header("RateLimit-Remaining").orElseThrow())
        .containsExactly("2", "1", "0", "0");
    Http.Response refused = responses.get(3);
    assertThat(refused.header("RateLimit-Limit")).hasValue("3");
    assertThat(Long.parseLong(refused.header("Retry-After").orElseThrow())).isPositive();
    assertThat(refused.json()).containsEntry("type", "https://ferry.dev/problems/rate-limited");
  }

  @Test
  void authenticatedKeyHasItsOwnLargerAllowanceKeptInRedis() {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      statuses.add(createWithAlias(ALICE_KEY).status());
    }

    assertThat(statuses).containsExactly(201, 201, 201, 201, 201, 429);
    assertThat(redis.hasKey("ferry:ratelimit:create:alice")).isTrue();
  }

  @Test
  void batchLargerThanTheRemainingAllowanceIsRefusedWhole() {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      items.add(Map.of("long_url", "https://example.com/", "custom_alias", alias()));
    }

    Http.Response response =
        new Http(port)
            .post(
                "/api/v1/shorten/batch", Http.toJson(Map.of("links", items)), "X-API-Key", BOB_KEY);

    assertThat(response.status()).isEqualTo(429);
    assertThat(createWithAlias(BOB_KEY).status()).isEqualTo(201);
  }

  private Http.Response createWithAlias(String apiKey) {
    String body = Http.toJson(Map.of("long_url", "https://example.com/", "custom_alias", alias()));
    Http http = new Http(port);
    return apiKey == null
        ? http.post("/api/v1/shorten", body)
        : http.post("/api/v1/shorten", body, "X-API-Key", apiKey);
  }

  private static String alias() {
    return "limit-" + ALIASES.incrementAndGet() + "-" + System.nanoTime() % 100_000;
  }
}
