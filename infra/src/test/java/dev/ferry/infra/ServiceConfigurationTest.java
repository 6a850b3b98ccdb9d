package dev.ferry.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The environment-name rule the compose and Kubernetes tests rely on. If it accepted everything,
 * those tests would pass on any typo; these cases pin what it accepts and what it refuses.
 */
class ServiceConfigurationTest {

  @ParameterizedTest(name = "{0} accepts {1}")
  @CsvSource({
    // ${NAME} placeholders of application.yml
    "shortener-service, FERRY_SHORTENER_DB_URL",
    "shortener-service, FERRY_KAFKA_BOOTSTRAP_SERVERS",
    "notification-service, FERRY_KAFKA_BOOTSTRAP_SERVERS",
    "keygen-service, FERRY_KEYGEN_SECRET_KEY",
    "broker-service, FERRY_BROKER_ADVERTISED_HOST",
    // relaxed binding of a property, with a map key that application.yml does not list
    "shortener-service, FERRY_SHORTENER_SHARDING_DATABASES_SECOND_URL",
    "shortener-service, FERRY_SHORTENER_SHARDING_DATABASES_THIRD_PASSWORD",
    "notification-service, FERRY_NOTIFICATION_PROVIDERS_BACKUPMAIL_TYPE",
    // relaxed binding into a list (application-local.yml's api-keys)
    "shortener-service, FERRY_SHORTENER_APIKEYS_KEYS_0_KEY",
    "shortener-service, FERRY_SHORTENER_APIKEYS_KEYS_3_TIER",
    // Spring Boot's own documented properties
    "shortener-service, SPRING_DATA_REDIS_SENTINEL_NODES",
    "notification-service, SPRING_DATA_REDIS_PASSWORD",
    // names every Boot application reads
    "broker-service, SERVER_PORT",
    "keygen-service, JAVA_TOOL_OPTIONS",
  })
  void acceptsNamesTheServiceReads(String module, String name) {
    assertThat(FerryService.ofModule(module).configuration().accepts(name)).isTrue();
  }

  @ParameterizedTest(name = "{0} refuses {1}")
  @CsvSource({
    // a placeholder of another service
    "keygen-service, FERRY_SHORTENER_DB_URL",
    // the name notification-service read before it took shortener-service's
    "notification-service, FERRY_KAFKA_BOOTSTRAP",
    // typos and invented properties
    "shortener-service, FERRY_SHORTENER_DB_URI",
    "shortener-service, FERRY_SHORTENER_SHARDING_DATABASE_SECOND_URL",
    "shortener-service, FERRY_SHORTENER_SHARDING_DATABASES_SECOND_JDBCURL",
    "shortener-service, FERRY_SHORTENER_APIKEYS_KEYS_KEY",
    "broker-service, FERRY_BROKER_LISTENER_HOST",
    // a Spring Boot property of a module not on our metadata class path
    "keygen-service, SPRING_KAFKA_STREAMS_APPLICATIONID",
  })
  void refusesNamesTheServiceWouldIgnore(String module, String name) {
    assertThat(FerryService.ofModule(module).configuration().accepts(name)).isFalse();
  }

  @ParameterizedTest(name = "{0} listens on {1}")
  @CsvSource({
    "shortener-service, 8080",
    "keygen-service, 8081",
    "notification-service, 8082",
    "broker-service, 8083"
  })
  void readsTheDefaultHttpPort(String module, int port) {
    assertThat(FerryService.ofModule(module).configuration().serverPort()).isEqualTo(port);
  }
}
