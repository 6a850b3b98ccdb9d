package dev.ferry.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.notification.NotificationApplication;
import dev.ferry.notification.fakes.FakeSendGrid;
import dev.ferry.testkit.EmbeddedKafkaServer;
import dev.ferry.testkit.EmbeddedPostgresServer;
import dev.ferry.testkit.EmbeddedRedisServer;
import dev.ferry.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A worker process killed with SIGKILL in the middle of a delivery: the service runs as a child
 * JVM, its worker claims the delivery (status {@code sending}, attempt 1) and is then held before
 * the provider call by a lock the test takes on {@code user_contacts}, which the worker reads for
 * the recipient. The child is killed there, the lock released, a new child started; the lease sweep
 * gives the delivery attempt 2, and the fake SendGrid sees exactly one call for it.
 */
class WorkerProcessKillTest {

  private static final Pattern NOTIFICATION_ID =
      Pattern.compile("\"notification_id\"\\s*:\\s*\"([^\"]+)\"");

  private final FakeSendGrid sendGrid = new FakeSendGrid();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<Process> children = new ArrayList<>();
  private final String database = EmbeddedPostgresServer.shared().createDatabase("kill_test");
  private final DataSource dataSource = EmbeddedPostgresServer.shared().dataSource(database);
  private final JdbcClient jdbc = JdbcClient.create(dataSource);

  @AfterEach
  void stop() throws InterruptedException {
    for (Process child : children) {
      child.destroyForcibly().waitFor();
    }
    sendGrid.close();
  }

  @Test
  void deliveryOfAKilledWorkerCompletesOnceAfterARestart() throws Exception {
    String base = start();
    String user = "user-" + run;
    String email = "kill-" + run + "@example.com";
    put(base + "/api/v1/users/" + user + "/contacts", "{\"email\": \"" + email + "\"}");
    Instant release = Instant.now().plusSeconds(5);

    UUID id;
    try (Connection lock = dataSource.getConnection();
        Statement statement = lock.createStatement()) {
      lock.setAutoCommit(false);
      id =
          send(
              base,
              "{\"user_id\": \"%s\", \"type\": \"receipt\", \"channels\": [\"email\"],"
                      .formatted(user)
                  + " \"subject\": \"Receipt\", \"body\": \"Thanks.\", \"scheduled_at\": \""
                  + release
                  + "\"}");
      statement.execute("LOCK TABLE user_contacts IN ACCESS EXCLUSIVE MODE");
      await().atMost(Duration.ofSeconds(60)).until(() -> "sending".equals(deliveryStatus(id)));

      children.get(0).destroyForcibly().waitFor();
      lock.rollback();
    }

    String restarted = start();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> "delivered".equals(deliveryStatus(id)));
    assertThat(sendGrid.receivedFor(email)).hasSize(1);
    assertThat(
            jdbc.sql("SELECT attempt_count FROM deliveries WHERE notification_id = ?")
                .param(id)
                .query(Integer.class)
                .single())
        .as("attempt 1 died with the worker; the lease sweep made attempt 2")
        .isEqualTo(2);
    assertThat(get(restarted + "/api/v1/notifications/" + id + "/status"))
        .contains("\"status\":\"delivered\"");
  }

  private String deliveryStatus(UUID notificationId) {
    return jdbc.sql("SELECT status FROM deliveries WHERE notification_id = ?")
        .param(notificationId)
        .query(String.class)
        .single();
  }

  /** Starts the service as a child JVM on the shared infrastructure and waits until it is up. */
  private String start() throws IOException {
    int port = FreePorts.find();
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.shared();
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            "-cp",
            System.getProperty("java.class.path"),
            NotificationApplication.class.getName(),
            "--server.port=" + port,
            "--spring.datasource.url=" + postgres.jdbcUrl(database),
            "--spring.datasource.username=" + postgres.username(),
            "--spring.datasource.password=" + postgres.password(),
            "--spring.data.redis.port=" + EmbeddedRedisServer.shared().port(),
            "--spring.kafka.bootstrap-servers=" + EmbeddedKafkaServer.shared().bootstrapServers(),
            "--ferry.notification.kafka.topic-prefix=kill-" + run + ".notifications",
            "--ferry.notification.kafka.dead-letter-topic=kill-" + run + ".dead-letter",
            // A group per process, so the new one is not kept waiting for the dead member to time
            // out; it reads the topic from the start, where the old message is a duplicate.
            "--ferry.notification.kafka.group-id=kill-" + run + "-" + children.size(),
            "--ferry.notification.scheduler.poll-interval=200ms",
            "--ferry.notification.scheduler.sending-lease=3s",
            "--ferry.notification.channels.email.primary=sendgrid",
            "--ferry.notification.providers.sendgrid.base-url=" + sendGrid.baseUrl(),
            "--ferry.notification.providers.sendgrid.api-key=SG.kill",
            "--logging.level.root=WARN");
    Path log = Files.createTempFile("notification-child-" + port, ".log");
    children.add(
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    String base = "http://127.0.0.1:" + port;
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> get(base + "/actuator/health/readiness").contains("UP"));
    return base;
  }

  private UUID send(String base, String json) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/notifications"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    Matcher matcher = NOTIFICATION_ID.matcher(response.body());
    assertThat(matcher.find()).isTrue();
    return UUID.fromString(matcher.group(1));
  }

  private void put(String url, String json) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private String get(String url) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
