package dev.ferry.notification.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.notification.NotificationApplication;
import dev.ferry.testkit.EmbeddedKafkaServer;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.EmbeddedRedisServer;
import dev.ferry.testkit.FreePorts;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;

/**
 * Kafka stopped while notifications are accepted: every request still succeeds (the outbox holds
 * the messages in Postgres), and every notification is delivered once Kafka is back on the same
 * address. Runs its own service instance and its own broker on a fixed port.
 */
class KafkaOutageTest {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Test
  void requestsSucceedWhileKafkaIsDownAndEverythingIsDeliveredWhenItReturns() {
    int kafkaPort = FreePorts.find();
    EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(kafkaPort, 1);
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.shared();
    String database = postgres.createDatabase("notification_outage");
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(NotificationApplication.class)
            .run(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.jdbcUrl(database),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password(),
                "--spring.data.redis.port=" + EmbeddedRedisServer.shared().port(),
                "--spring.data.redis.host=127.0.0.1",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--ferry.notification.kafka.group-id=outage",
                "--ferry.notification.scheduler.poll-interval=200ms")) {
      RestClient http =
          RestClient.create(
              "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort());
      String user = "user-" + UUID.randomUUID();
      http.put()
          .uri("/api/v1/users/{id}/contacts", user)
          .body(Map.of("email", "outage@example.com"))
          .retrieve()
          .toBodilessEntity();
      Object warmUp = accept(http, user);
      await().atMost(Duration.ofSeconds(60)).until(() -> "delivered".equals(overall(http, warmUp)));

      kafka.close();
      List<Object> accepted = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        accepted.add(accept(http, user));
      }
      assertThat(accepted).hasSize(5).doesNotContainNull();
      MeterRegistry registry = app.getBean(MeterRegistry.class);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> registry.counter("notification.outbox.failed.passes").count() >= 1);
      assertThat(accepted).allMatch(id -> "in_progress".equals(overall(http, id)));
      assertThat(
              app.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
                  .sql("SELECT count(*) FROM outbox")
                  .query(Long.class)
                  .single())
          .as("messages held in the outbox while Kafka is down")
          .isEqualTo(5);

      kafka = EmbeddedKafkaServer.start(kafkaPort, 1);

      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> accepted.stream().allMatch(id -> "delivered".equals(overall(http, id))));
    } finally {
      kafka.close();
    }
  }

  private static Object accept(RestClient http, String user) {
    var response =
        http.post()
            .uri("/api/v1/notifications")
            .body(
                Map.of(
                    "user_id", user,
                    "type", "alert",
                    "priority", "critical",
                    "channels", List.of("email"),
                    "body", "Kafka may be down; this must still arrive."))
            .retrieve()
            .toEntity(JSON);
    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    return response.getBody().get("notification_id");
  }

  private static String overall(RestClient http, Object id) {
    return (String)
        http.get().uri("/api/v1/notifications/{id}/status", id).retrieve().body(JSON).get("status");
  }
}
