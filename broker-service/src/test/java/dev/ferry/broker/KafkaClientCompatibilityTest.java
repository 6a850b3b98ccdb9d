package dev.ferry.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientCompatibilityTest {

  @TempDir static Path dataDir;
  static TestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start(dataDir);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void consumerGroupReadsEveryProducedRecordInOrderPerPartition() throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1))).all().get();
    }
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      for (int i = 0; i < 300; i++) {
        producer.send(new ProducerRecord<>("orders", "key-" + (i % 7), "value-" + i));
      }
      producer.flush();
    }
    Map<Integer, List<ConsumerRecord<String, String>>> byPartition = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = consumer("orders-group")) {
      consumer.subscribe(List.of("orders"));
      int received = 0;
      while (received < 300) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
          received++;
        }
      }
    }
    assertThat(byPartition.values().stream().mapToInt(List::size).sum()).isEqualTo(300);
    for (List<ConsumerRecord<String, String>> records : byPartition.values()) {
      for (int i = 0; i < records.size(); i++) {
        assertThat(records.get(i).offset()).isEqualTo(i);
        if (i > 0) {
          int previous = Integer.parseInt(records.get(i - 1).value().substring(6));
          assertThat(Integer.parseInt(records.get(i).value().substring(6))).isGreaterThan(previous);
        }
      }
    }
  }

  Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  KafkaProducer<String, String> producer(Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.putAll(overrides);
    return new KafkaProducer<>(config);
  }

  KafkaConsumer<String, String> consumer(String group) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    return new KafkaConsumer<>(config);
  }
}
