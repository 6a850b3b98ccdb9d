package dev.ferry.shortener.cache;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.common.shard.ShardMap;
import dev.ferry.common.shard.ShardRouter;
import dev.ferry.shortener.ShortenerApplication;
import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerInfrastructure;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.EmbeddedRedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A shortener whose Redis and whose second physical shard database are private servers that the
 * tests stop: first Redis goes away and comes back (redirects keep working from L1 and Postgres,
 * the L2 fills again), then the database of shards 8-15 dies for good (readiness goes DOWN, the
 * healthy shards keep working, requests for the dead ones get 503 problems, never 500).
 */
@SpringBootTest(
    classes = ShortenerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InfrastructureOutageTest {

  private static final EmbeddedRedisServer REDIS = EmbeddedRedisServer.start();
  private static final EmbeddedPostgresServer SECOND_SHARD_SERVER = EmbeddedPostgresServer.start();
  private static final ShardRouter ROUTER =
      new ShardRouter(ShardMap.of(16, Map.of("main", "0-7", "second", "8-15")));
  private static final String PREFIX = "outage:link:";

  @LocalServerPort int port;
  @Autowired StringRedisTemplate redis;
  @Autowired MeterRegistry registry;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    Map<String, String> properties = ShortenerInfrastructure.properties("outage");
    properties.put("spring.data.redis.port", Integer.toString(REDIS.port()));
    properties.put("ferry.shortener.cache.key-prefix", PREFIX);
    properties.put(
        "ferry.shortener.sharding.databases.second.url",
        SECOND_SHARD_SERVER.jdbcUrl(SECOND_SHARD_SERVER.createDatabase("outage_private")));
    properties.put("ferry.shortener.sharding.databases.second.max-pool-size", "2");
    properties.put("ferry.shortener.sharding.databases.second.connection-timeout-ms", "1000");
    properties.forEach((name, value) -> registry.add(name, () -> value));
  }

  @AfterAll
  static void stopServers() {
    REDIS.close();
    SECOND_SHARD_SERVER.close();
  }

  @Test
  @Order(1)
  void redirectsSurviveARedisOutageAndTheSecondLevelRecoversAfterIt() throws Exception {
    Http http = new Http(port);
    String cached = http.shortCodeFor("https://example.com/cached", ALICE_KEY);
    assertThat(http.get("/" + cached).status()).isEqualTo(301);
    assertThat(redis.hasKey(PREFIX + cached)).isTrue();

    REDIS.stop();
    String createdDuringOutage = http.shortCodeFor("https://example.com/during", ALICE_KEY);

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
    String createdAfter = http.shortCodeFor("https://example.com/after", ALICE_KEY);
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(http.get("/" + createdAfter).status()).isEqualTo(301);
              assertThat(redis.hasKey(PREFIX + createdAfter)).isTrue();
            });
  }

  @Test
  @Order(2)
  void aDeadShardDatabaseTurnsReadinessDownAndItsRequestsInto503WhileOtherShardsWork() {
    Http http = new Http(port);
    String healthyAlias = aliasOn("main", "alive");
    String deadCachedAlias = aliasOn("second", "cached");
    String deadUncachedAlias = aliasOn("second", "uncached");
    for (String alias : List.of(healthyAlias, deadCachedAlias, deadUncachedAlias)) {
      assertThat(createdWithAlias(http, alias).status()).isEqualTo(201);
    }
    assertThat(http.get("/" + deadCachedAlias).status()).isEqualTo(301);
    assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);

    SECOND_SHARD_SERVER.close();

    Http.Response readiness = http.get("/actuator/health/readiness");
    assertThat(readiness.status()).isEqualTo(503);
    assertThat(readiness.json()).containsEntry("status", "DOWN");
    assertThat(http.get("/" + healthyAlias).status()).isEqualTo(301);
    assertThat(http.get("/" + deadCachedAlias).status()).isEqualTo(301);
    Http.Response uncached = http.get("/" + deadUncachedAlias);
    assertThat(uncached.status()).isEqualTo(503);
    assertThat(uncached.header("Retry-After")).isPresent();
    assertThat(uncached.json()).containsEntry("type", "https://ferry.dev/problems/unavailable");
    assertThat(createdWithAlias(http, aliasOn("second", "new")).status()).isEqualTo(503);
    assertThat(createdWithAlias(http, aliasOn("main", "new")).status()).isEqualTo(201);
  }

  /** An alias that routes to a shard on {@code database}. */
  private static String aliasOn(String database, String prefix) {
    for (int i = 0; ; i++) {
      String alias = prefix + "-" + i;
      if (ROUTER.route(alias).physicalDatabase().equals(database)) {
        return alias;
      }
    }
  }

  private static Http.Response createdWithAlias(Http http, String alias) {
    return http.post(
        "/api/v1/shorten",
        Http.toJson(Map.of("long_url", "https://example.com/" + alias, "custom_alias", alias)),
        "X-API-Key",
        ALICE_KEY);
  }
}
