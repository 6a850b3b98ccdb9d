package dev.ferry.shortener.cache;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.shortener.ShortenerApplication;
import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances on the same shards and Redis: the test's own and a second one started here. A
 * change made through one must be seen through the other at once, although the other holds the old
 * answer in its L1 (whose TTL is five minutes): only the pub/sub invalidation can explain it.
 */
class CacheInvalidationTest extends ShortenerIntegrationTest {

  private static ConfigurableApplicationContext other;
  private static Http otherHttp;

  @Autowired MeterRegistry registry;

  @BeforeAll
  static void startSecondInstance() {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    deploymentProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
    other =
        new SpringApplicationBuilder(ShortenerApplication.class).run(args.toArray(String[]::new));
    otherHttp = new Http(((WebServerApplicationContext) other).getWebServer().getPort());
  }

  @AfterAll
  static void stopSecondInstance() {
    other.close();
  }

  @Test
  void patchThroughOneInstanceIsSeenByTheOtherDespiteItsL1() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/before");
    assertThat(otherHttp.get("/" + code).header("Location")).contains("https://example.com/before");
    assertThat(otherHttp.get("/" + code).header("Location")).contains("https://example.com/before");

    http.patch(
        "/api/v1/urls/" + code,
        Http.toJson(Map.of("long_url", "https://example.com/after")),
        "X-API-Key",
        ALICE_KEY);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(otherHttp.get("/" + code).header("Location"))
                    .contains("https://example.com/after"));
  }

  @Test
  void deleteThroughOneInstanceMakesTheOtherAnswer404() {
    String code = shortenUrl(ALICE_KEY, "https://example.com/short-lived");
    assertThat(otherHttp.get("/" + code).status()).isEqualTo(301);

    http.delete("/api/v1/urls/" + code, "X-API-Key", ALICE_KEY);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(otherHttp.get("/" + code).status()).isEqualTo(404));
  }

  @Test
  void repeatedLookupsOfAnUnknownCodeReachPostgresOnce() {
    String code = unique("ghost");
    double before = lookups("db", "miss");

    for (int i = 0; i < 25; i++) {
      assertThat(http.get("/" + code).status()).isEqualTo(404);
    }

    assertThat(lookups("db", "miss") - before).isEqualTo(1.0);
  }

  @Test
  void aliasCreatedAfterItsCodeWasCachedAsUnknownIsFoundAtOnce() {
    String alias = unique("later");
    assertThat(http.get("/" + alias).status()).isEqualTo(404);
    assertThat(otherHttp.get("/" + alias).status()).isEqualTo(404);

    shorten(null, fields("long_url", "https://example.com/later", "custom_alias", alias));

    assertThat(http.get("/" + alias).status()).isEqualTo(301);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(otherHttp.get("/" + alias).status()).isEqualTo(301));
  }

  @Test
  void concurrentRequestsForAColdCodeReachPostgresOnce() throws Exception {
    String code = shortenUrl(null, "https://example.com/hot");
    double before = lookups("db", "hit");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Integer>> requests = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        requests.add(() -> http.get("/" + code).status());
      }
      for (Future<Integer> status : pool.invokeAll(requests)) {
        assertThat(status.get()).isEqualTo(301);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(lookups("db", "hit") - before).isEqualTo(1.0);
  }

  private double lookups(String level, String result) {
    return registry
        .get("ferry.shortener.cache.lookups")
        .tag("level", level)
        .tag("result", result)
        .counter()
        .count();
  }
}
