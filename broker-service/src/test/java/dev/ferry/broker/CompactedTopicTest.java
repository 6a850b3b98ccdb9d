package dev.ferry.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.broker.partition.PartitionManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A compacted topic as Kafka clients see it: created and described through {@code Admin}, written
 * by an idempotent {@code KafkaProducer}, compacted, and read from the beginning by a {@code
 * KafkaConsumer} across the offset gaps compaction leaves.
 */
class CompactedTopicTest {

  static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = SharedBroker.get();
  }

  @Test
  void aConsumerReadsTheLatestValuePerKeyFromACompactedTopic() throws Exception {
    String topic = "compacted-prices";
    try (Admin admin = broker.admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact", "segment.bytes", "1024"))))
          .all()
          .get();
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(config.get("delete.retention.ms").value()).isEqualTo("86400000");
    }

    Map<String, String> model = new LinkedHashMap<>();
    int produced = 200;
    try (KafkaProducer<String, String> producer = broker.producer()) {
      for (int i = 0; i < produced; i++) {
        String key = "item-" + (i % 10);
        String value = i % 37 == 36 ? null : "price-" + i;
        producer.send(new ProducerRecord<>(topic, key, value)).get();
        if (value == null) {
          model.remove(key);
        } else {
          model.put(key, value);
        }
      }
    }
    broker.bean(PartitionManager.class).enforceRetention();

    TopicPartition partition = new TopicPartition(topic, 0);
    Map<String, String> consumed = new LinkedHashMap<>();
    int records = 0;
    try (KafkaConsumer<String, String> consumer = broker.consumer()) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      assertThat(end).isEqualTo(produced);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (consumer.position(partition) < end) {
        assertThat(System.nanoTime()).as("read to the end in time").isLessThan(deadline);
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          records++;
          if (record.value() == null) {
            consumed.remove(record.key());
          } else {
            consumed.put(record.key(), record.value());
          }
        }
      }
    }
    assertThat(consumed).isEqualTo(model);
    assertThat(records).as("compaction removed superseded records").isLessThan(produced / 2);
  }
}
