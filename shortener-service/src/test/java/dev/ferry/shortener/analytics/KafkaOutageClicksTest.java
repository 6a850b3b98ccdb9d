package dev.ferry.shortener.analytics;

import static dev.ferry.shortener.support.ShortenerInfrastructure.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.shortener.ShortenerApplication;
import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerInfrastructure;
import dev.ferry.testkit.EmbeddedKafkaServer;
import dev.ferry.testkit.FreePorts;
import io.micrometer.core.instrument.MeterRegistry;
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
 * A shortener whose Kafka is not there yet: redirects succeed at once, and the clicks they record
 * wait and are counted once Kafka comes up, none dropped.
 */
@SpringBootTest(
    classes = ShortenerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KafkaOutageClicksTest {

  private static final int KAFKA_PORT = FreePorts.find();
  private static EmbeddedKafkaServer kafka;

  @LocalServerPort int port;
  @Autowired MeterRegistry registry;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    Map<String, String> properties = ShortenerInfrastructure.properties("kafka_later");
    properties.put("spring.kafka.bootstrap-servers", "127.0.0.1:" + KAFKA_PORT);
    properties.forEach((name, value) -> registry.add(name, () -> value));
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void clicksMadeWhileKafkaIsDownAreCountedOnceItIsUp() {
    Http http = new Http(port);
    String code = http.shortCodeFor("https://example.com/kafka-later", ALICE_KEY);

    for (int i = 0; i < 5; i++) {
      assertThat(http.get("/" + code).status()).isEqualTo(301);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> registry.get("ferry.shortener.clicks.retried").counter().count() > 0);

    kafka = EmbeddedKafkaServer.start(KAFKA_PORT, 1);

    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                assertThat(http.get("/api/v1/analytics/" + code, "X-API-Key", ALICE_KEY).json())
                    .containsEntry("total_clicks", 5));
    assertThat(registry.find("ferry.shortener.clicks.dropped").counters())
        .allSatisfy(dropped -> assertThat(dropped.count()).isZero());
  }
}
