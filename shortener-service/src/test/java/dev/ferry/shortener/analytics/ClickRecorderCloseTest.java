package dev.ferry.shortener.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testkit.EmbeddedKafkaServer;
import dev.ferry.testkit.FreePorts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/**
 * What {@link ClickRecorder#close} does with the clicks it still holds: hands them to a Kafka that
 * takes them, and counts as dropped ({@code reason=shutdown}) those a Kafka that is not there
 * cannot take within the close timeout. Either way every recorded click is accounted for.
 */
class ClickRecorderCloseTest {

  private static final int CLICKS = 40;
  private static final String TOPIC = "close-test-" + UUID.randomUUID() + ".clicks";

  @Test
  void clicksQueuedAtShutdownAreHandedToKafka() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String bootstrapServers = EmbeddedKafkaServer.shared().bootstrapServers();
    // Created up front, as the application's NewTopic bean does: a topic auto-created by the first
    // send makes the idempotent producer retry through leader changes, which is not what this
    // test is about.
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
    }
    DefaultKafkaProducerFactory<String, String> producers =
        ClickRecorderFixtures.producers(bootstrapServers, 300, 5_000, 10_000);
    ClickRecorder recorder = ClickRecorderFixtures.recorder(producers, registry, TOPIC, 10);

    ClickRecorderFixtures.recordClicks(recorder, CLICKS);
    recorder.close();
    producers.destroy();

    assertThat(counter(registry, "ferry.shortener.clicks.produced")).isEqualTo(CLICKS);
    assertThat(registry.find("ferry.shortener.clicks.dropped").counters())
        .allSatisfy(dropped -> assertThat(dropped.count()).isZero());
  }

  @Test
  void clicksKafkaCannotTakeBeforeTheCloseTimeoutAreCountedAsDropped() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DefaultKafkaProducerFactory<String, String> producers =
        ClickRecorderFixtures.producers("127.0.0.1:" + FreePorts.find(), 300, 5_000, 10_000);
    ClickRecorder recorder = ClickRecorderFixtures.recorder(producers, registry, TOPIC, 1);

    ClickRecorderFixtures.recordClicks(recorder, CLICKS);
    recorder.close();
    producers.destroy();

    assertThat(counter(registry, "ferry.shortener.clicks.produced")).isZero();
    assertThat(dropped(registry, "shutdown")).isEqualTo(CLICKS);
    assertThat(dropped(registry, "kafka") + dropped(registry, "expired")).isZero();
    assertThat(registry.get("ferry.shortener.clicks.queued").gauge().value()).isZero();
  }

  private static double counter(MeterRegistry registry, String name) {
    return registry.get(name).counter().count();
  }

  private static double dropped(MeterRegistry registry, String reason) {
    return registry.get("ferry.shortener.clicks.dropped").tag("reason", reason).counter().count();
  }
}
