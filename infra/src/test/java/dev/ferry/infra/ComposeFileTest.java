package dev.ferry.infra;

import static dev.ferry.infra.YamlFiles.list;
import static dev.ferry.infra.YamlFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docker-compose.yml checked without Docker (this machine has no engine): what each container is
 * built from, its ports, health checks and start order, and that every environment variable it
 * gives a Ferry service is one the service really reads.
 */
class ComposeFileTest {

  private static final Map<String, Object> COMPOSE =
      YamlFiles.loadMap(RepositoryRoot.resolve("docker-compose.yml"));
  private static final Map<String, Object> SERVICES = map(COMPOSE.get("services"));

  @Test
  void everyContainerHasAnImageOrABuildWhoseDockerfileExists() {
    SERVICES.forEach(
        (name, definition) -> {
          Object build = map(definition).get("build");
          if (build == null) {
            assertThat(map(definition).get("image")).as(name + " image").isNotNull();
          } else {
            String context = YamlFiles.string(build, "context");
            String dockerfile = YamlFiles.string(build, "dockerfile");
            assertThat(RepositoryRoot.resolve(context).resolve(dockerfile))
                .as(name + " Dockerfile")
                .isRegularFile();
          }
        });
  }

  @ParameterizedTest
  @EnumSource(FerryService.class)
  void eachFerryServiceIsBuiltFromItsOwnJarAndProbedOnItsOwnPort(FerryService service) {
    ServiceConfiguration configuration = service.configuration();
    Object definition = SERVICES.get(service.module());
    assertThat(definition).as(service.module() + " in compose").isNotNull();

    assertThat(YamlFiles.string(definition, "build", "args", "SERVICE"))
        .isEqualTo(service.module());
    assertThat(YamlFiles.string(definition, "build", "args", "HEALTH_PORT"))
        .isEqualTo(String.valueOf(configuration.serverPort()));
    assertThat(RepositoryRoot.resolve(service.module()).resolve("pom.xml")).isRegularFile();
    assertThat(healthCheck(service.module()))
        .contains("http://localhost:" + configuration.serverPort() + "/actuator/health/readiness");
  }

  @ParameterizedTest(name = "{0} publishes {1}")
  @CsvSource({
    "shortener-service, 8080:8080",
    "keygen-service, 8081:8081",
    "notification-service, 8082:8082",
    "broker-service, 8083:8083",
    "postgres, 15432:5432",
    "redis, 16379:6379",
    // Apache Kafka's host listener, where the local stack has its Kafka
    "kafka, 9092:9092",
    "prometheus, 9090:9090",
    "grafana, 3000:3000"
  })
  void publishesThePortsOfTheLocalStack(String service, String mapping) {
    assertThat(list(map(SERVICES.get(service)).get("ports"))).contains(mapping);
  }

  @Test
  void everyContainerHasAHealthCheck() {
    SERVICES.keySet().forEach(name -> assertThat(healthCheck(name)).as(name).isNotBlank());
  }

  @Test
  void startOrderWaitsOnlyForHealthyContainersThatExist() {
    SERVICES.forEach(
        (name, definition) ->
            map(map(definition).get("depends_on"))
                .forEach(
                    (dependency, condition) -> {
                      assertThat(SERVICES).as(name + " depends on").containsKey(dependency);
                      assertThat(YamlFiles.string(condition, "condition"))
                          .as(name + " -> " + dependency)
                          .isEqualTo("service_healthy");
                      assertThat(healthCheck(dependency)).as(dependency).isNotBlank();
                    }));
  }

  @Test
  void theShortenerStartsAfterEverythingItCalls() {
    assertThat(map(map(SERVICES.get("shortener-service")).get("depends_on")))
        .containsOnlyKeys("postgres", "redis", "kafka", "keygen-service");
  }

  @ParameterizedTest
  @EnumSource(FerryService.class)
  void givesEachServiceOnlyEnvironmentVariablesItReads(FerryService service) {
    ServiceConfiguration configuration = service.configuration();
    assertThat(environment(service.module()).keySet())
        .as(service.module())
        .allSatisfy(name -> assertThat(configuration.accepts(name)).as(name).isTrue());
  }

  @Test
  void keygenSecretComesFromTheEnvironmentAndIsRequired() {
    assertThat(environment("keygen-service").get("FERRY_KEYGEN_SECRET_KEY"))
        .startsWith("${FERRY_KEYGEN_SECRET_KEY:?");
  }

  @Test
  void shortenerSpreadsItsShardsOverBothDatabasesOfTheInitScript() {
    Map<String, String> environment = environment("shortener-service");
    assertThat(environment.get("FERRY_SHORTENER_DB_URL")).endsWith("/shortener_a");
    assertThat(environment.get("FERRY_SHORTENER_DB_SHARDS")).isEqualTo("0-7");
    assertThat(environment.get("FERRY_SHORTENER_SHARDING_DATABASES_SECOND_URL"))
        .endsWith("/shortener_b");
    assertThat(environment.get("FERRY_SHORTENER_SHARDING_DATABASES_SECOND_SHARDS"))
        .isEqualTo("8-15");
    assertThat(PostgresInitScript.databases())
        .containsExactlyInAnyOrder("keygen", "shortener_a", "shortener_b", "notification");
  }

  @Test
  void servicesReachKafkaOnItsInternalListener() {
    String internal = "kafka:29092";
    assertThat(environment("shortener-service").get("FERRY_KAFKA_BOOTSTRAP_SERVERS"))
        .isEqualTo(internal);
    assertThat(environment("notification-service").get("FERRY_KAFKA_BOOTSTRAP_SERVERS"))
        .isEqualTo(internal);
    assertThat(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS"))
        .contains("INTERNAL://" + internal)
        .contains("EXTERNAL://localhost:9092");
  }

  @Test
  void namedVolumesAreDeclaredAndBindMountsExist() {
    Map<String, Object> declared = map(COMPOSE.get("volumes"));
    List<String> problems = new ArrayList<>();
    SERVICES
        .keySet()
        .forEach(
            name -> {
              for (Mount mount : mounts(name)) {
                if (mount.bind()
                    && !Files.exists(RepositoryRoot.resolve(mount.source().substring(2)))) {
                  problems.add(name + ": missing " + mount.source());
                } else if (!mount.bind() && !declared.containsKey(mount.source())) {
                  problems.add(name + ": undeclared volume " + mount.source());
                }
              }
            });
    assertThat(problems).isEmpty();
  }

  /** The bind mounts of a compose service, host path (as written) to container path. */
  static Map<String, String> bindMounts(String service) {
    Map<String, String> result = new java.util.LinkedHashMap<>();
    mounts(service).stream().filter(Mount::bind).forEach(m -> result.put(m.source(), m.target()));
    return result;
  }

  /** One {@code source:target[:mode]} entry of a service's volumes; a bind mount starts with ./ */
  record Mount(String source, String target) {
    boolean bind() {
      return source.startsWith("./");
    }
  }

  private static List<Mount> mounts(String service) {
    return list(map(SERVICES.get(service)).get("volumes")).stream()
        .map(volume -> volume.toString().split(":"))
        .map(parts -> new Mount(parts[0], parts.length > 1 ? parts[1] : ""))
        .toList();
  }

  private static String healthCheck(String service) {
    Object test = YamlFiles.at(SERVICES.get(service), "healthcheck", "test");
    return test == null ? "" : String.join(" ", list(test).stream().map(Object::toString).toList());
  }

  static Map<String, String> environment(String service) {
    Object environment = map(SERVICES.get(service)).get("environment");
    Map<String, String> result = new java.util.LinkedHashMap<>();
    if (environment instanceof List<?> entries) {
      entries.forEach(
          e -> {
            String[] parts = e.toString().split("=", 2);
            result.put(parts[0], parts.length > 1 ? parts[1] : null);
          });
    } else {
      map(environment).forEach((k, v) -> result.put(k, v == null ? null : v.toString()));
    }
    return result;
  }
}
