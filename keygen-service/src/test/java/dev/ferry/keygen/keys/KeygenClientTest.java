package dev.ferry.keygen.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.common.keygen.KeygenClient;
import dev.ferry.common.keygen.KeygenClientProperties;
import dev.ferry.common.keygen.KeysUnavailableException;
import dev.ferry.keygen.KeygenTestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

/** The shared keygen client of {@code common} against a real keygen-service. */
class KeygenClientTest {

  @Test
  void keepsServingCodesFromItsBufferWhileKeygenIsStoppedThenSaysUnavailable() {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    ConfigurableApplicationContext keygen =
        KeygenTestSupport.startInstance(KeygenTestSupport.freshDatabase("client"));
    KeygenClientProperties properties =
        new KeygenClientProperties(
            URI.create(KeygenTestSupport.baseUrl(keygen)), 100, 50, 300, Duration.ofSeconds(2));
    try (KeygenClient client = new KeygenClient(properties, RestClient.builder(), metrics)) {
      Set<String> codes = new HashSet<>();
      codes.add(client.nextCode());
      client.refillInBackground();
      await().atMost(Duration.ofSeconds(10)).until(() -> client.bufferSize() >= 200);

      keygen.close();
      int buffered = client.bufferSize();
      for (int i = 0; i < buffered; i++) {
        assertThat(codes.add(client.nextCode())).isTrue();
      }

      assertThatThrownBy(client::nextCode).isInstanceOf(KeysUnavailableException.class);
      assertThat(codes).hasSize(buffered + 1).allMatch(code -> code.matches("[0-9a-zA-Z]{7}"));
      assertThat(metrics.get("ferry.keygen.client.refill.failures").counter().count()).isPositive();
      assertThat(metrics.get("ferry.keygen.client.buffer.size").gauge().value()).isZero();
    } finally {
      keygen.close();
    }
  }

  @Test
  void refillsInTheBackgroundAtTheLowWatermark() {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    try (ConfigurableApplicationContext keygen =
            KeygenTestSupport.startInstance(KeygenTestSupport.freshDatabase("client_refill"));
        KeygenClient client =
            new KeygenClient(
                new KeygenClientProperties(
                    URI.create(KeygenTestSupport.baseUrl(keygen)),
                    100,
                    50,
                    300,
                    Duration.ofSeconds(2)),
                RestClient.builder(),
                metrics)) {
      for (int i = 0; i < 1_000; i++) {
        client.nextCode();
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(client.bufferSize()).isGreaterThan(50));
      assertThat(metrics.get("ferry.keygen.client.refills").counter().count()).isGreaterThan(10);
    }
  }
}
