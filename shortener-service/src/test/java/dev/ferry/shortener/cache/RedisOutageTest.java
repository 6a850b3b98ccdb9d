package dev.ferry.shortener.cache;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.shortener.ShortenerApplication;
import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerInfrastructure;
import dev.ferry.testkit.EmbeddedRedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A shortener whose Redis (a private one) goes away and comes back: redirects keep working from L1
 * and Postgres while it is gone, and the L2 fills again once it returns.
 */
@SpringBootTest(
    classes = ShortenerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisOutageTest {

  private static final EmbeddedRedisServer REDIS = EmbeddedRedisServer.start();
  private static final String PREFIX = "outage:link:";

  @LocalServerPort int port;
  @Autowired StringRedisTemplate redis;
  @Autowired MeterRegistry registry;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    Map<String, String> properties = ShortenerInfrastructure.properties("outage");
    properties.put("spring.data.redis.port", Integer.toString(REDIS.port()));
    properties.put("ferry.shortener.cache.key-prefix", PREFIX);
    properties.forEach((name, value) -> registry.add(name, () -> value));
  }

  @AfterAll
  static void stopRedis() {
    REDIS.close();
  }

  @Test
  void redirectsSurviveARedisOutageAndTheSecondLevelRecoversAfterIt() throws Exception {
    Http http = new Http(port);
    String cached = created(http, "https://example.com/cached");
    assertThat(http.get("/" + cached).status()).isEqualTo(301);
    assertThat(redis.hasKey(PREFIX + cached)).isTrue();

    REDIS.stop();
    String createdDuringOutage = created(http, "https://example.com/during");

    assertThat(http.get("/" + cached).header("Location")).contains("https://example.com/cached");
    assertThat(http.get("/" + createdDuringOutage).header("Location"))
        .contains("https://example.com/during");
    assertThat(http.get("/unknown-during-outage").status()).isEqualTo(404);
    Http.Response patched =
        http.patch(
            "/api/v1/urls/" + cached,
            Http.toJson(Map.of("long_url", "https://example.com/patched")),
            "X-API-Key",
            ALICE_KEY);
    assertThat(patched.status()).isEqualTo(200);
    assertThat(http.get("/" + cached).header("Location")).contains("https://example.com/patched");
    assertThat(registry.get("ferry.shortener.cache.l2.errors").counter().count()).isPositive();

    REDIS.restart();
    String createdAfter = created(http, "https://example.com/after");
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(http.get("/" + createdAfter).status()).isEqualTo(301);
              assertThat(redis.hasKey(PREFIX + createdAfter)).isTrue();
            });
  }

  private static String created(Http http, String longUrl) {
    Http.Response response =
        http.post(
            "/api/v1/shorten", Http.toJson(Map.of("long_url", longUrl)), "X-API-Key", ALICE_KEY);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return (String) response.json().get("short_code");
  }
}
