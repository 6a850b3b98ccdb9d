package dev.ferry.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The prod overlay runs on managed infrastructure that scales past one machine, by configuration
 * alone: several shard databases, Redis behind Sentinel, a Kafka cluster.
 */
class ProdOverlayTest {

  private static final Manifests PROD = Manifests.renderOverlay("prod");
  private static final Pattern EXTRA_DATABASE =
      Pattern.compile(
          "FERRY_SHORTENER_SHARDING_DATABASES_([A-Z0-9]+)_(URL|USERNAME|PASSWORD|SHARDS)");

  @Test
  void shortenerDatabasesTogetherHoldEachLogicalShardExactlyOnce() {
    Map<String, String> environment = PROD.environment(FerryService.SHORTENER);
    Map<String, Map<String, String>> databases = new TreeMap<>();
    databases.put(
        "MAIN",
        Map.of(
            "URL", environment.get("FERRY_SHORTENER_DB_URL"),
            "USERNAME", environment.get("FERRY_SHORTENER_DB_USER"),
            "PASSWORD", environment.get("FERRY_SHORTENER_DB_PASSWORD"),
            "SHARDS", environment.get("FERRY_SHORTENER_DB_SHARDS")));
    environment.forEach(
        (name, value) -> {
          Matcher matcher = EXTRA_DATABASE.matcher(name);
          if (matcher.matches()) {
            databases
                .computeIfAbsent(matcher.group(1), k -> new TreeMap<>())
                .put(matcher.group(2), value);
          }
        });

    assertThat(databases).hasSizeGreaterThanOrEqualTo(3);
    BitSet placed = new BitSet();
    databases.forEach(
        (database, settings) -> {
          assertThat(settings)
              .as(database)
              .containsOnlyKeys("URL", "USERNAME", "PASSWORD", "SHARDS");
          assertThat(settings.get("URL")).as(database).startsWith("jdbc:postgresql://");
          assertThat(settings.get("PASSWORD")).as(database).startsWith("secret:");
          BitSet shards = shards(settings.get("SHARDS"));
          assertThat(shards.intersects(placed))
              .as(database + " overlaps another database")
              .isFalse();
          placed.or(shards);
        });
    // 16 logical shards: ferry.shortener.sharding.logical-shards in the shortener's application.yml
    assertThat(placed).isEqualTo(shards("0-15"));
    assertThat(databases.values().stream().map(s -> s.get("URL")).distinct())
        .hasSize(databases.size());
  }

  @Test
  void servicesUseAKafkaClusterOfSeveralBrokers() {
    String shortener =
        PROD.environment(FerryService.SHORTENER).get("FERRY_KAFKA_BOOTSTRAP_SERVERS");
    String notification =
        PROD.environment(FerryService.NOTIFICATION).get("FERRY_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(shortener.split(",")).hasSizeGreaterThanOrEqualTo(3);
    assertThat(notification).isEqualTo(shortener).doesNotContain("broker-service");
  }

  @Test
  void servicesUseRedisThroughSentinelWithAPasswordFromASecret() {
    for (FerryService service :
        new FerryService[] {FerryService.SHORTENER, FerryService.NOTIFICATION}) {
      Map<String, String> environment = PROD.environment(service);
      assertThat(environment).doesNotContainKeys("FERRY_REDIS_HOST", "FERRY_REDIS_PORT");
      assertThat(environment.get("SPRING_DATA_REDIS_SENTINEL_MASTER")).isNotBlank();
      assertThat(environment.get("SPRING_DATA_REDIS_SENTINEL_NODES").split(","))
          .hasSizeGreaterThanOrEqualTo(3);
      assertThat(environment.get("SPRING_DATA_REDIS_PASSWORD")).startsWith("secret:");
    }
  }

  @Test
  void runsMoreReplicasThanDev() {
    Manifests dev = Manifests.renderOverlay("dev");
    for (String name : new String[] {"shortener-service", "notification-service"}) {
      assertThat(minReplicas(PROD, name))
          .as(name)
          .isGreaterThan(minReplicas(dev, name))
          .isGreaterThanOrEqualTo(3);
    }
  }

  private static int minReplicas(Manifests manifests, String name) {
    return (Integer)
        YamlFiles.at(manifests.get("HorizontalPodAutoscaler", name), "spec", "minReplicas");
  }

  /** The shortener's shard list syntax: numbers and ranges, "0-7,12". */
  private static BitSet shards(String list) {
    BitSet shards = new BitSet();
    for (String part : list.split(",")) {
      String[] range = part.strip().split("-");
      int from = Integer.parseInt(range[0]);
      int to = Integer.parseInt(range[range.length - 1]);
      shards.set(from, to + 1);
    }
    return shards;
  }
}
