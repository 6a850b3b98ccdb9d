package dev.ferry.shortener.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.testkit.EmbeddedKafkaServer;
import dev.ferry.testkit.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records the producer fails while the broker is down (metadata still known, so the clicks are
 * packed and sent, and each record times out) are sent again whole, under their batch ids, until
 * the broker is back: every click arrives once and none is counted as dropped.
 */
class ClickRecorderResendTest {

  private static final String TOPIC = "resend-test.clicks";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path kafkaData;

  @Test
  void recordsFailedWhileTheBrokerIsDownAreSentAgainWholeOnceItIsBack() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    int port = FreePorts.find();
    EmbeddedKafkaServer kafka = EmbeddedKafkaServer.startPersistent(port, 1, kafkaData);
    String bootstrapServers = kafka.bootstrapServers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
    }
    DefaultKafkaProducerFactory<String, String> producers =
        ClickRecorderFixtures.producers(bootstrapServers, 2_000, 1_000, 3_000);
    ClickRecorder recorder = ClickRecorderFixtures.recorder(producers, registry, TOPIC, 10);
    ClickRecorderFixtures.recordClicks(recorder, 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> produced(registry) == 1);

    kafka.close();
    ClickRecorderFixtures.recordClicks(recorder, 40);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> registry.get("ferry.shortener.clicks.retried").counter().count() >= 40);
    kafka = EmbeddedKafkaServer.startPersistent(port, 1, kafkaData);
    await().atMost(Duration.ofSeconds(60)).until(() -> produced(registry) == 41);
    recorder.close();
    producers.destroy();

    try {
      List<UUID> eventIds = new ArrayList<>();
      for (ConsumerRecord<String, String> record : readTopic(bootstrapServers)) {
        assertThat(ClickBatches.batchId(record.headers())).isNotNull();
        for (ClickEvent event : JSON.readValue(record.value(), ClickEvent[].class)) {
          eventIds.add(event.eventId());
        }
      }
      assertThat(eventIds).hasSize(41).doesNotHaveDuplicates();
      assertThat(registry.find("ferry.shortener.clicks.dropped").counters())
          .allSatisfy(dropped -> assertThat(dropped.count()).isZero());
    } finally {
      kafka.close();
    }
  }

  private static List<ConsumerRecord<String, String>> readTopic(String bootstrapServers) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
      TopicPartition partition = new TopicPartition(TOPIC, 0);
      Collection<TopicPartition> partitions = List.of(partition);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long end = consumer.endOffsets(partitions).get(partition);
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }

  private static double produced(SimpleMeterRegistry registry) {
    return registry.get("ferry.shortener.clicks.produced").counter().count();
  }
}
