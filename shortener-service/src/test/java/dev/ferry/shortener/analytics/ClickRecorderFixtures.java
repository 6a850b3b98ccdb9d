package dev.ferry.shortener.analytics;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the tests of a {@link ClickRecorder} on its own share: its producer, and clicks to record.
 */
final class ClickRecorderFixtures {

  private ClickRecorderFixtures() {}

  /**
   * A recorder of clicks to {@code topic} (one partition) through {@code producers}, keeping failed
   * clicks for the default 600 s and closing within {@code closeTimeoutSeconds}.
   */
  static ClickRecorder recorder(
      DefaultKafkaProducerFactory<String, String> producers,
      MeterRegistry registry,
      String topic,
      int closeTimeoutSeconds) {
    return new ClickRecorder(
        new KafkaTemplate<>(producers),
        JsonMapper.builder().build(),
        new AnalyticsProperties(
            topic, 1, 1000, 600, "CF-IPCountry", null, closeTimeoutSeconds, 7, 366),
        Clock.systemUTC(),
        registry);
  }

  /**
   * A producer as the application configures it ({@code acks=all}), with the given timeouts in
   * milliseconds: how long a send waits for metadata, a request for its answer, a record for its
   * delivery.
   */
  static DefaultKafkaProducerFactory<String, String> producers(
      String bootstrapServers, int maxBlock, int requestTimeout, int deliveryTimeout) {
    DefaultKafkaProducerFactory<String, String> producers =
        new DefaultKafkaProducerFactory<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                maxBlock,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                requestTimeout,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                deliveryTimeout));
    producers.setPhysicalCloseTimeout(10);
    return producers;
  }

  /** Records {@code clicks} clicks of one code from one client. */
  static void recordClicks(ClickRecorder recorder, int clicks) {
    MockServerHttpRequest request =
        MockServerHttpRequest.get("/abc1234")
            .remoteAddress(new InetSocketAddress("81.2.69.142", 40000))
            .header("User-Agent", "curl/8.5.0")
            .build();
    for (int i = 0; i < clicks; i++) {
      recorder.record("abc1234", request);
    }
  }
}
