package dev.ferry.shortener.support;

import dev.ferry.testkit.EmbeddedKafkaServer;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.EmbeddedRedisServer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real infrastructure of shortener tests, started once per test JVM: two physical Postgres
 * servers (the testkit's shared one and a second), Redis, Kafka, and a fake keygen-service.
 *
 * <p>{@link #properties} describes a fresh deployment on it: two new databases, one per server,
 * with logical shards 0-7 on the first ("main") and 8-15 on the second ("second"), and the test
 * GeoIP database.
 */
public final class ShortenerInfrastructure {

  public static final String ALICE_KEY = "alice-key-0123456789abcdef";
  public static final String BOB_KEY = "bob-key-0123456789abcdef";
  public static final String PAULA_KEY = "paula-key-0123456789abcdef";
  public static final String LISTER_KEY = "lister-key-0123456789abcdef";
  public static final String PUBLIC_BASE_URL = "https://fry.test";

  private static EmbeddedPostgresServer secondPostgres;
  private static FakeKeygenServer keygen;

  private ShortenerInfrastructure() {}

  public static synchronized EmbeddedPostgresServer secondPostgres() {
    if (secondPostgres == null) {
      secondPostgres = EmbeddedPostgresServer.start();
      Runtime.getRuntime().addShutdownHook(new Thread(secondPostgres::close, "pg2-stop"));
    }
    return secondPostgres;
  }

  public static synchronized FakeKeygenServer keygen() {
    if (keygen == null) {
      keygen = FakeKeygenServer.start();
    }
    return keygen;
  }

  /** A deployment with its own two databases, as {@code name -> value} properties. */
  public static Map<String, String> properties(String prefix) {
    EmbeddedPostgresServer first = EmbeddedPostgresServer.shared();
    EmbeddedPostgresServer second = secondPostgres();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(
        "ferry.shortener.sharding.databases.main.url",
        first.jdbcUrl(first.createDatabase(prefix + "_a")));
    properties.put("ferry.shortener.sharding.databases.main.shards", "0-7");
    properties.put("ferry.shortener.sharding.databases.main.max-pool-size", "6");
    properties.put(
        "ferry.shortener.sharding.databases.second.url",
        second.jdbcUrl(second.createDatabase(prefix + "_b")));
    properties.put("ferry.shortener.sharding.databases.second.shards", "8-15");
    properties.put("ferry.shortener.sharding.databases.second.max-pool-size", "6");
    EmbeddedRedisServer redis = EmbeddedRedisServer.shared();
    properties.put("spring.data.redis.host", "127.0.0.1");
    properties.put("spring.data.redis.port", Integer.toString(redis.port()));
    properties.put(
        "spring.kafka.bootstrap-servers", EmbeddedKafkaServer.shared().bootstrapServers());
    properties.put("spring.kafka.consumer.group-id", prefix + "-analytics");
    properties.put("ferry.shortener.analytics.topic", prefix + ".clicks");
    properties.put("ferry.shortener.analytics.geoip-database", geoipFixture().toString());
    properties.put("ferry.shortener.links.public-base-url", PUBLIC_BASE_URL);
    properties.put("ferry.shortener.links.keygen.base-url", keygen().baseUrl());
    properties.put("ferry.shortener.links.keygen.batch-size", "10");
    properties.put("ferry.shortener.links.keygen.capacity", "20");
    properties.put("ferry.shortener.links.keygen.low-watermark", "5");
    properties.put("ferry.shortener.links.blocked-hosts[0]", "evil.example");
    properties.put("ferry.shortener.cache.key-prefix", prefix + ":link:");
    properties.put("ferry.shortener.cache.invalidation-channel", prefix + ":invalidations");
    properties.put("ferry.shortener.rate-limits.anonymous", "100000");
    properties.put("ferry.shortener.rate-limits.authenticated", "100000");
    properties.put("ferry.shortener.rate-limits.premium", "100000");
    apiKey(properties, 0, ALICE_KEY, "alice", "AUTHENTICATED");
    apiKey(properties, 1, BOB_KEY, "bob", "AUTHENTICATED");
    apiKey(properties, 2, PAULA_KEY, "paula", "PREMIUM");
    apiKey(properties, 3, LISTER_KEY, "lister", "AUTHENTICATED");
    return properties;
  }

  /**
   * The GeoIP2-Country-shaped fixture written by {@code
   * src/test/resources/geoip/make-test-mmdb.pl}: 81.2.69.0/24 GB, 89.160.20.0/24 SE,
   * 216.160.83.0/24 US, 2001:218::/32 JP, 2a02:d400::/29 DE.
   */
  public static Path geoipFixture() {
    try {
      return Path.of(ShortenerInfrastructure.class.getResource("/geoip/test-country.mmdb").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void apiKey(
      Map<String, String> properties, int index, String key, String owner, String tier) {
    String prefix = "ferry.shortener.api-keys.keys[" + index + "].";
    properties.put(prefix + "key", key);
    properties.put(prefix + "owner", owner);
    properties.put(prefix + "tier", tier);
  }
}
