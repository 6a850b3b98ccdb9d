package dev.ferry.shortener.cache;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.common.shard.ShardLocation;
import dev.ferry.shortener.ShortenerApplication;
import dev.ferry.shortener.shard.ShardedDatabases;
import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerInfrastructure;
import dev.ferry.testkit.EmbeddedRedisServer;
import dev.ferry.testkit.FreePorts;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two instances ("A", the test's own, and "B", started here) on the same shards and on a private
 * Redis that keeps its data across a restart (append-only file), as a production Redis or a network
 * partition would: the L2 still holds the old entries when Redis comes back. Both instances keep L1
 * entries for an hour, so only the invalidation machinery can explain B seeing a change within the
 * test's timeouts.
 */
@SpringBootTest(
    classes = ShortenerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisOutageInvalidationTest {

  private static final String PREFIX = "replay:link:";
  private static final Path REDIS_DATA = temporaryDirectory();
  private static final EmbeddedRedisServer REDIS =
      EmbeddedRedisServer.startPersistent(FreePorts.find(), REDIS_DATA);
  private static final Map<String, String> PROPERTIES = properties();
  private static final Duration REDIS_BACK = Duration.ofSeconds(60);

  private static ConfigurableApplicationContext instanceB;
  private static Http httpB;

  @LocalServerPort int port;
  @Autowired StringRedisTemplate redis;
  @Autowired MeterRegistry registryA;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    PROPERTIES.forEach((name, value) -> registry.add(name, () -> value));
  }

  @BeforeAll
  static void startInstanceB() {
    instanceB = startInstance();
    httpB = new Http(((WebServerApplicationContext) instanceB).getWebServer().getPort());
  }

  @AfterAll
  static void stopAll() {
    instanceB.close();
    REDIS.close();
  }

  @Test
  void aChangeMadeWhileRedisIsDownReachesTheOtherInstanceAndTheL2WhenRedisIsBack()
      throws Exception {
    Http httpA = new Http(port);
    String code = httpA.shortCodeFor("https://example.com/before-outage", ALICE_KEY);
    assertThat(location(httpB, code)).isEqualTo("https://example.com/before-outage");
    assertThat(location(httpA, code)).isEqualTo("https://example.com/before-outage");
    assertThat(redis.opsForValue().get(PREFIX + code))
        .endsWith("https://example.com/before-outage");
    double resetsOfB = counter(registryB(), "ferry.shortener.cache.l1.resets");
    double replayedByA = counter(registryA, "ferry.shortener.cache.invalidations.replayed");

    REDIS.stop();
    Http.Response patched =
        httpA.patch(
            "/api/v1/urls/" + code,
            Http.toJson(Map.of("long_url", "https://example.com/during-outage")),
            "X-API-Key",
            ALICE_KEY);
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(location(httpA, code)).isEqualTo("https://example.com/during-outage");
    assertThat(location(httpB, code)).isEqualTo("https://example.com/before-outage");
    assertThat(pending(registryA)).isEqualTo(1.0);

    REDIS.restart();

    await()
        .atMost(REDIS_BACK)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(location(httpB, code)).isEqualTo("https://example.com/during-outage");
              assertThat(redis.opsForValue().get(PREFIX + code))
                  .satisfiesAnyOf(
                      value -> assertThat(value).isNull(),
                      value -> assertThat(value).endsWith("https://example.com/during-outage"));
              assertThat(pending(registryA)).isZero();
            });
    assertThat(location(httpA, code)).isEqualTo("https://example.com/during-outage");
    assertThat(counter(registryA, "ferry.shortener.cache.invalidations.replayed") - replayedByA)
        .isEqualTo(1.0);
    assertThat(counter(registryB(), "ferry.shortener.cache.l1.resets")).isGreaterThan(resetsOfB);
  }

  /**
   * B cannot know what it missed while unsubscribed. The change is written to the shard directly,
   * so no instance ever publishes an invalidation for it: only B emptying its L1 on resubscribing
   * can make B see it.
   */
  @Test
  void anInstanceEmptiesItsL1WhenItsSubscriptionComesBack() throws Exception {
    Http httpA = new Http(port);
    String code = httpA.shortCodeFor("https://example.com/seen-by-b", ALICE_KEY);
    assertThat(location(httpB, code)).isEqualTo("https://example.com/seen-by-b");
    double resetsOfB = counter(registryB(), "ferry.shortener.cache.l1.resets");

    REDIS.stop();
    ShardedDatabases databases = instanceB.getBean(ShardedDatabases.class);
    ShardLocation shard = databases.route(code);
    assertThat(
            databases
                .jdbc(shard)
                .update(
                    ShardedDatabases.sql(
                        "UPDATE $shard.links SET long_url = ? WHERE code = ?", shard),
                    "https://example.com/changed-unannounced",
                    code))
        .isEqualTo(1);
    assertThat(location(httpB, code)).isEqualTo("https://example.com/seen-by-b");
    REDIS.restart();
    await().atMost(REDIS_BACK).ignoreExceptions().until(() -> redis.delete(PREFIX + code) != null);

    await()
        .atMost(REDIS_BACK)
        .untilAsserted(
            () ->
                assertThat(location(httpB, code))
                    .isEqualTo("https://example.com/changed-unannounced"));
    assertThat(counter(registryB(), "ferry.shortener.cache.l1.resets")).isGreaterThan(resetsOfB);
  }

  /**
   * An instance that starts while Redis is down cannot subscribe at start-up; once Redis is back it
   * must subscribe and receive invalidations like the others.
   */
  @Test
  void anInstanceStartedWhileRedisIsDownReceivesInvalidationsOnceRedisIsBack() throws Exception {
    Http httpA = new Http(port);
    String code = httpA.shortCodeFor("https://example.com/for-c", ALICE_KEY);
    REDIS.stop();
    try (ConfigurableApplicationContext instanceC = startInstance()) {
      Http httpC = new Http(((WebServerApplicationContext) instanceC).getWebServer().getPort());
      InvalidationSubscription subscription = instanceC.getBean(InvalidationSubscription.class);
      assertThat(subscription.subscribed()).isFalse();

      REDIS.restart();
      await().atMost(REDIS_BACK).until(subscription::subscribed);
      assertThat(location(httpC, code)).isEqualTo("https://example.com/for-c");
      Http.Response patched =
          httpA.patch(
              "/api/v1/urls/" + code,
              Http.toJson(Map.of("long_url", "https://example.com/for-c-changed")),
              "X-API-Key",
              ALICE_KEY);
      assertThat(patched.status()).as(patched.body()).isEqualTo(200);

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(location(httpC, code)).isEqualTo("https://example.com/for-c-changed"));
    }
  }

  private static ConfigurableApplicationContext startInstance() {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    PROPERTIES.forEach((name, value) -> args.add("--" + name + "=" + value));
    return new SpringApplicationBuilder(ShortenerApplication.class)
        .initializers(RedisOutageInvalidationTest::ownNettyResources)
        .run(args.toArray(String[]::new));
  }

  /**
   * Gives an extra instance its own Reactor Netty event loops. By default every instance in this
   * JVM serves on Reactor Netty's global resources, and closing a context disposes them, which
   * would stop the servers of the instances still running (A's and B's when C closes).
   */
  private static void ownNettyResources(ConfigurableApplicationContext context) {
    ((GenericApplicationContext) context)
        .registerBean(
            ReactorResourceFactory.class,
            () -> {
              ReactorResourceFactory resources = new ReactorResourceFactory();
              resources.setUseGlobalResources(false);
              return resources;
            });
  }

  private static MeterRegistry registryB() {
    return instanceB.getBean(MeterRegistry.class);
  }

  private static double counter(MeterRegistry registry, String name) {
    return registry.get(name).counter().count();
  }

  private static double pending(MeterRegistry registry) {
    return registry.get("ferry.shortener.cache.invalidations.pending").gauge().value();
  }

  private static String location(Http http, String code) {
    Http.Response redirect = http.get("/" + code);
    assertThat(redirect.status()).as(redirect.body()).isEqualTo(301);
    return redirect.header("Location").orElseThrow();
  }

  private static Map<String, String> properties() {
    Map<String, String> properties = ShortenerInfrastructure.properties("replay");
    properties.put("spring.data.redis.port", Integer.toString(REDIS.port()));
    properties.put("ferry.shortener.cache.key-prefix", PREFIX);
    properties.put("ferry.shortener.cache.l1-ttl-seconds", "3600");
    return properties;
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("replay-redis");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
