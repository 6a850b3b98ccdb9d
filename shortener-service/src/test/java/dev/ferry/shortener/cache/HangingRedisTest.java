package dev.ferry.shortener.cache;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ferry.shortener.ShortenerApplication;
import dev.ferry.shortener.support.FreezableProxy;
import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerInfrastructure;
import dev.ferry.testkit.EmbeddedRedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Redis that stops answering without closing its connections (unlike a stopped Redis, which
 * refuses them, see {@link InfrastructureOutageTest}): L2 reads must give up after {@code
 * spring.data.redis.timeout}, the command timeout Lettuce applies to every command, reactive ones
 * included, and redirects go on from Postgres. L1 is off, so every redirect asks Redis.
 */
@SpringBootTest(
    classes = ShortenerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HangingRedisTest {

  private static final FreezableProxy REDIS =
      FreezableProxy.to(EmbeddedRedisServer.shared().port());

  @LocalServerPort int port;
  @Autowired MeterRegistry registry;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    Map<String, String> properties = ShortenerInfrastructure.properties("hanging");
    properties.put("spring.data.redis.port", Integer.toString(REDIS.port()));
    properties.put("spring.data.redis.timeout", "300ms");
    properties.put("ferry.shortener.cache.l1-enabled", "false");
    properties.forEach((name, value) -> registry.add(name, () -> value));
  }

  @AfterAll
  static void closeProxy() throws IOException {
    REDIS.close();
  }

  @Test
  void redirectsGoOnFromPostgresWhileRedisHangsAndUseRedisAgainAfterwards() {
    Http http = new Http(port);
    String code = http.shortCodeFor("https://example.com/hanging", ALICE_KEY);
    assertThat(http.get("/" + code).status()).isEqualTo(301);
    double errorsBefore = l2Errors();

    REDIS.freeze();
    try {
      // Without a timeout on L2 reads these requests would wait for Redis for ever.
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () -> {
            for (int i = 0; i < 3; i++) {
              Http.Response redirect = http.get("/" + code);
              assertThat(redirect.status()).isEqualTo(301);
              assertThat(redirect.header("Location")).contains("https://example.com/hanging");
            }
            assertThat(http.get("/unknown-while-hanging").status()).isEqualTo(404);
          });
      assertThat(l2Errors()).isGreaterThanOrEqualTo(errorsBefore + 3);
    } finally {
      REDIS.thaw();
    }

    assertThat(http.get("/" + code).header("Location")).contains("https://example.com/hanging");
  }

  private double l2Errors() {
    return registry.get("ferry.shortener.cache.l2.errors").counter().count();
  }
}
